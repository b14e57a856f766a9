package dev.pledge.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SlaCommandTest {

  @Test
  void classifyPutsAnOutageInGoldWithTheRuleThatDecided() {
    CliRun r = CliRun.withInput("The shop is down and customers cannot check out\n", "sla", "classify", "--json");
    assertThat(r.exitCode()).as(r.err()).isZero();
    JsonNode j = r.json();
    assertThat(j.get("tier").asInt()).isEqualTo(1);
    assertThat(j.get("name").asText()).isEqualTo("Gold");
    assertThat(j.get("respondWithin").asText()).isEqualTo("PT2H");
    assertThat(j.get("matched").get(0).asText()).isEqualTo("outage or downtime");
    assertThat(r.out().strip().lines()).hasSize(1);
  }

  @Test
  void classifyListsEveryMatchMostSevereFirst() {
    CliRun r = CliRun.withInput("Pages are very slow and one invoice is corrupted\n", "sla", "classify", "--json");
    JsonNode j = r.json();
    assertThat(j.get("tier").asInt()).isEqualTo(2);
    assertThat(j.get("respondWithin").asText()).isEqualTo("PT6H");
    assertThat(j.get("matched")).extracting(JsonNode::asText)
        .containsExactly("data malformed, corrupted or missing", "performance");
  }

  @Test
  void classifyAppliesTheCustomersTailoring() {
    CliRun r = CliRun.withInput("Our data was leaked\n", "sla", "classify", "--customer", "acme", "--json");
    assertThat(r.json().get("respondWithin").asText()).isEqualTo("PT1H");
    CliRun unknown = CliRun.withInput("x is broken\n", "sla", "classify", "--customer", "nobody", "--json");
    assertThat(unknown.exitCode()).isEqualTo(2);
    assertThat(unknown.err()).contains("unknown customer 'nobody'");
    assertThat(unknown.out()).isEmpty();
  }

  @Test
  void classifyWithoutAnyTextIsBadInput() {
    CliRun r = CliRun.withInput("\n  \n", "sla", "classify", "--json");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("stdin is empty");
  }

  @Test
  void classifyPrintsTextByDefault() {
    CliRun r = CliRun.withInput("The export button does not work\n", "sla", "classify");
    assertThat(r.exitCode()).isZero();
    assertThat(r.out()).contains("tier 3 (Bronze): respond within 2d").contains("not operating as designed");
  }

  @Test
  void deadlineOfEachTier() {
    assertThat(CliRun.of("sla", "deadline", "--tier", "1", "--opened", "2026-11-02T10:00:00Z", "--json")
        .json().get("respondBy").asText()).isEqualTo("2026-11-02T12:00:00Z");
    assertThat(CliRun.of("sla", "deadline", "--tier", "2", "--opened", "2026-11-02T10:00:00Z", "--json")
        .json().get("respondBy").asText()).isEqualTo("2026-11-02T16:00:00Z");
    assertThat(CliRun.of("sla", "deadline", "--tier", "3", "--opened", "2026-11-02T10:00:00Z", "--json")
        .json().get("respondBy").asText()).isEqualTo("2026-11-04T10:00:00Z");
  }

  @Test
  void deadlineOnACustomersBusinessHoursSkipsTheNight() {
    // acme's Silver: 4 hours on London office hours (09:00-17:30); Monday 16:00Z + 4h -> Tuesday 11:30Z
    CliRun r = CliRun.of("sla", "deadline", "--tier", "2", "--opened", "2026-11-02T16:00:00Z",
        "--customer", "acme", "--json");
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.json().get("respondBy").asText()).isEqualTo("2026-11-03T11:30:00Z");
  }

  @Test
  void deadlineRejectsAnUnknownTierAndABadInstant() {
    CliRun tier = CliRun.of("sla", "deadline", "--tier", "4", "--opened", "2026-11-02T10:00:00Z", "--json");
    assertThat(tier.exitCode()).isEqualTo(2);
    assertThat(tier.err()).contains("unknown tier 4; the policy has tiers 1, 2, 3");
    CliRun when = CliRun.of("sla", "deadline", "--tier", "1", "--opened", "yesterday", "--json");
    assertThat(when.exitCode()).isEqualTo(2);
    assertThat(when.err()).contains("--opened: 'yesterday' is not an ISO-8601 instant");
  }

  @Test
  void aPolicyWithoutAnSlaSectionIsBadInput(@TempDir Path dir) throws Exception {
    Path p = dir.resolve("p.yaml");
    Files.writeString(p, "hosting:\n  regions: [eu-west-2]\n");
    CliRun r = CliRun.of("sla", "deadline", "--tier", "1", "--opened", "2026-11-02T10:00:00Z", "--policy", p.toString());
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("has no 'sla' section");
  }
}
