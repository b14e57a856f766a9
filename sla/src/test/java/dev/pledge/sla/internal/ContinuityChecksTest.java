package dev.pledge.sla.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pledge.core.Percentage;
import dev.pledge.core.SiteId;
import dev.pledge.core.evidence.Assessment;
import dev.pledge.core.evidence.AssessmentPeriod;
import dev.pledge.core.evidence.CheckContext;
import dev.pledge.core.evidence.Judgement;
import dev.pledge.core.evidence.Verdict;
import dev.pledge.core.notify.Alert;
import dev.pledge.core.notify.NotificationException;
import dev.pledge.core.notify.Notifier;
import dev.pledge.core.policy.PolicyDocument;
import dev.pledge.core.policy.PolicyLoader;
import dev.pledge.core.time.MutableClock;
import dev.pledge.sla.failover.FailoverGroup;
import dev.pledge.sla.failover.FailoverPolicy;
import dev.pledge.sla.history.MonthlyReportRecord;
import dev.pledge.sla.history.ProbeRecord;
import dev.pledge.sla.history.SlaHistory;
import dev.pledge.sla.history.SlaHistoryPolicy;
import dev.pledge.sla.maintenance.MaintenancePolicy;
import dev.pledge.sla.maintenance.MaintenanceScheduler;
import dev.pledge.sla.uptime.HealthCheck;
import dev.pledge.sla.uptime.ProbeSpec;
import dev.pledge.sla.uptime.UptimeMonitor;
import dev.pledge.sla.uptime.UptimePolicy;
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
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * P2 (announced maintenance excluded), P3 (figures recomputed), P4, P5 and P39 judged from a real
 * history the real components wrote (the uptime monitor alerting through a recording notifier, the
 * maintenance scheduler, a failover group), kept on the intact history and broken, naming the record,
 * when records are deleted or altered behind the report's back.
 */
class ContinuityChecksTest {
  private static final Instant T = Instant.parse("2026-12-03T13:00:00Z");
  private static final AssessmentPeriod PERIOD = new AssessmentPeriod(T.minus(Duration.ofHours(1)), T);

  @TempDir
  Path dir;
  private String table;
  private PolicyDocument policy;
  private SlaHistory history;
  private final List<Alert> slack = new ArrayList<>();

  @BeforeEach
  void anHourWithMaintenanceAnUpdateAndAFailover() {
    table = "slacont_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    policy = PolicyLoader.create().load("deployment.yaml", """
        organisation:
          name: Test Ltd
          sites:
            - id: shop
              environments: [production]
        uptime:
          target: 99.9%
          zone: Europe/London
          alertDestination: "#ops-urgent"
          probes:
            - site: shop
              url: https://shop.example.com/health
        maintenance:
          notice: 72 hours
        slaHistory:
          store: jdbc:h2:./sla-history
          table: TABLE
        """.replace("TABLE", table));
    history = SlaHistory.jdbc(policy.require(SlaHistoryPolicy.class).storeResolvedAgainst(dir), table);
    MutableClock clock = MutableClock.at(T.minus(Duration.ofDays(5)));
    MaintenanceScheduler scheduler = MaintenanceScheduler.builder(policy.require(MaintenancePolicy.class)).clock(clock)
        .notifier(a -> { }).history(history).build();
    // P39: maintenance of the shop announced five days ahead; P5: an update rolled out later, with no downtime.
    scheduler.schedule(SiteId.of("shop"), T.minus(Duration.ofMinutes(40)), T.minus(Duration.ofMinutes(20)),
        "checkout offline", false);
    clock.set(T.minus(Duration.ofMinutes(70)));
    scheduler.update(SiteId.of("shop"), T.minus(Duration.ofMinutes(15)), T.minus(Duration.ofMinutes(5)),
        "shop 4.2 rolling upgrade");

    // P2, P4: the monitor probes every minute; the shop is down for 7 minutes inside the maintenance window.
    UptimePolicy uptime = policy.require(UptimePolicy.class);
    UptimeMonitor monitor = UptimeMonitor.builder().clock(clock).store(UptimeStore.inMemory()).notifier(history.recording("slack", slack::add))
        .destination("#ops-urgent").build().history(history);
    Instant downFrom = T.minus(Duration.ofMinutes(35));
    Instant downTo = T.minus(Duration.ofMinutes(28));
    for (ProbeSpec p : uptime.probes()) {
      monitor.add(p, () -> !clock.instant().isBefore(downFrom) && clock.instant().isBefore(downTo)
          ? HealthCheck.Result.down("status 503, expected 200") : HealthCheck.Result.up("200"));
    }
    while (clock.instant().isBefore(T)) {
      monitor.runDue();
      clock.advance(Duration.ofMinutes(1));
    }

    // P5: the primary dies 10 minutes before the end; the spare serves every call; the primary comes back.
    clock.set(T.minus(Duration.ofMinutes(10)));
    AtomicBoolean primaryUp = new AtomicBoolean(true);
    FailoverPolicy failover = new FailoverPolicy(List.of(new FailoverPolicy.Group("shop-web",
        URI.create("https://a.example.com"), URI.create("https://b.example.com"), Percentage.parse("50%"), 4, 4,
        Duration.ofSeconds(30))));
    FailoverGroup<String> group = FailoverGroup.builder(failover, "shop-web", "primary", "spare")
        .primaryHealth(() -> primaryUp.get() ? HealthCheck.Result.up("ok") : HealthCheck.Result.down("connection refused"))
        .clock(clock).notifier(a -> { }).destination("#ops").history(history).build();
    for (int i = 0; i < 60; i++) {
      primaryUp.set(i < 20 || i >= 40);
      if (i % 5 == 0) {
        group.checkHealth();
      }
      group.call(server -> {
        if (server.equals("primary") && !primaryUp.get()) {
          throw new IllegalStateException("connection refused");
        }
        return server;
      });
      clock.advance(Duration.ofSeconds(1));
    }
  }

  private Assessment assess() {
    return Assessment.run(new CheckContext(policy, dir, PERIOD, MutableClock.at(T)),
        List.of(new UptimeHistoryCheck(), new AvailabilityAlertsCheck(), new ContinuityCheck()));
  }

  private static Judgement only(Assessment a, int promise) {
    assertThat(a.judgements(promise)).hasSize(1);
    return a.judgements(promise).get(0);
  }

  private void sql(String statement) throws Exception {
    String url = policy.require(SlaHistoryPolicy.class).storeResolvedAgainst(dir);
    try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
      assertThat(s.executeUpdate(statement.replace("T_", table + "_"))).as(statement).isPositive();
    }
  }

  private static long ago(int minutes) {
    return T.minus(Duration.ofMinutes(minutes)).getEpochSecond();
  }

  @Test
  void everyPromiseIsKeptOnTheIntactHistory() {
    Assessment a = assess();
    for (int p : List.of(2, 4, 5, 39)) {
      assertThat(a.verdict(p)).as("P" + p + ": " + a.judgements(p)).isEqualTo(Verdict.KEPT);
    }
    assertThat(slack).extracting(Alert::title).containsExactly("shop is DOWN", "shop is UP");
    assertThat(only(a, 2).evidence()).anySatisfy(e -> assertThat(e.value())
        .endsWith("7 min down in announced maintenance excluded"));
    assertThat(only(a, 4).evidence()).anySatisfy(e -> {
      assertThat(e.name()).isEqualTo("shop down at 2026-12-03T12:27:00Z");
      assertThat(e.value()).isEqualTo("alerted on slack #ops-urgent at 2026-12-03T12:27:00Z");
    });
    assertThat(only(a, 5).evidence()).anySatisfy(e -> assertThat(e.value())
        .isEqualTo("1 switch to the spare, 1 return to the primary, 0 calls failed for callers"));
    assertThat(only(a, 39).evidence()).anySatisfy(e -> assertThat(e.value()).contains("119 h 20 min ahead")
        .contains("impact: checkout offline"));
  }

  @Test
  void p4DeletedAlertDeliveriesMeanNobodyCanShowTheTeamWasTold() throws Exception {
    sql("DELETE FROM T_alerts");
    Judgement j = only(assess(), 4);
    assertThat(j.verdict()).isEqualTo(Verdict.NOT_KEPT);
    assertThat(j.summary()).isEqualTo("an availability alert did not reach the team on Slack or SMS: shop down at"
        + " 2026-12-03T12:27:00Z: no alert recorded");
  }

  @Test
  void p4AFailedDeliveryIsNamed() {
    MutableClock clock = MutableClock.at(T.minus(Duration.ofMinutes(3)));
    Notifier broken = history.recording("sms", a -> {
      throw new NotificationException("SNS answered 500");
    });
    UptimeMonitor monitor = UptimeMonitor.builder().clock(clock).store(UptimeStore.inMemory()).notifier(broken).destination("alice")
        .build()
        .history(history).add(ProbeSpec.of(SiteId.of("shop"), URI.create("https://shop.example.com/ready")),
            () -> HealthCheck.Result.down("status 503"));
    for (int i = 0; i < 3; i++) {
      monitor.runDue();
      clock.advance(Duration.ofMinutes(1));
    }
    Judgement j = only(assess(), 4);
    assertThat(j.verdict()).isEqualTo(Verdict.NOT_KEPT);
    assertThat(j.summary()).endsWith("shop down at 2026-12-03T12:59:00Z: sms alice failed: SNS answered 500");
  }

  @Test
  void p2AndP39MaintenanceAnnouncedLateIsNotExcluded() throws Exception {
    sql("UPDATE T_maintenance SET announced_s = start_s - 3600 WHERE kind = 'MAINTENANCE'");
    Assessment a = assess();
    assertThat(a.verdict(39)).isEqualTo(Verdict.NOT_KEPT);
    assertThat(only(a, 39).summary()).contains("announced 1 h ahead, the policy requires 72 h");
    assertThat(a.verdict(2)).isEqualTo(Verdict.NOT_KEPT);
    assertThat(only(a, 2).summary()).contains("shop: 88.333% is below 99.9%; down from 2026-12-03T12:25:00Z for 7 min");
  }

  @Test
  void p2DeletedMaintenanceWindowMakesItsDowntimeCount() throws Exception {
    sql("DELETE FROM T_maintenance WHERE kind = 'MAINTENANCE'");
    Assessment a = assess();
    assertThat(a.verdict(2)).isEqualTo(Verdict.NOT_KEPT);
    assertThat(a.verdict(39)).isEqualTo(Verdict.KEPT); // the update alone still shows zero downtime
  }

  @Test
  void p5AndP39AnUpdateThatTookTheSiteDownBreaksBoth() throws Exception {
    sql("UPDATE T_probes SET healthy = 0 WHERE at_s >= " + ago(14) + " AND at_s < " + ago(9));
    Assessment a = assess();
    assertThat(a.verdict(5)).isEqualTo(Verdict.NOT_KEPT);
    assertThat(only(a, 5).summary()).startsWith("an update caused downtime: update shop-20261203T1245Z-2 of shop")
        .endsWith("down from 2026-12-03T12:46:00Z for 5 min");
    assertThat(a.verdict(39)).isEqualTo(Verdict.NOT_KEPT);
  }

  @Test
  void p5ACallFailedForItsCaller() throws Exception {
    sql("INSERT INTO T_failover (grp, at_s, at_n, kind, detail) VALUES ('shop-web', " + ago(7)
        + ", 0, 'FAILED_FOR_CALLER', 'the spare failed too: IllegalStateException')");
    Judgement j = only(assess(), 5);
    assertThat(j.verdict()).isEqualTo(Verdict.NOT_KEPT);
    assertThat(j.summary()).isEqualTo("the spare did not pick up the load: shop-web at 2026-12-03T12:53:00Z: a call"
        + " failed for its caller (the spare failed too: IllegalStateException)");
  }

  @Test
  void p3TheMonthlyFigureIsRecomputedFromTheMonthsProbes() {
    YearMonth nov = YearMonth.of(2026, 11);
    Instant start = nov.atDay(1).atStartOfDay(java.time.ZoneId.of("Europe/London")).toInstant();
    Instant end = nov.plusMonths(1).atDay(1).atStartOfDay(java.time.ZoneId.of("Europe/London")).toInstant();
    Instant outage = start.plus(Duration.ofDays(10));
    List<ProbeRecord> month = new ArrayList<>();
    for (Instant t = start; t.isBefore(end); t = t.plus(Duration.ofMinutes(1))) {
      boolean down = !t.isBefore(outage) && t.isBefore(outage.plus(Duration.ofMinutes(30)));
      month.add(new ProbeRecord(SiteId.of("shop"), "https://shop.example.com/health", t, !down, down ? "503" : "200"));
    }
    history.appendProbes(month);
    Instant produced = Instant.parse("2026-12-01T00:05:00Z");
    history.appendMonthlyReport(new MonthlyReportRecord(SiteId.of("shop"), nov, produced, new BigDecimal("99.930"),
        "99.9%", true, 30));
    Judgement kept = only(assess(), 3);
    assertThat(kept.verdict()).as(kept.toString()).isEqualTo(Verdict.KEPT);
    assertThat(kept.evidence()).anySatisfy(e -> assertThat(e.value()).endsWith("recomputed from 43200 probe results: 30 min down"));

    history.appendMonthlyReport(new MonthlyReportRecord(SiteId.of("shop"), nov, produced.plusSeconds(60),
        new BigDecimal("100.000"), "99.9%", true, 0));
    Judgement j = only(assess(), 3);
    assertThat(j.verdict()).isEqualTo(Verdict.NOT_KEPT);
    assertThat(j.summary()).isEqualTo("a monthly uptime report disagrees with the recorded probe results: shop 2026-11:"
        + " the report says 0 min down, the recorded probe results show 30 min");
  }

  @Test
  void aStoreThatDoesNotExistIsNoEvidenceAndIsNotCreated() {
    PolicyDocument elsewhere = PolicyLoader.create().load("deployment.yaml", """
        uptime:
          probes:
            - site: shop
              url: https://shop.example.com/health
        slaHistory:
          store: jdbc:h2:./never-recorded
        """);
    Assessment a = Assessment.run(new CheckContext(elsewhere, dir, PERIOD, MutableClock.at(T)),
        List.of(new UptimeHistoryCheck(), new AvailabilityAlertsCheck(), new ContinuityCheck(), new SupportHistoryCheck()));
    for (int p : List.of(2, 3, 4, 5, 39)) {
      assertThat(a.verdict(p)).isEqualTo(Verdict.NO_EVIDENCE);
      assertThat(only(a, p).summary()).startsWith("the SLA history jdbc:h2:./never-recorded does not exist");
    }
    assertThat(dir.resolve("never-recorded.mv.db")).doesNotExist();
  }
}
