package dev.pledge.sla.history;

import dev.pledge.sla.clock.SlaEvent;
import dev.pledge.sla.oncall.TriageEvent;
import java.time.Instant;
import java.util.List;
import javax.sql.DataSource;

/**
 * The durable history of the support SLA and of uptime (P2, P3, P33-P37): SLA clock and triage
 * events of every report, health-probe results and the monthly uptime reports produced. Components
 * write to it when configured ({@code SlaClock.recordingTo}, {@code Triage.recordingTo},
 * {@code UptimeMonitor.history}); the compliance report's checks read it. Records are only ever
 * appended. Implementations are thread-safe, and several instances over one database see each
 * other's records.
 */
public interface SlaHistory {

  /**
   * Appends event number {@code seq} (0 for the opening) of the SLA clock of report {@code reportId}.
   *
   * @param customer the customer whose terms the clock runs on; null for the standard terms (kept
   *     with the opening)
   * @throws dev.pledge.core.PledgeException when the store cannot be written, or that event of that
   *     report is already recorded (another writer appended to the same report)
   */
  void appendClock(String reportId, String customer, int seq, SlaEvent event);

  /**
   * Appends event number {@code seq} (0 for the classification) of the triage of report {@code reportId}.
   *
   * @throws dev.pledge.core.PledgeException as for {@link #appendClock}
   */
  void appendTriage(String reportId, int seq, TriageEvent event);

  /** Appends probe results. */
  void appendProbes(List<ProbeRecord> probes);

  /** Records that a monthly uptime report was produced. */
  void appendMonthlyReport(MonthlyReportRecord report);

  /** The SLA clock events of {@code reportId}, oldest first; empty when none is recorded. */
  List<SlaEvent> clockEvents(String reportId);

  /** The triage events of {@code reportId}, oldest first; empty when none is recorded. */
  List<TriageEvent> triageEvents(String reportId);

  /**
   * The reports with an event in {@code [from, to)}, and those opened before {@code to} whose clock
   * has neither a response nor a resolution yet, sorted by id.
   */
  List<ReportHistory> reports(Instant from, Instant to);

  /** The probe results with {@code from <= at < to}, oldest first. */
  List<ProbeRecord> probes(Instant from, Instant to);

  /** Every monthly report recorded, by site, month and production time. */
  List<MonthlyReportRecord> monthlyReports();

  /**
   * A history in three tables of a PostgreSQL, MariaDB or H2 database, created on first use:
   * {@code PREFIX_events}, {@code PREFIX_probes} and {@code PREFIX_monthly}.
   *
   * @param tablePrefix lower-case letters, digits and underscores, starting with a letter, at most
   *     40 characters, such as {@code pledge_sla}
   */
  static SlaHistory jdbc(DataSource dataSource, String tablePrefix) {
    return new dev.pledge.sla.history.internal.JdbcSlaHistory(dataSource, tablePrefix);
  }

  /**
   * The same over {@code jdbcUrl} ({@code jdbc:postgresql://...}, {@code jdbc:mariadb://...},
   * {@code jdbc:h2:...}). An embedded H2 file stays open for 10 seconds after its last connection
   * closes ({@code DB_CLOSE_DELAY=10}, unless the URL sets it), so that consecutive calls do not
   * reopen the file each time.
   */
  static SlaHistory jdbc(String jdbcUrl, String tablePrefix) {
    String url = jdbcUrl;
    if (url.startsWith("jdbc:h2:") && !url.startsWith("jdbc:h2:tcp:") && !url.startsWith("jdbc:h2:ssl:")
        && !url.toUpperCase(java.util.Locale.ROOT).contains("DB_CLOSE_DELAY")) {
      url = url + ";DB_CLOSE_DELAY=10";
    }
    return jdbc(dev.pledge.core.jdbc.DataSources.fromUrl(url), tablePrefix);
  }

  /**
   * The history the policy's {@code slaHistory} section names, its store read as it is written (use
   * {@link SlaHistoryPolicy#storeResolvedAgainst} first for a relative H2 file).
   */
  static SlaHistory from(SlaHistoryPolicy section) {
    return jdbc(section.store(), section.table());
  }
}
