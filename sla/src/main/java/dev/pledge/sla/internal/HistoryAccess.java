package dev.pledge.sla.internal;

import dev.pledge.core.evidence.CheckContext;
import dev.pledge.sla.history.SlaHistory;
import dev.pledge.sla.history.SlaHistoryPolicy;
import java.time.Duration;
import java.util.Optional;

/** Opens the SLA history the policy's {@code slaHistory} section names, and words durations for evidence. */
final class HistoryAccess {
  private HistoryAccess() {}

  /** The history, or empty when the policy names none. */
  static Optional<SlaHistory> open(CheckContext ctx) {
    return ctx.policy().section(SlaHistoryPolicy.class)
        .map(p -> SlaHistory.jdbc(p.storeResolvedAgainst(ctx.baseDirectory()), p.table()));
  }

  /** Where the history is, for evidence: never a password. */
  static String where(CheckContext ctx) {
    return ctx.policy().section(SlaHistoryPolicy.class)
        .map(p -> SlaHistoryPolicy.redacted(p.store()) + " (tables " + p.table() + "_*)").orElse("none");
  }

  /** A duration as people write it: {@code 35 min}, {@code 1 h 20 min}, {@code 48 h}, {@code 42 s}. */
  static String human(Duration d) {
    if (d.toSeconds() < 60) {
      return d.toSeconds() + " s";
    }
    long m = d.toMinutes();
    if (m < 60) {
      return m + " min";
    }
    return m / 60 + " h" + (m % 60 == 0 ? "" : " " + m % 60 + " min");
  }
}
