package dev.pledge.sla.history;

import dev.pledge.core.SiteId;
import java.time.Instant;
import java.util.Objects;

/**
 * One health-probe result as recorded in the {@link SlaHistory} (P2). Immutable.
 *
 * @param site the site probed
 * @param probe the probe's address, without user info, query or fragment
 * @param at when the probe ran
 * @param healthy whether the site answered as expected
 * @param detail what was seen, such as {@code status 503, expected 200}; never a secret
 */
public record ProbeRecord(SiteId site, String probe, Instant at, boolean healthy, String detail) {
  /** Validates the record. */
  public ProbeRecord {
    Objects.requireNonNull(site, "site");
    Objects.requireNonNull(at, "at");
    if (probe == null || probe.isBlank()) {
      throw new IllegalArgumentException("probe must name the probe's address");
    }
    detail = detail == null ? "" : detail;
  }
}
