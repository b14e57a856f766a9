package dev.pledge.sla.uptime;

import dev.pledge.core.SiteId;
import java.time.Instant;
import java.util.Objects;

/**
 * A site going down or coming back up, as the monitor decided it (P3, P4). {@code at} is the time
 * of the first check of the streak that caused the change, so that an outage is measured from the
 * first failed check, not from when the threshold was reached. Immutable.
 *
 * @param site the site
 * @param at when the new state began
 * @param to the new state
 * @param reason what the checks saw
 */
public record StateChange(SiteId site, Instant at, SiteState to, String reason) {
  /** Validates the change. */
  public StateChange {
    Objects.requireNonNull(site, "site");
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(to, "to");
    reason = reason == null ? "" : reason;
  }
}
