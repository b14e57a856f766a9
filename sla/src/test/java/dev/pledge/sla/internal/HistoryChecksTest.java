package dev.pledge.sla.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pledge.core.SiteId;
import dev.pledge.core.evidence.Assessment;
import dev.pledge.core.evidence.AssessmentPeriod;
import dev.pledge.core.evidence.CheckContext;
import dev.pledge.core.evidence.Judgement;
import dev.pledge.core.evidence.Verdict;
import dev.pledge.core.notify.Notifier;
import dev.pledge.core.policy.PolicyDocument;
import dev.pledge.core.policy.PolicyLoader;
import dev.pledge.core.time.MutableClock;
import dev.pledge.sla.SlaPolicies;
import dev.pledge.sla.clock.SlaClock;
import dev.pledge.sla.clock.SlaEvent;
import dev.pledge.sla.history.MonthlyReportRecord;
import dev.pledge.sla.history.SlaHistory;
import dev.pledge.sla.history.SlaHistoryPolicy;
import dev.pledge.sla.oncall.OnCallPolicy;
import dev.pledge.sla.oncall.OnCallSchedule;
import dev.pledge.sla.oncall.Triage;
import dev.pledge.sla.severity.Classification;
import dev.pledge.sla.severity.Classifier;
import dev.pledge.sla.severity.Report;
import dev.pledge.sla.severity.SlaPolicy;
import dev.pledge.sla.uptime.HealthCheck;
import dev.pledge.sla.uptime.ProbeSpec;
import dev.pledge.sla.uptime.UptimeCalculator;
import dev.pledge.sla.uptime.UptimeMonitor;
import dev.pledge.sla.uptime.UptimePolicy;
import dev.pledge.sla.uptime.UptimeStore;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * P2, P3 and P33-P37 judged from a real history (H2 file beside the policy) that the real components
 * wrote: each kept on the intact history, and each broken, with a reason naming the record, when the
 * records are deleted or altered behind the report's back.
 */
class HistoryChecksTest {
  private static final Instant T = Instant.parse("2026-12-03T13:00:00Z"); // a Thursday, office hours in London
  private static final AssessmentPeriod PERIOD = new AssessmentPeriod(T.minus(Duration.ofHours(1)), T);

  @TempDir
  Path dir;
  private String table;
  private PolicyDocument policy;
  private SlaHistory history;

  @BeforeEach
  void deploymentWithAnHourOfHistory() {
    table = "slastore_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    policy = PolicyLoader.create().load("deployment.yaml", SlaPolicies.text("sla-good.yaml") + "\n"
        + SlaPolicies.text("oncall/good.yaml") + """

        organisation:
          name: Test Ltd
          sites:
            - id: shop
              environments: [production]
            - id: portal
              environments: [production]
        uptime:
          target: 99.9%
          zone: Europe/London
          alertDestination: "#ops-urgent"
          probes:
            - site: shop
              url: https://shop.example.com/health
            - site: portal
              url: https://portal.example.com/health
        slaHistory:
          store: jdbc:h2:./sla-history
          table: TABLE
        """.replace("TABLE", table));
    history = SlaHistory.jdbc(policy.require(SlaHistoryPolicy.class).storeResolvedAgainst(dir), table);

    // P2: the monitor probed both sites every minute for 70 minutes; portal had one failed check (a blip).
    UptimePolicy uptime = policy.require(UptimePolicy.class);
    MutableClock clock = MutableClock.at(T.minus(Duration.ofMinutes(70)));
    UptimeMonitor monitor = UptimeMonitor.builder().clock(clock).store(UptimeStore.inMemory()).notifier(Notifier.recording())
        .destination("#ops-urgent").build().history(history);
    for (ProbeSpec p : uptime.probes()) {
      monitor.add(p, () -> p.site().value().equals("portal") && clock.instant().equals(T.minus(Duration.ofMinutes(30)))
          ? HealthCheck.Result.down("status 503, expected 200") : HealthCheck.Result.up("200"));
    }
    while (clock.instant().isBefore(T)) {
      monitor.runDue();
      clock.advance(Duration.ofMinutes(1));
    }
    // P3: November's report of each site, produced on 1 December.
    UptimeCalculator calc = UptimeCalculator.builder().target(uptime.target()).zone(uptime.zoneId()).build();
    for (String site : List.of("shop", "portal")) {
      history.appendMonthlyReport(MonthlyReportRecord.of(calc.report(SiteId.of(site), YearMonth.of(2026, 11), List.of(),
          List.of()), Instant.parse("2026-12-01T00:05:00Z")));
    }
    // P33-P37: one report of each tier and one of acme's, triaged to the engineer on call and answered in time.
    open("R-1", "The shop is down, customers get a 502 on checkout", null, 50, 30);
    open("R-2", "Order export shows corrupted totals for some customers", null, 50, 45);
    open("R-3", "The date picker does not work as designed on the profile page", null, 50, 48);
    open("R-4", "The shop is down, customers get a 502 on checkout", "acme", 45, 40);
  }

  private void open(String id, String text, String customer, int minutesAgo, int answeredAfter) {
    SlaPolicy sla = policy.require(SlaPolicy.class);
    Classification c = Classifier.from(sla).classify(Report.of(text), customer);
    Instant opened = T.minus(Duration.ofMinutes(minutesAgo));
    Triage.start(id, c, OnCallSchedule.from(policy.require(OnCallPolicy.class)), "support-queue", opened).recordingTo(history);
    SlaClock.open(sla.targets(customer), opened, c.tier().rank()).recordingTo(history, id, customer)
        .append(new SlaEvent.Responded(opened.plus(Duration.ofMinutes(answeredAfter))));
  }

  private Assessment assess() {
    return Assessment.run(new CheckContext(policy, dir, PERIOD, MutableClock.at(T)),
        List.of(new UptimeHistoryCheck(), new SupportHistoryCheck()));
  }

  private Judgement only(Assessment a, int promise) {
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
    for (int p : List.of(2, 3, 33, 34, 35, 36, 37)) {
      assertThat(a.verdict(p)).as("P" + p + ": " + a.judgements(p)).isEqualTo(Verdict.KEPT);
    }
    assertThat(only(a, 2).evidence()).anySatisfy(e -> {
      assertThat(e.name()).isEqualTo("shop");
      assertThat(e.value()).startsWith("100.000% of 1 h from 60 probe results; down 0 s, not observed 0 s");
    });
    assertThat(only(a, 3).evidence()).anySatisfy(e -> assertThat(e.value()).isEqualTo("2 of 2"));
    assertThat(only(a, 37).evidence()).anySatisfy(e -> {
      assertThat(e.name()).isEqualTo("R-4");
      assertThat(e.value()).isEqualTo("Gold, acme's terms, answered after 40 min of 1 h");
    });
  }

  @Test
  void p2DeletedProbeResultsLeaveTimeNobodyCanShowWasUp() throws Exception {
    sql("DELETE FROM T_probes WHERE site = 'shop' AND at_s >= " + ago(40) + " AND at_s < " + ago(30));
    Judgement j = only(assess(), 2);
    assertThat(j.verdict()).isEqualTo(Verdict.NOT_KEPT);
    assertThat(j.summary()).contains("shop: 85.000% is below 99.9%").contains("no probe result from 2026-12-03T12:21:00Z to 2026-12-03T12:30:00Z");
  }

  @Test
  void p2ARecordedOutageCountsAgainstTheTarget() throws Exception {
    sql("UPDATE T_probes SET healthy = 0, detail = 'status 503' WHERE site = 'portal' AND at_s >= " + ago(20)
        + " AND at_s < " + ago(15));
    Judgement j = only(assess(), 2);
    assertThat(j.verdict()).isEqualTo(Verdict.NOT_KEPT);
    assertThat(j.summary()).contains("portal: 91.666% is below 99.9%; down from 2026-12-03T12:40:00Z for 5 min");
  }

  @Test
  void p2NoProbeResultsAtAll() throws Exception {
    sql("DELETE FROM T_probes WHERE site = 'portal'");
    assertThat(only(assess(), 2).summary()).contains("portal: no probe result recorded in the period");
  }

  @Test
  void p3ADeletedMonthlyReportIsMissed() throws Exception {
    sql("DELETE FROM T_monthly WHERE site = 'portal'");
    Judgement j = only(assess(), 3);
    assertThat(j.verdict()).isEqualTo(Verdict.NOT_KEPT);
    assertThat(j.summary()).isEqualTo("a monthly uptime report is missing: portal 2026-11: no monthly report recorded");
  }

  @Test
  void p3AReportDatedBeforeItsMonthEndedDoesNotCount() throws Exception {
    sql("UPDATE T_monthly SET produced_s = " + Instant.parse("2026-11-20T00:00:00Z").getEpochSecond() + " WHERE site = 'shop'");
    assertThat(only(assess(), 3).summary()).contains("shop 2026-11: recorded only before the month ended");
  }

  @Test
  void p33DeletedTriageMeansTheReportWasNeverAssigned() throws Exception {
    sql("DELETE FROM T_events WHERE report_id = 'R-2' AND stream = 'triage'");
    Judgement j = only(assess(), 33);
    assertThat(j.verdict()).isEqualTo(Verdict.NOT_KEPT);
    assertThat(j.summary()).contains("R-2 has no triage recorded: never classified nor assigned");
  }

  @Test
  void p33AReportHandedToADeveloperOrLeftInAQueue() throws Exception {
    sql("UPDATE T_events SET assignee = 'dev' WHERE report_id = 'R-1' AND kind = 'assigned'");
    sql("UPDATE T_events SET assignee = 'support-queue', is_queue = 1 WHERE report_id = 'R-3' AND kind = 'assigned'");
    Judgement j = only(assess(), 33);
    assertThat(j.summary()).contains("R-1 is assigned to dev, a developer, not an operations engineer");
    assertThat(j.evidence()).anySatisfy(e -> assertThat(e.value()).contains("R-3 is left in queue support-queue"));
  }

  @Test
  void p34AGoldResponseLaterThan120Minutes() throws Exception {
    sql("UPDATE T_events SET at_s = " + ago(200) + " WHERE report_id = 'R-1' AND seq = 0"); // opened 200 min ago
    Assessment a = assess();
    assertThat(a.verdict(34)).isEqualTo(Verdict.NOT_KEPT);
    assertThat(only(a, 34).summary()).contains("R-1 (Gold) answered after 3 h, target 2 h passed at 2026-12-03T11:40:00Z");
    assertThat(a.verdict(33)).isEqualTo(Verdict.KEPT);
  }

  @Test
  void p35DeletedClockMeansNoResponseCanBeShown() throws Exception {
    sql("DELETE FROM T_events WHERE report_id = 'R-2' AND stream = 'clock'");
    Judgement j = only(assess(), 35);
    assertThat(j.verdict()).isEqualTo(Verdict.NOT_KEPT);
    assertThat(j.summary()).contains("R-2 has no SLA clock recorded, so no response can be shown");
  }

  @Test
  void p36ADeletedResponseOfAnOldBronzeReport() throws Exception {
    sql("DELETE FROM T_events WHERE report_id = 'R-3' AND stream = 'clock' AND kind = 'responded'");
    sql("UPDATE T_events SET at_s = " + T.minus(Duration.ofDays(3)).getEpochSecond() + " WHERE report_id = 'R-3'");
    Judgement j = only(assess(), 36);
    assertThat(j.verdict()).isEqualTo(Verdict.NOT_KEPT);
    assertThat(j.summary()).contains("R-3 (Bronze) still unanswered, target 48 h passed at 2026-12-02T13:00:00Z");
  }

  @Test
  void p37AcmesTailoredTargetIsMissedWhereTheStandardOneWouldHoldIt() throws Exception {
    sql("UPDATE T_events SET at_s = " + ago(110) + " WHERE report_id = 'R-4' AND seq = 0 AND stream = 'clock'");
    Assessment a = assess();
    assertThat(a.verdict(37)).isEqualTo(Verdict.NOT_KEPT);
    assertThat(only(a, 37).summary()).contains("R-4 (Gold, acme's terms) answered after 1 h 45 min, target 1 h");
    assertThat(a.verdict(34)).isEqualTo(Verdict.NOT_KEPT); // Gold for acme is 60 minutes
  }

  @Test
  void anEditedEventThatNoLongerReplaysBreaksItsTier() throws Exception {
    sql("UPDATE T_events SET at_s = " + ago(55) + " WHERE report_id = 'R-2' AND stream = 'clock' AND seq = 1");
    Judgement j = only(assess(), 35);
    assertThat(j.verdict()).isEqualTo(Verdict.NOT_KEPT);
    assertThat(j.summary()).contains("R-2's recorded SLA clock does not replay: event 1 (responded at 2026-12-03T12:05:00Z)"
        + " is earlier than event 0");
  }

  @Test
  void aCorruptRecordIsAnErrorNamingIt() throws Exception {
    sql("UPDATE T_events SET kind = 'bogus' WHERE report_id = 'R-1' AND stream = 'clock' AND seq = 1");
    Assessment a = assess();
    assertThat(a.verdict(34)).isEqualTo(Verdict.ERROR);
    assertThat(only(a, 34).summary()).contains("report R-1, clock event #1 (bogus) cannot be read: unknown kind 'bogus'");
  }

  @Test
  void withoutAHistoryThereIsNoEvidence() {
    PolicyDocument none = SlaPolicies.load("sla-good.yaml");
    Assessment a = Assessment.run(new CheckContext(none, dir, PERIOD, MutableClock.at(T)),
        List.of(new UptimeHistoryCheck(), new SupportHistoryCheck()));
    for (int p : List.of(2, 3, 33, 34, 35, 36, 37)) {
      assertThat(a.verdict(p)).isEqualTo(Verdict.NO_EVIDENCE);
    }
    assertThat(only(a, 34).summary()).contains("names no SLA history (slaHistory section)");
  }
}
