package dev.pledge.sla.uptime;

import dev.pledge.sla.maintenance.MaintenanceWindow;
import java.time.Duration;
import java.util.Objects;

/**
 * Whether the downtime inside one maintenance window was excluded from a month's uptime, and why
 * (P39). Immutable.
 *
 * @param window the window as announced
 * @param excluded whether downtime inside the window was excluded
 * @param reason why
 * @param downtimeInside the downtime (after merging and the minimum-outage rule) inside the window, within the month
 * @param overrun downtime that continued past the window's end without a break, within the month (always counted)
 * @param explanation one sentence for people
 */
public record MaintenanceDecision(
    MaintenanceWindow window, boolean excluded, Reason reason, Duration downtimeInside, Duration overrun,
    String explanation) {

  /** Why a window was or was not excluded. */
  public enum Reason {
    /** Announced at least the notice period ahead: downtime inside it is excluded. */
    ANNOUNCED_IN_TIME,
    /** Announced with less than the notice period: its downtime counts. */
    LATE_NOTICE,
    /** Scheduled as an emergency: its downtime counts. */
    EMERGENCY
  }

  /** Validates the decision. */
  public MaintenanceDecision {
    Objects.requireNonNull(window, "window");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(downtimeInside, "downtimeInside");
    Objects.requireNonNull(overrun, "overrun");
    Objects.requireNonNull(explanation, "explanation");
    if (excluded != (reason == Reason.ANNOUNCED_IN_TIME)) {
      throw new IllegalArgumentException("excluded must be true exactly when reason is ANNOUNCED_IN_TIME, got "
          + excluded + " with " + reason);
    }
  }
}
