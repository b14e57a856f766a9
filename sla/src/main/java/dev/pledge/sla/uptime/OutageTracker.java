package dev.pledge.sla.uptime;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Turns one site's stream of probe results, oldest first, into outages as they happen (P3): an
 * outage starts at the first failed result after a success and ends at the next success. Memory is
 * bounded by the number of outages, not the number of results, so a year of one-minute results for
 * many sites streams through in constant space per site. Not thread-safe: one tracker per site and
 * feeding thread.
 */
public final class OutageTracker {
  private final List<Outage> outages = new ArrayList<>();
  private long downSinceSecond = Long.MIN_VALUE;
  private int downSinceNano;
  private long lastSecond = Long.MIN_VALUE;
  private int lastNano;

  /** A tracker whose site starts up. */
  public static OutageTracker create() {
    return new OutageTracker();
  }

  /**
   * Records the result of the probe at {@code at}; results must come in time order.
   *
   * @throws IllegalArgumentException when {@code at} is before the previous result
   */
  public void record(Instant at, boolean up) {
    Objects.requireNonNull(at, "at");
    record(at.getEpochSecond(), at.getNano(), up);
  }

  /** {@link #record(Instant, boolean)} for a time given as epoch seconds and nanoseconds, without allocating. */
  public void record(long epochSecond, int nano, boolean up) {
    if (epochSecond < lastSecond || (epochSecond == lastSecond && nano < lastNano)) {
      throw new IllegalArgumentException("probe results must come in time order: "
          + Instant.ofEpochSecond(epochSecond, nano) + " is before " + Instant.ofEpochSecond(lastSecond, lastNano));
    }
    lastSecond = epochSecond;
    lastNano = nano;
    if (!up) {
      if (downSinceSecond == Long.MIN_VALUE) {
        downSinceSecond = epochSecond;
        downSinceNano = nano;
      }
    } else if (downSinceSecond != Long.MIN_VALUE) {
      outages.add(Outage.of(Instant.ofEpochSecond(downSinceSecond, downSinceNano), Instant.ofEpochSecond(epochSecond, nano)));
      downSinceSecond = Long.MIN_VALUE;
    }
  }

  /** Whether the site is down at the last result. */
  public boolean down() {
    return downSinceSecond != Long.MIN_VALUE;
  }

  /**
   * The outages so far; an outage still open ends at {@code now} (which must not be before it began).
   */
  public List<Outage> outages(Instant now) {
    List<Outage> out = new ArrayList<>(outages);
    if (down()) {
      Instant s = Instant.ofEpochSecond(downSinceSecond, downSinceNano);
      if (now.isAfter(s)) {
        out.add(Outage.of(s, now));
      }
    }
    return out;
  }

  /** The closed outages so far. */
  public List<Outage> outages() {
    return List.copyOf(outages);
  }
}
