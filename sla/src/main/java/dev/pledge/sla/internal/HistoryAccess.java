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

  /**
   * Why there is no history to read, or empty when there is one: the policy names none, or names an
   * embedded H2 file that does not exist (a deployment that never recorded anything, such as the
   * bundled policy read from a folder that holds no history); opening it would only create it empty.
   */
  static Optional<String> missing(CheckContext ctx) {
    Optional<SlaHistoryPolicy> p = ctx.policy().section(SlaHistoryPolicy.class);
    if (p.isEmpty()) {
      return Optional.of("the policy names no SLA history (slaHistory section)");
    }
    String url = p.get().storeResolvedAgainst(ctx.baseDirectory());
    if (url.startsWith("jdbc:h2:") && !url.startsWith("jdbc:h2:mem:") && !url.startsWith("jdbc:h2:tcp:")
        && !url.startsWith("jdbc:h2:ssl:")) {
      String file = url.substring("jdbc:h2:".length());
      file = file.startsWith("file:") ? file.substring("file:".length()) : file;
      int semi = file.indexOf(';');
      file = semi < 0 ? file : file.substring(0, semi);
      if (!file.startsWith("~") && !java.nio.file.Files.exists(java.nio.file.Path.of(file + ".mv.db"))) {
        return Optional.of("the SLA history " + SlaHistoryPolicy.redacted(p.get().store()) + " does not exist (nothing"
            + " was recorded there)");
      }
    }
    return Optional.empty();
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
