package dev.pledge.sla.maintenance;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * A maintenance window as announced to customers (P39): work from {@code start} to {@code end},
 * announced at {@code announced}. Downtime inside the window is excluded from uptime only when the
 * announcement came at least the policy's notice period before the start and the window is not an
 * emergency. Immutable.
 *
 * @param start when the work starts
 * @param end when it is announced to end; after {@code start}
 * @param announced when customers were told; not after {@code start}
 * @param emergency whether the window was scheduled as an emergency (always counts as downtime)
 * @param impact what customers will notice, for notices and reports (may be empty)
 */
public record MaintenanceWindow(Instant start, Instant end, Instant announced, boolean emergency, String impact) {

  /** Validates the window. */
  public MaintenanceWindow {
    Objects.requireNonNull(start, "start");
    Objects.requireNonNull(end, "end");
    Objects.requireNonNull(announced, "announced");
    if (!end.isAfter(start)) {
      throw new IllegalArgumentException("end must be after start, got start " + start + " and end " + end);
    }
    if (announced.isAfter(start)) {
      throw new IllegalArgumentException("announced must not be after start, got announced " + announced
          + " and start " + start);
    }
    impact = impact == null ? "" : impact.strip();
  }

  /** A planned (non-emergency) window with no stated impact. */
  public static MaintenanceWindow of(Instant start, Instant end, Instant announced) {
    return new MaintenanceWindow(start, end, announced, false, "");
  }

  /** How far ahead of the start the window was announced. */
  public Duration notice() {
    return Duration.between(announced, start);
  }

  /** How long the window lasts. */
  public Duration duration() {
    return Duration.between(start, end);
  }
}
