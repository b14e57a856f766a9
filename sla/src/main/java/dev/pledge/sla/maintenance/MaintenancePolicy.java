package dev.pledge.sla.maintenance;

import java.time.Duration;
import java.util.List;

/**
 * The {@code maintenance} section of the policy (P39): how far ahead maintenance must be announced
 * for its downtime to be excluded from uptime, when customers are reminded, and whether emergency
 * work with shorter notice may be scheduled (it then counts as downtime). Immutable.
 *
 * @param notice the minimum notice between announcement and start (default 72 hours)
 * @param reminders how long before the start customers are reminded (default 24 hours and 1 hour)
 * @param allowEmergency whether a window with short notice may be scheduled as an emergency
 *     (default true); an emergency window always counts as downtime
 * @param destination the {@code Alert} destination of customer notices (default {@code customers})
 */
public record MaintenancePolicy(
    Duration notice, List<Duration> reminders, Boolean allowEmergency, String destination) {

  /** Applies defaults and validates. */
  public MaintenancePolicy {
    notice = notice == null ? Duration.ofHours(72) : notice;
    reminders = reminders == null ? List.of(Duration.ofHours(24), Duration.ofHours(1)) : List.copyOf(reminders);
    for (Duration r : reminders) {
      if (r.compareTo(notice) > 0) {
        throw new IllegalArgumentException("reminders: a reminder " + r + " before the start is earlier than the "
            + "notice period " + notice + ", so it would come before the announcement");
      }
    }
    allowEmergency = allowEmergency == null ? Boolean.TRUE : allowEmergency;
    destination = destination == null ? "customers" : destination.strip();
    if (destination.isEmpty()) {
      throw new IllegalArgumentException("destination must not be blank");
    }
  }

  /** The policy with every default: 72 hours' notice, reminders 24 hours and 1 hour ahead. */
  public static MaintenancePolicy defaults() {
    return new MaintenancePolicy(null, null, null, null);
  }
}
