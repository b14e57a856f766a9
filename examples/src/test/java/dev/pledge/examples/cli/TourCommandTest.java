package dev.pledge.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pledge.core.internal.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TourCommandTest {

  /** Two "now"s: one between minutes, one seconds after a 5-minute slot (the final slot must still run). */
  @ParameterizedTest
  @ValueSource(strings = {"2026-11-21T09:03:17.5Z", "2026-11-21T02:30:42.5Z"})
  void theTourWalksThroughThePrimitivesAndWritesTheReport(String now, @TempDir Path tmp) throws Exception {
    Path dir = tmp.resolve("tour");
    Files.createDirectories(dir);
    Files.writeString(dir.resolve(".pledge-tour"), "");
    Files.writeString(dir.resolve("stale.txt"), "from an earlier run");

    CliRun run = CliRun.of("tour", "--dir", dir.toString(), "--now", now);

    assertThat(run.exitCode()).as(run.err()).isEqualTo(0);
    assertThat(dir.resolve("stale.txt")).as("the folder is recreated").doesNotExist();
    assertThat(run.out()).contains("[policy] bundled:policy.yaml loaded strictly")
        .contains("[access] ").contains("[schedule] ").contains("[passwords] ").contains("[sla] ").contains("[uptime] ").contains("[breach] drill DRILL-2026-11")
        .contains("[backup] ").contains("byte-identical: true").contains("caught by verify: true")
        .contains("e-mail masked: true").contains("[retention] ").contains("archived to GLACIER").contains("[failover] ").contains("failed for callers: 0")
        .contains("[alerts] ").contains("2 posts to Slack #ops-urgent").contains("paged by SMS through SNS: true")
        .contains("developer Dev Patel refused: true")
        .doesNotContain("FAILED");
    Path html = dir.resolve("compliance-report.html");
    assertThat(run.out()).contains("[report] " + html.toAbsolutePath());
    assertThat(html).exists();

    JsonNode report = Json.mapper().readTree(dir.resolve("compliance-report.json").toFile());
    assertThat(report.get("promises")).hasSize(40);
    for (int p = 1; p <= 40; p++) {
      JsonNode r = report.get("promises").get(p - 1);
      assertThat(r.get("status").asText()).as("P" + p + ": " + r.get("summary")).isEqualTo("KEPT");
      assertThat(r.get("evidence")).as("P" + p + " evidence").isNotEmpty();
    }
    assertThat(Files.readAllLines(dir.resolve("audit.jsonl"))).as("the run is audited").isNotEmpty()
        .anyMatch(l -> l.contains("backup.restore")).anyMatch(l -> l.contains("restore.refused"));
    // The JSON carries the figures the run printed, not other ones.
    String out = run.out();
    // P3 is judged from the monthly reports recorded in the SLA history: the figure the run printed.
    assertThat(out).contains("[uptime] shop 2026-10: "
        + evidence(report, 3, "shop 2026-10").replaceAll(", (met|missed), \\d+ min down; produced .*$", "") + " (");
    // P2 from the probe results the monitor recorded while the deployment ran.
    assertThat(evidence(report, 2, "shop")).startsWith("100.000% of 1 h from 60 probe results");
    // P11 and P12 are read from the deployment's stores against its audit trail, not from the
    // retention step's simulated history (which the narration still shows)
    assertThat(evidence(report, 11, "expected from")).isEqualTo("the audit trail's record of every backup written");
    assertThat(evidence(report, 11, "copies missing")).isEqualTo("0");
    assertThat(Integer.parseInt(evidence(report, 11, "copies expected"))).isPositive();
    assertThat(evidence(report, 12, "older backups left in hot storage")).isEqualTo("0");
    assertThat(evidence(report, 16, "access store")).isEqualTo("file:access");
    assertThat(evidence(report, 32, "breach journal")).isEqualTo("file:breach");
    // P21, P27 and P28-P31 are read from what the deployment recorded, not from the tour's demonstrations:
    // the target measured into the audit trail, the restores the engine audited, the drill's journaled steps.
    for (int p : new int[] {21, 27, 28, 29, 30, 31}) {
      assertThat(report.get("promises").get(p - 1).get("evidence").has("demonstrated")).as("P" + p).isFalse();
    }
    assertThat(evidence(report, 21, "administrators on shop-db (simulated)")).isEqualTo("mark");
    assertThat(evidence(report, 21, "targets measured")).endsWith("(the latest of 1 measurements in the period)");
    assertThat(evidence(report, 27, "production backups restored into another environment")).isEqualTo("1, 1 masked");
    assertThat(evidence(report, 27, "restores refused by the guard")).isEqualTo("1");
    assertThat(evidence(report, 29, "breach journal")).isEqualTo("file:breach");
    assertThat(evidence(report, 29, "DRILL-" + now.substring(0, 7) + " REVOKE_EXTERNAL_KEYS"))
        .endsWith("after the drill began: would revoke and regenerate 3 API keys");
    assertThat(evidence(report, 28, "DRILL-" + now.substring(0, 7) + " NOTIFY_CUSTOMERS"))
        .contains(", 20m after the drill began: would notify 5 customers");
    // P4 and P5 are judged from the alert deliveries and failover events the deployment recorded.
    assertThat(evidence(report, 5, "failover")).isEqualTo("1 switch to the spare, 1 return to the primary, 0 calls"
        + " failed for callers");
    assertThat(out).contains("switches [spare, primary]");
    assertThat(evidence(report, 4, "state changes in the probe results")).isEqualTo("2");
    assertThat(out).contains("(" + evidence(report, 4, "alert deliveries recorded").replace(" (2 delivered)", "")
        + " posts)");
    assertThat(out).contains("5 site environments backed up daily (");
    // The backup promises of the final report are read from the deployment's stores.
    assertThat(evidence(report, 6, "daily slots covered")).isEqualTo("5 of 5");
    assertThat(evidence(report, 10, "locations")).isEqualTo("2 (at least 2 required)");
    assertThat(dir.resolve("policy.yaml")).exists();
    assertThat(out).contains("[deployment] the policy's 7 schedules ran through the scheduler");
    // Evidence speaks as people do: no ISO-8601 durations, no Java record toString.
    for (JsonNode p : report.get("promises")) {
      p.get("evidence").properties().forEach(e -> assertThat(e.getValue().asText())
          .as("P" + p.get("promise").get("number") + " " + e.getKey())
          .doesNotContainPattern("\\bPT\\d").doesNotContainPattern("[A-Z][A-Za-z]+\\[[a-z]+=").doesNotContain("=null"));
    }
    JsonNode backups = report.get("charts").get("backups");
    assertThat(backups).as("the backup timeline").hasSizeGreaterThan(200);
    assertThat(backups.findValuesAsText("decision")).contains("keep", "archive", "delete");
  }

  private static String evidence(JsonNode report, int promise, String key) {
    JsonNode v = report.get("promises").get(promise - 1).get("evidence").get(key);
    assertThat(v).as("P" + promise + " evidence '" + key + "'").isNotNull();
    return v.asText();
  }

  /**
   * A policy whose rotation has one operations engineer: the alerts step cannot hand a report on to a
   * colleague and throws. The tour says so, reports the step's unjudged promises as errors naming the
   * exception, keeps what the step measured before (P38), and exits 1.
   */
  @Test
  void aStepThatThrowsIsReportedAsAnErrorAndTheTourExits1(@TempDir Path tmp) throws Exception {
    String yaml;
    try (var in = TourCommandTest.class.getResourceAsStream("/policy.yaml")) {
      yaml = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    }
    String lone = yaml.replace("{id: bob, name: Bob Okafor, role: operations}", "{id: bob, name: Bob Okafor, role: developer}")
        .replace("{id: carol, name: Carol Lin, role: operations}", "{id: carol, name: Carol Lin, role: developer}")
        .replace("members: [alice, bob, carol]", "members: [alice]")
        .replace("    - engineer: carol\n", "    - engineer: alice\n");
    assertThat(lone).isNotEqualTo(yaml).containsOnlyOnce("role: operations}");
    Path policy = tmp.resolve("lone.yaml");
    Files.writeString(policy, lone);
    Path dir = tmp.resolve("tour");

    CliRun run = CliRun.of("tour", "--policy", policy.toString(), "--dir", dir.toString(), "--now", "2026-12-03T10:00:00Z");

    assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(1);
    assertThat(run.out()).contains("[alerts] ERROR: IllegalStateException: the oncall section names no operations engineer"
        + " other than alice").contains("38 promises kept with evidence").contains("2 could not be judged");
    assertThat(run.err()).contains("the alerts step failed")
        .contains("P4 error: the alerts step failed: IllegalStateException")
        .contains("P33 error: the alerts step failed: IllegalStateException")
        .doesNotContain("P38");
    JsonNode report = Json.mapper().readTree(dir.resolve("compliance-report.json").toFile());
    assertThat(report.get("promises").get(3).get("status").asText()).isEqualTo("ERROR");
    assertThat(report.get("promises").get(37).get("status").asText()).as("measured before the throw").isEqualTo("KEPT");
  }

  @Test
  void aFolderPledgeDidNotMakeIsRefusedAndKept(@TempDir Path tmp) throws Exception {
    Path mine = tmp.resolve("my-documents");
    Files.createDirectories(mine);
    Files.writeString(mine.resolve("thesis.txt"), "years of work");

    CliRun run = CliRun.of("tour", "--dir", mine.toString());

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("--dir " + mine.toAbsolutePath()).contains("not made by pledge");
    assertThat(run.out()).isEmpty();
    assertThat(mine.resolve("thesis.txt")).hasContent("years of work");
    assertThat(CliRun.of("report", "--dir", mine.toString()).exitCode()).isEqualTo(2);
    assertThat(mine.resolve("thesis.txt")).hasContent("years of work");
  }

}
