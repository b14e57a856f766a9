package dev.pledge.sla.history;

import dev.pledge.sla.clock.SlaEvent;
import dev.pledge.sla.oncall.TriageEvent;
import java.time.Instant;
import java.util.List;
import javax.sql.DataSource;

/**
 * The durable history of the support SLA and of uptime (P2-P5, P33-P37, P39): SLA clock and triage
 * events of every report, health-probe results, the monthly uptime reports produced, alert
 * deliveries, failover events and maintenance windows. Components write to it when configured
 * ({@code SlaClock.recordingTo}, {@code Triage.recordingTo}, {@code UptimeMonitor.history},
 * {@link #recording} around a notifier, {@code FailoverGroup.Builder.history},
 * {@code MaintenanceScheduler.Builder.history}); the compliance report's checks read it. Records are only ever
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

  /** Records that an alert was handed to a notifier, and whether it was delivered (P4). */
  void appendDelivery(AlertDeliveryRecord delivery);

  /** Records a failover group's switch, return or call failed for its caller (P5). */
  void appendFailover(FailoverRecord event);

  /**
   * Records a maintenance window or update as scheduled (P2, P5, P39); its {@code cancelled} is
   * ignored (use {@link #appendCancellation}).
   *
   * @throws dev.pledge.core.PledgeException when the store cannot be written, or a window of that id
   *     is already recorded
   */
  void appendMaintenance(MaintenanceRecord window);

  /** Records that the maintenance window or update {@code id} was cancelled at {@code at}. */
  void appendCancellation(String id, Instant at);

  /** The alert deliveries with {@code from <= at < to}, oldest first. */
  List<AlertDeliveryRecord> deliveries(Instant from, Instant to);

  /** The failover events with {@code from <= at < to}, oldest first. */
  List<FailoverRecord> failovers(Instant from, Instant to);

  /**
   * The maintenance windows and updates that overlap {@code [from, to)} or were announced in it, by
   * start, each with its cancellation when one is recorded.
   */
  List<MaintenanceRecord> maintenance(Instant from, Instant to);

  /**
   * {@code notifier}, recording every alert handed to it in this history as a delivery on
   * {@code channel} (P4): delivered when {@code send} returns, failed (with the error) when it throws,
   * and the exception still reaches the caller. A history that cannot be written is logged and the
   * alert still goes out. Thread-safe when the notifier is.
   *
   * @param channel the channel's name in the records, such as {@code slack} or {@code sms}
   * @param notifier the notifier that delivers
   * @return the recording notifier
   */
  default dev.pledge.core.notify.Notifier recording(String channel, dev.pledge.core.notify.Notifier notifier) {
    java.util.Objects.requireNonNull(notifier, "notifier");
    if (channel == null || channel.isBlank()) {
      throw new IllegalArgumentException("channel must name the notifier's channel, such as slack or sms");
    }
    SlaHistory history = this;
    return alert -> {
      String error = null;
      try {
        notifier.send(alert);
      } catch (RuntimeException e) {
        error = String.valueOf(e.getMessage());
        throw e;
      } finally {
        try {
          history.appendDelivery(AlertDeliveryRecord.of(alert, channel, alert.at(), error));
        } catch (RuntimeException e) {
          org.slf4j.LoggerFactory.getLogger(SlaHistory.class).warn("the delivery of alert '{}' on {} could not be"
              + " recorded: {}", alert.title(), channel, e.getMessage());
        }
      }
    };
  }

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
   * A history in six tables of a PostgreSQL, MariaDB or H2 database, created on first use with an
   * index on their time columns: {@code PREFIX_events}, {@code PREFIX_probes}, {@code PREFIX_monthly},
   * {@code PREFIX_alerts}, {@code PREFIX_failover} and {@code PREFIX_maintenance}.
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
