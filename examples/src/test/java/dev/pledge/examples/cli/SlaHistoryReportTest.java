package dev.pledge.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Instant;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tour's SLA history (jdbc:h2:./sla-history beside DIR/policy.yaml) is what the report judges P2-P5,
 * P33-P37 and P39 from (and its audit trail P40): records deleted or altered behind the report's back make
 * {@code pledge report --policy DIR/policy.yaml} exit 1 naming those promises and the records.
 */
class SlaHistoryReportTest {
  private static final String NOW = "2026-12-03T10:00:00Z";

  @TempDir
  static Path tmp;
  static Path tour;

  @BeforeAll
  static void tour() throws Exception {
    tour = tmp.resolve("tour");
    CliRun ran = CliRun.of("tour", "--dir", tour.toString(), "--now", NOW);
    assertThat(ran.exitCode()).as(ran.out() + ran.err()).isEqualTo(0);
    assertThat(ran.out()).contains("[probes] the policy's 2 health probes ran through the uptime monitor")
        .contains("every report's triage and SLA clock recorded in the SLA history (jdbc:h2:./sla-history)")
        .contains("both state changes posted to Slack #ops-urgent over HTTP to a local stand-in (2 posts)");
    assertThat(Files.readString(tour.resolve("policy.yaml"))).contains("slaHistory:\n  store: jdbc:h2:./sla-history");
  }

  private static void sql(Path broken, String... statements) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:h2:" + broken.resolve("sla-history").toAbsolutePath());
        Statement s = c.createStatement()) {
      for (String statement : statements) {
        assertThat(s.executeUpdate(statement)).as(statement).isPositive();
      }
    }
  }

  @Test
  void alertsFailoverMaintenanceAndExportsDamagedBehindTheReportsBackAreNamed() throws Exception {
    Path broken = DeploymentCopy.of(tour, tmp.resolve("broken-continuity"));
    sql(broken, "DELETE FROM pledge_sla_alerts WHERE cond = 'uptime/shop/DOWN'",
        "UPDATE pledge_sla_maintenance SET announced_s = start_s - 3600 WHERE kind = 'MAINTENANCE'",
        "INSERT INTO pledge_sla_failover (grp, at_s, at_n, kind, detail) VALUES ('shop-web', "
            + Instant.parse(NOW).minusSeconds(120).getEpochSecond() + ", 0, 'FAILED_FOR_CALLER', 'the spare failed too:"
            + " ConnectException')");
    Files.write(broken.resolve("export-acme.zip"), "not the archive that was exported".getBytes());
    CliRun run = CliRun.of("report", "--policy", broken.resolve("policy.yaml").toString(), "--dir",
        tmp.resolve("report-continuity").toString(), "--now", NOW);

    assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(1);
    assertThat(run.err())
        .contains("P4 not kept: an availability alert did not reach the team on Slack or SMS: shop down at"
            + " 2026-12-03T09:27:00Z: no alert recorded")
        .contains("P5 not kept: the spare did not pick up the load: shop-web at 2026-12-03T09:58:00Z: a call failed for its"
            + " caller (the spare failed too: ConnectException)")
        .contains("P39 not kept: maintenance was not announced in advance, or an update caused downtime: maintenance"
            + " shop-20261203T0920Z-1 of shop 2026-12-03T09:20:00Z to 2026-12-03T09:40:00Z: announced 1 h ahead, the"
            + " policy requires 72 h")
        .contains("P2 not kept: uptime from the recorded probe results misses 99.9%: shop: 90.000% is below 99.9%")
        .contains("P40 not kept: a client's export did not complete verified: client acme's export export-acme.zip"
            + " requested 2026-12-03T09:55:00Z: the archive beside the policy has changed since it was exported");
  }

  @Test
  void theBundledPolicyNamesAHistoryThatIsNotThereAndSaysSo() {
    CliRun run = CliRun.of("report", "--dir", tmp.resolve("report-bundled").toString(), "--now", NOW);
    assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(1);
    for (int p : new int[] {2, 3, 4, 5, 33, 34, 35, 36, 37, 39}) {
      assertThat(run.err()).contains("P" + p + " no evidence: the SLA history jdbc:h2:./sla-history does not exist");
    }
    assertThat(Path.of("sla-history.mv.db")).doesNotExist();
  }

  @Test
  void damageToTheSlaHistoryIsNoticedAndThePromisesNamed() throws Exception {
    Path broken = DeploymentCopy.of(tour, tmp.resolve("broken-support"));
    long fourHours = 4 * 3600;
    try (Connection c = DriverManager.getConnection("jdbc:h2:" + broken.resolve("sla-history").toAbsolutePath());
        Statement s = c.createStatement()) {
      assertThat(s.executeUpdate("DELETE FROM pledge_sla_probes WHERE site = 'portal'")).isPositive();
      assertThat(s.executeUpdate("DELETE FROM pledge_sla_monthly WHERE site = 'shop'")).isPositive();
      assertThat(s.executeUpdate("UPDATE pledge_sla_events SET assignee = 'support-queue', is_queue = 1"
          + " WHERE report_id = 'R-105' AND kind = 'assigned'")).isPositive();
      assertThat(s.executeUpdate("UPDATE pledge_sla_events SET at_s = at_s - " + fourHours
          + " WHERE report_id = 'R-101' AND stream = 'clock' AND seq = 0")).isOne();
      assertThat(s.executeUpdate("DELETE FROM pledge_sla_events WHERE report_id = 'R-103' AND stream = 'clock'")).isPositive();
    }
    CliRun run = CliRun.of("report", "--policy", broken.resolve("policy.yaml").toString(), "--dir",
        tmp.resolve("report").toString(), "--now", NOW);

    assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(1);
    Instant opened = Instant.parse(NOW).minusSeconds(59 * 60 + fourHours);
    assertThat(run.err())
        .contains("P2 not kept: uptime from the recorded probe results misses 99.9%: portal: no probe result recorded")
        .contains("P3 not kept: a monthly uptime report is missing: shop 2026-11: no monthly report recorded")
        .contains("P33 not kept: a report was not classified and assigned to an operations engineer: R-105 is left in"
            + " queue support-queue")
        .contains("P34 not kept: a Gold (tier 1, respond within 2 h) report was not answered within its target: R-101"
            + " (Gold) answered after 4 h 35 min, target 2 h passed at " + opened.plusSeconds(2 * 3600))
        .contains("P35 not kept: a Silver (tier 2, respond within 6 h) report was not answered within its target: R-103"
            + " has no SLA clock recorded")
        .doesNotContain("P36").doesNotContain("P37");
  }
}
