package dev.pledge.sla.history;

import dev.pledge.core.SiteId;
import dev.pledge.sla.maintenance.MaintenanceWindow;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A maintenance window or an update as recorded in the {@link SlaHistory} when it was scheduled (P2,
 * P5, P39): maintenance may take the site down and is excluded from uptime when announced in time;
 * an update is promised to cause no downtime at all. Immutable.
 *
 * @param id the window's identifier, unique in the history, such as {@code shop-3}
 * @param site the site it affects
 * @param kind maintenance or update
 * @param window its start, end, announcement, emergency flag and impact
 * @param cancelled when it was cancelled; empty when it was not
 */
public record MaintenanceRecord(String id, SiteId site, Kind kind, MaintenanceWindow window, Optional<Instant> cancelled) {

  /** What was scheduled. */
  public enum Kind {
    /** Maintenance that may take the site down: announced ahead, excluded from uptime when announced in time. */
    MAINTENANCE,
    /** An update rolled out with zero downtime (P5, P39): every health probe during it must pass. */
    UPDATE
  }

  /** Validates the record. */
  public MaintenanceRecord {
    if (id == null || id.isBlank() || id.length() > 200) {
      throw new IllegalArgumentException("id must be 1 to 200 characters, got '" + id + "'");
    }
    Objects.requireNonNull(site, "site");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(window, "window");
    Objects.requireNonNull(cancelled, "cancelled");
  }

  /** Whether the window was cancelled before it started, so nothing of it took place. */
  public boolean cancelledBeforeStart() {
    return cancelled.isPresent() && !cancelled.get().isAfter(window.start());
  }
}
