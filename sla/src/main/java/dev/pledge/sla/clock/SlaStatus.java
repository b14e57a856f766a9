package dev.pledge.sla.clock;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Where a report's response clock stands at one instant (P34-P37). Immutable.
 *
 * @param at the instant of evaluation
 * @param state running, paused, responded or resolved
 * @param rank the tier in force
 * @param target the tier's target
 * @param elapsed working time counted so far (pauses and non-working hours excluded)
 * @param remaining working time left before the target, zero when breached
 * @param deadline when the target is (or was) reached; empty while paused before it, or when the
 *     response came first
 * @param breached whether the target was reached before a response
 * @param warnings the 50/75/90/100% warnings reached so far, oldest first
 */
public record SlaStatus(
    Instant at,
    State state,
    int rank,
    Duration target,
    Duration elapsed,
    Duration remaining,
    Optional<Instant> deadline,
    boolean breached,
    List<SlaWarning> warnings) {

  /** Copies the warnings. */
  public SlaStatus {
    warnings = List.copyOf(warnings);
  }

  /** The state of a report's response clock. */
  public enum State {
    /** Counting. */
    RUNNING,
    /** Stopped for a while; a resume makes it count again. */
    PAUSED,
    /** An engineer responded: the response target is met or breached, for good. */
    RESPONDED,
    /** Resolved. */
    RESOLVED
  }
}
