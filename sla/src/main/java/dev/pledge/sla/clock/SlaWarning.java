package dev.pledge.sla.clock;

import dev.pledge.core.event.PledgeEvent;
import java.time.Instant;
import java.util.Objects;

/**
 * A report's response clock reached {@code percent} of its tier's target (50, 75, 90 or 100; 100
 * means breached). Derived from the clock's events, so replays give the same warnings. Immutable.
 *
 * @param occurredAt when the threshold was reached (or, after a reclassification to a stricter tier,
 *     the reclassification instant when the threshold was already past)
 * @param percent the threshold reached
 * @param rank the tier whose target was measured
 */
public record SlaWarning(Instant occurredAt, int percent, int rank) implements PledgeEvent {
  /** Validates the warning. */
  public SlaWarning {
    Objects.requireNonNull(occurredAt, "occurredAt");
  }

  /** Whether this warning is the breach (100%). */
  public boolean isBreach() {
    return percent >= 100;
  }
}
