package dev.pledge.sla.history;

import java.time.Instant;
import java.util.Objects;

/**
 * One event of a failover group as recorded in the {@link SlaHistory} (P5): a switch to the spare, a
 * return to the primary, or a call that failed for its caller because the spare failed too.
 * Immutable.
 *
 * @param group the failover group's name
 * @param at when it happened
 * @param kind what happened
 * @param detail why (the health check's or the error's words); never a secret
 */
public record FailoverRecord(String group, Instant at, Kind kind, String detail) {

  /** What a failover group did. */
  public enum Kind {
    /** Calls switched to the spare. */
    TO_SPARE,
    /** Calls returned to the primary. */
    TO_PRIMARY,
    /** A call failed for its caller: neither endpoint served it. */
    FAILED_FOR_CALLER
  }

  /** Validates the record. */
  public FailoverRecord {
    if (group == null || group.isBlank()) {
      throw new IllegalArgumentException("group must name the failover group");
    }
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(kind, "kind");
    detail = detail == null ? "" : detail;
  }
}
