package dev.pledge.sla.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pledge.core.PledgeException;
import dev.pledge.core.SiteId;
import dev.pledge.core.notify.Notifier;
import dev.pledge.core.testing.Requirements;
import dev.pledge.core.time.MutableClock;
import dev.pledge.sla.SlaPolicies;
import dev.pledge.sla.clock.SlaClock;
import dev.pledge.sla.clock.SlaEvent;
import dev.pledge.sla.oncall.OnCallPolicy;
import dev.pledge.sla.oncall.OnCallSchedule;
import dev.pledge.sla.oncall.Triage;
import dev.pledge.sla.oncall.TriageEvent;
import dev.pledge.sla.severity.Classifier;
import dev.pledge.sla.severity.Report;
import dev.pledge.sla.severity.SlaPolicy;
import dev.pledge.sla.uptime.HealthCheck;
import dev.pledge.sla.uptime.ProbeSpec;
import dev.pledge.sla.uptime.UptimeMonitor;
import dev.pledge.sla.uptime.UptimeStore;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The JDBC history on H2, PostgreSQL and MariaDB: what one instance writes, another over the same tables reads. */
class SlaHistoryTest {
  private static final Instant T = Instant.parse("2026-12-03T13:00:00Z");

  private static String prefix() {
    return "slastore_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
  }

  /** Writes through one instance with the real components and reads through the other. */
  private static void twoInstancesShareOneHistory(SlaHistory writer, SlaHistory reader) {
    SlaPolicy sla = SlaPolicies.bundled();
    OnCallPolicy oncall = SlaPolicies.load("oncall/good.yaml").require(OnCallPolicy.class);
    Instant opened = T.minus(Duration.ofMinutes(50));
    SlaClock clock = SlaClock.open(sla.targets("acme"), opened, 1).recordingTo(writer, "R-1", "acme")
        .append(new SlaEvent.Paused(opened.plusSeconds(60), "waiting for the customer"))
        .append(new SlaEvent.Resumed(opened.plusSeconds(120)))
        .append(new SlaEvent.Responded(opened.plus(Duration.ofMinutes(30))));
    Triage triage = Triage.start("R-1", Classifier.from(sla).classify(Report.of("The shop is down, 502 on checkout")),
            OnCallSchedule.from(oncall), "support-queue", opened).recordingTo(writer)
        .reassign(opened.plusSeconds(300), TriageEvent.Assignee.engineer("bob"), "alice", "bob knows checkout")
        .reclassify(opened.plusSeconds(400), 2, "bob", "one customer only");

    assertThat(reader.clockEvents("R-1")).isEqualTo(clock.events());
    assertThat(reader.triageEvents("R-1")).isEqualTo(triage.history());
    assertThat(SlaClock.replay(sla.targets("acme"), reader.clockEvents("R-1")).status(T).elapsed())
        .isEqualTo(clock.status(T).elapsed());
    List<ReportHistory> reports = reader.reports(T.minus(Duration.ofHours(1)), T);
    assertThat(reports).singleElement().satisfies(h -> {
      assertThat(h.reportId()).isEqualTo("R-1");
      assertThat(h.customer()).contains("acme");
      assertThat(h.triage()).hasSize(4);
    });
    assertThat(reader.reports(T, T.plus(Duration.ofHours(1)))).isEmpty(); // answered before that period

    // A second writer appending the same event of the same report is refused, not silently merged.
    assertThatThrownBy(() -> reader.appendClock("R-1", null, 3, new SlaEvent.Resolved(T)))
        .isInstanceOf(PledgeException.class).hasMessageContaining("R-1").hasMessageContaining("#3")
        .hasMessageContaining("already recorded");
    // A clock replayed from the history and recording again writes only what is new.
    SlaClock again = SlaClock.replay(sla.targets("acme"), reader.clockEvents("R-1")).recordingTo(reader, "R-1", "acme")
        .append(new SlaEvent.Resolved(T.minusSeconds(1)));
    assertThat(writer.clockEvents("R-1")).isEqualTo(again.events()).hasSize(5);

    // An unanswered report stays in every later period until it is answered.
    SlaClock.open(sla.targets(null), T.minus(Duration.ofDays(3)), 3).recordingTo(writer, "R-2", null);
    assertThat(reader.reports(T.minus(Duration.ofHours(1)), T)).extracting(ReportHistory::reportId)
        .containsExactly("R-1", "R-2");

    writer.appendProbes(List.of(new ProbeRecord(SiteId.of("shop"), "https://shop.example.com/health", T.minusSeconds(30),
        false, "status 503, expected 200")));
    assertThat(reader.probes(T.minusSeconds(60), T)).singleElement()
        .satisfies(p -> assertThat(p.detail()).isEqualTo("status 503, expected 200"));
    assertThat(reader.probes(T, T.plusSeconds(60))).isEmpty();
    reader.appendMonthlyReport(new MonthlyReportRecord(SiteId.of("shop"), YearMonth.of(2026, 11),
        Instant.parse("2026-12-01T00:05:00Z"), new BigDecimal("99.987"), "99.9%", true, 5));
    assertThat(writer.monthlyReports()).singleElement().satisfies(m -> {
      assertThat(m.month()).isEqualTo(YearMonth.of(2026, 11));
      assertThat(m.uptimePercent()).isEqualByComparingTo("99.987");
    });
  }

  @Test
  void h2FileSharedByTwoInstances(@TempDir Path dir) {
    String url = "jdbc:h2:" + dir.resolve("history").toAbsolutePath();
    String p = prefix();
    twoInstancesShareOneHistory(SlaHistory.jdbc(url, p), SlaHistory.jdbc(url, p));
  }

  @Test
  void postgresql() {
    Requirements.requirePostgres();
    String p = prefix();
    String url = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";
    twoInstancesShareOneHistory(SlaHistory.jdbc(url, p), SlaHistory.jdbc(url, p));
  }

  @Test
  void mariadb() throws Exception {
    Requirements.requireMariaDb();
    try (Connection c = DriverManager.getConnection("jdbc:mariadb://127.0.0.1:3306/", "root", "");
        Statement s = c.createStatement()) {
      s.executeUpdate("CREATE DATABASE IF NOT EXISTS test");
    }
    String p = prefix();
    String url = "jdbc:mariadb://127.0.0.1:3306/test?user=root";
    twoInstancesShareOneHistory(SlaHistory.jdbc(url, p), SlaHistory.jdbc(url, p));
  }

  @Test
  void theMonitorRecordsEveryProbeResult(@TempDir Path dir) {
    SlaHistory history = SlaHistory.jdbc("jdbc:h2:" + dir.resolve("history").toAbsolutePath(), prefix());
    MutableClock clock = MutableClock.at(T);
    AtomicBoolean up = new AtomicBoolean(true);
    ProbeSpec spec = ProbeSpec.of(SiteId.of("shop"), URI.create("https://user:secret@shop.example.com/health?token=x"));
    UptimeMonitor monitor = UptimeMonitor.builder().clock(clock).store(UptimeStore.inMemory()).notifier(Notifier.recording())
        .destination("ops").build().history(history).add(spec, () -> up.get() ? HealthCheck.Result.up("200") : HealthCheck.Result.down("status 503"));
    for (int minute = 0; minute < 10; minute++) {
      up.set(minute < 3 || minute > 6);
      monitor.runDue();
      clock.advance(Duration.ofMinutes(1));
    }
    List<ProbeRecord> probes = history.probes(T, T.plus(Duration.ofMinutes(10)));
    assertThat(probes).hasSize(10).allSatisfy(p -> assertThat(p.probe()).isEqualTo("https://shop.example.com/health"));
    assertThat(probes).filteredOn(p -> !p.healthy()).hasSize(4).first()
        .satisfies(p -> assertThat(p.at()).isEqualTo(T.plus(Duration.ofMinutes(3))));
  }

  @Test
  void thePolicySectionResolvesARelativeH2FileAgainstThePolicysFolder(@TempDir Path dir) {
    assertThat(new SlaHistoryPolicy("jdbc:h2:./sla-history;DB_CLOSE_DELAY=10", null).storeResolvedAgainst(dir))
        .isEqualTo("jdbc:h2:" + dir.toAbsolutePath().resolve("sla-history") + ";DB_CLOSE_DELAY=10");
    assertThat(new SlaHistoryPolicy("jdbc:h2:mem:x", "t").storeResolvedAgainst(dir)).isEqualTo("jdbc:h2:mem:x");
    assertThat(new SlaHistoryPolicy("jdbc:postgresql://db/x", null).table()).isEqualTo("pledge_sla");
    assertThatThrownBy(() -> new SlaHistoryPolicy("jdbc:sqlite:x.db", null))
        .hasMessageContaining("store must be a jdbc:postgresql://");
    assertThatThrownBy(() -> new SlaHistoryPolicy("jdbc:postgresql://u:pw@db/x", "Drop table;"))
        .hasMessageContaining("table must be").hasMessageNotContaining("pw");
    assertThatThrownBy(() -> new SlaHistoryPolicy("mysql://u:hunter2@db/x", null))
        .hasMessageNotContaining("hunter2");
  }
}
