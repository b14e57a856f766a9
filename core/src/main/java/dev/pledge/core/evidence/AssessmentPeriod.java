package dev.pledge.core.evidence;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * The half-open period {@code [from, to)} over which evidence is judged. Immutable.
 *
 * @param from the first instant judged
 * @param to the first instant not judged; usually "now"
 */
public record AssessmentPeriod(Instant from, Instant to) {

  /** Validates that {@code from} is before {@code to}. */
  public AssessmentPeriod {
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
    if (!from.isBefore(to)) {
      throw new IllegalArgumentException("the period must start before it ends: from " + from + ", to " + to);
    }
  }

  /** The period of length {@code length} ending at {@code to}. */
  public static AssessmentPeriod ending(Instant to, Duration length) {
    return new AssessmentPeriod(to.minus(length), to);
  }

  /** True when {@code t} is in {@code [from, to)}. */
  public boolean contains(Instant t) {
    return !t.isBefore(from) && t.isBefore(to);
  }

  /** The period's length. */
  public Duration length() {
    return Duration.between(from, to);
  }
}
