package dev.pledge.sla.oncall;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Who to page when an alert stays unacknowledged (P4, P38): the engineer on call first, then, each
 * time {@code acknowledgeWithin} passes without acknowledgement, the next id of {@code then} (the
 * next person, a manager). The last one keeps being paged. Immutable and thread-safe.
 *
 * @param acknowledgeWithin how long each step waits for an acknowledgement
 * @param then ids to escalate to, in order
 */
public record EscalationPolicy(Duration acknowledgeWithin, List<String> then) {
  /** Validates the policy. */
  public EscalationPolicy {
    Objects.requireNonNull(acknowledgeWithin, "acknowledgeWithin");
    if (acknowledgeWithin.isNegative() || acknowledgeWithin.isZero()) {
      throw new IllegalArgumentException("acknowledgeWithin must be greater than zero, got " + acknowledgeWithin);
    }
    then = then == null ? List.of() : List.copyOf(then);
  }

  /**
   * The id to page at {@code now} for an alert raised at {@code raised} and not yet acknowledged,
   * when {@code onCall} was on call.
   */
  public String pageAt(Instant raised, Instant now, String onCall) {
    List<String> chain = new ArrayList<>();
    chain.add(Objects.requireNonNull(onCall, "onCall"));
    chain.addAll(then);
    if (now.isBefore(raised)) {
      throw new IllegalArgumentException("now (" + now + ") is before the alert was raised (" + raised + ")");
    }
    long steps = Duration.between(raised, now).dividedBy(acknowledgeWithin);
    return chain.get((int) Math.min(steps, chain.size() - 1));
  }

  /**
   * The escalation events of a page raised at {@code raised} to {@code onCall}, as they stand at
   * {@code now}: the page itself (level 0), then one step per {@code acknowledgeWithin} that passed
   * without acknowledgement, to each id of {@code then} in turn. A step due at or after the
   * acknowledgement never happens. Replaying the same inputs always gives the same events.
   *
   * @param acknowledged when the page was acknowledged, or {@code null} if it was not (yet)
   * @throws IllegalArgumentException when {@code now} or {@code acknowledged} is before {@code raised}
   */
  public List<Step> steps(Instant raised, Instant acknowledged, Instant now, String onCall) {
    Objects.requireNonNull(raised, "raised");
    Objects.requireNonNull(now, "now");
    if (now.isBefore(raised)) {
      throw new IllegalArgumentException("now (" + now + ") is before the alert was raised (" + raised + ")");
    }
    if (acknowledged != null && acknowledged.isBefore(raised)) {
      throw new IllegalArgumentException("acknowledged (" + acknowledged + ") is before the alert was raised (" + raised + ")");
    }
    List<String> chain = new ArrayList<>();
    chain.add(Objects.requireNonNull(onCall, "onCall"));
    chain.addAll(then);
    List<Step> out = new ArrayList<>();
    for (int level = 0; level < chain.size(); level++) {
      Instant at = raised.plus(acknowledgeWithin.multipliedBy(level));
      if (at.isAfter(now) || (acknowledged != null && !at.isBefore(acknowledged) && level > 0)) {
        break;
      }
      out.add(new Step(at, level, chain.get(level)));
    }
    return out;
  }

  /**
   * One escalation event.
   *
   * @param at when it is due
   * @param level 0 for the first page, 1 for the first escalation, and so on
   * @param to the id paged
   */
  public record Step(Instant at, int level, String to) {}
}
