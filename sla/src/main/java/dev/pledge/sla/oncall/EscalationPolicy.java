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
}
