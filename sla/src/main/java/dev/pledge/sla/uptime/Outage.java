package dev.pledge.sla.uptime;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * A period during which a site was down, from {@code start} (inclusive) to {@code end} (exclusive),
 * as a monitor or an operator recorded it (P2, P3). Records may overlap; the uptime calculation
 * merges them. Immutable.
 *
 * @param start when the site went down
 * @param end when it was up again; after {@code start}
 */
public record Outage(Instant start, Instant end) implements Comparable<Outage> {

  /** Validates that the outage ends after it starts. */
  public Outage {
    Objects.requireNonNull(start, "start");
    Objects.requireNonNull(end, "end");
    if (!end.isAfter(start)) {
      throw new IllegalArgumentException("end must be after start, got start " + start + " and end " + end);
    }
  }

  /** The outage from {@code start} to {@code end}. */
  public static Outage of(Instant start, Instant end) {
    return new Outage(start, end);
  }

  /** How long the outage lasted. */
  public Duration duration() {
    return Duration.between(start, end);
  }

  @Override
  public int compareTo(Outage o) {
    int c = start.compareTo(o.start);
    return c != 0 ? c : end.compareTo(o.end);
  }
}
