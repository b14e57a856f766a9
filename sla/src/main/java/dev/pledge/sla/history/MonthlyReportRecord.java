package dev.pledge.sla.history;

import dev.pledge.core.SiteId;
import dev.pledge.sla.uptime.MonthlyUptimeReport;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.YearMonth;
import java.util.Objects;

/**
 * That the monthly uptime report of one site was produced (P3), with its headline figures, as
 * recorded in the {@link SlaHistory}. Immutable.
 *
 * @param site the site
 * @param month the calendar month reported
 * @param producedAt when the report was produced
 * @param uptimePercent the month's uptime, in percent
 * @param target the target it was measured against, such as {@code 99.9%}
 * @param met whether the target was met
 * @param downMinutes the minutes of counted downtime
 */
public record MonthlyReportRecord(SiteId site, YearMonth month, Instant producedAt, BigDecimal uptimePercent,
    String target, boolean met, long downMinutes) {

  /** Validates the record. */
  public MonthlyReportRecord {
    Objects.requireNonNull(site, "site");
    Objects.requireNonNull(month, "month");
    Objects.requireNonNull(producedAt, "producedAt");
    Objects.requireNonNull(uptimePercent, "uptimePercent");
    Objects.requireNonNull(target, "target");
    if (downMinutes < 0) {
      throw new IllegalArgumentException("downMinutes must not be negative, got " + downMinutes);
    }
  }

  /** The record of {@code report}, produced at {@code producedAt}. */
  public static MonthlyReportRecord of(MonthlyUptimeReport report, Instant producedAt) {
    return new MonthlyReportRecord(report.site(), report.month(), producedAt, report.uptimePercent(),
        report.target().toString(), report.met(), report.downtime().toMinutes());
  }
}
