package dev.pledge.sla.oncall;

import java.time.Instant;
import java.util.Objects;

/**
 * A temporary replacement on an on-call schedule (a holiday swap, P38): {@code engineer} is on call
 * from {@code from} (inclusive) to {@code to} (exclusive), whatever the rotations say. Immutable.
 *
 * @param from start, inclusive
 * @param to end, exclusive
 * @param engineer the engineer's id
 */
public record Override(Instant from, Instant to, String engineer) {
  /** Validates the override. */
  public Override {
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
    if (!to.isAfter(from)) {
      throw new IllegalArgumentException("override must end after it starts, got " + from + " to " + to);
    }
    if (engineer == null || engineer.isBlank()) {
      throw new IllegalArgumentException("override needs an engineer");
    }
  }

  boolean covers(Instant at) {
    return !at.isBefore(from) && at.isBefore(to);
  }
}
