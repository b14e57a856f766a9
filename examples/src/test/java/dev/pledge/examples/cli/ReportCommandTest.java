package dev.pledge.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.pledge.core.internal.Json;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;

/**
 * {@code pledge report} judges the deployment a tour left behind from its stores and settings, in
 * four formats, and notices damage done behind its back. One tour serves every test.
 */
class ReportCommandTest {
  private static final String NOW = "2026-12-03T10:00:00Z";

  @TempDir
  static Path tmp;
  static Path deployment;

  @BeforeAll
  static void tour() {
    deployment = tmp.resolve("tour");
    CliRun run = CliRun.of("tour", "--dir", deployment.toString(), "--now", NOW);
    assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(0);
    assertThat(deployment.resolve("policy.yaml")).exists();
  }

  /** A copy of the tour's deployment to damage, so the tests stay independent. */
  private static Path copy(String name) throws Exception {
    return DeploymentCopy.of(deployment, tmp.resolve(name));
  }

  @Test
  void theTourDeploymentIsJudgedAgainFromItsEvidenceInFourFormats() throws Exception {
    Path out = tmp.resolve("report");
    CliRun run = CliRun.of("report", "--json", "--policy", deployment.resolve("policy.yaml").toString(),
        "--dir", out.toString(), "--now", NOW);

    assertThat(run.exitCode()).as(run.err()).isEqualTo(0);
    assertThat(run.err()).isEmpty();
    JsonNode j = run.json();
    assertThat(j.get("organisation").asText()).isEqualTo("Zaltek");
    assertThat(j.get("generatedAt").asText()).isEqualTo(NOW);
    assertThat(j.get("periodFrom").asText()).isEqualTo("2026-12-03T09:00:00Z");
    assertThat(j.get("periodTo").asText()).isEqualTo(NOW);
    for (JsonNode p : j.get("promises")) {
      assertThat(p.get("status").asText()).as(p.toString()).isEqualTo("KEPT");
    }
    // The backup promises are read from the stores, not from the tour's word.
    JsonNode p7 = j.get("promises").get(6).get("evidence");
    assertThat(p7.get("stores read").asText()).contains("stores/london").contains("stores/dublin");
    assertThat(p7.get("5-minute slots covered").asText()).isEqualTo("24 of 24");
    assertThat(j.get("promises").get(37).get("evidence").get("first gap or ineligible engineer").asText()).isEqualTo("none");
    assertThat(j.get("promises").get(19).get("evidence").get("trail read").asText()).endsWith("audit.jsonl");

    Document junit = DocumentBuilderFactory.newInstance().newDocumentBuilder()
        .parse(out.resolve("compliance-report.junit.xml").toFile());
    assertThat(junit.getElementsByTagName("testcase").getLength()).isEqualTo(40);
    assertThat(junit.getDocumentElement().getAttribute("failures")).isEqualTo("0");
    assertThat(junit.getElementsByTagName("failure").getLength()).isZero();

    JsonNode oscal = Json.mapper().readTree(out.resolve("compliance-report.oscal.json").toFile());
    assertThat(validate(oscal)).isEmpty();
    JsonNode findings = oscal.get("assessment-results").get("results").get(0).get("findings");
    assertThat(findings).hasSize(40);
    assertThat(findings.findValuesAsText("state")).containsOnly("satisfied");
    // the official schema bites: a finding without its target, or a state OSCAL does not know
    com.fasterxml.jackson.databind.node.ObjectNode broken = oscal.deepCopy();
    com.fasterxml.jackson.databind.node.ObjectNode first = (com.fasterxml.jackson.databind.node.ObjectNode)
        broken.get("assessment-results").get("results").get(0).get("findings").get(0);
    ((com.fasterxml.jackson.databind.node.ObjectNode) first.get("target").get("status")).put("state", "kept");
    first.remove("uuid");
    assertThat(validate(broken)).extracting(ValidationMessage::getMessage).anyMatch(m -> m.contains("uuid"))
        .anyMatch(m -> m.contains("state"));
    assertThat(out.resolve("compliance-report.html")).exists();
  }

  @Test
  void backupsDeletedFromTheStoresAreNoticedAndThePromisesNamed() throws Exception {
    Path broken = copy("deleted");
    for (String store : List.of("london", "dublin")) {
      Path shop = broken.resolve("stores").resolve(store).resolve("shop/production");
      try (Stream<Path> files = Files.list(shop)) {
        for (Path f : files.toList()) {
          Files.delete(f);
        }
      }
    }
    Path out = tmp.resolve("report-deleted");
    CliRun run = CliRun.of("report", "--policy", broken.resolve("policy.yaml").toString(), "--dir", out.toString(),
        "--now", NOW);

    assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(1);
    assertThat(run.err()).contains("P6 not kept: 1 daily slots have no backup in any store")
        .contains("P7 not kept: 12 5-minute slots have no backup in any store")
        .contains("P9 not kept: 1 gaps in the rolling backups: shop/production: nothing to restore at")
        .contains("P11 not kept: 26 backups younger than 3 months were deleted");
    JsonNode oscal = Json.mapper().readTree(out.resolve("compliance-report.oscal.json").toFile());
    assertThat(validate(oscal)).isEmpty();
    Document junit = DocumentBuilderFactory.newInstance().newDocumentBuilder()
        .parse(out.resolve("compliance-report.junit.xml").toFile());
    assertThat(junit.getElementsByTagName("failure").getLength()).isEqualTo(4);
  }

  @Test
  void anEditedManifestOrALostCopyIsNoticed() throws Exception {
    Path broken = copy("edited");
    Path manifest;
    try (Stream<Path> files = Files.list(broken.resolve("stores/dublin/portal/production"))) {
      manifest = files.filter(f -> f.toString().endsWith(".manifest.json")).sorted().findFirst().orElseThrow();
    }
    String text = Files.readString(manifest);
    Files.writeString(manifest, text.replaceFirst("\"plaintextBytes\"\\s*:\\s*(\\d+)", "\"plaintextBytes\":9$1"));
    assertThat(Files.readString(manifest)).isNotEqualTo(text);
    try (Stream<Path> files = Files.list(broken.resolve("stores/london/shop/production"))) {
      Files.delete(files.filter(f -> f.toString().endsWith(".data")).sorted().findFirst().orElseThrow());
    }

    CliRun run = CliRun.of("report", "--policy", broken.resolve("policy.yaml").toString(), "--dir",
        tmp.resolve("report-edited").toString(), "--now", NOW);

    assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(1);
    assertThat(run.err()).contains("P8 not kept: 1 store listings hold a manifest that fails authentication")
        .contains("P10 not kept:");
  }

  @Test
  void anAuditRecordEditedBehindTheReportsBackIsNoticed() throws Exception {
    Path broken = copy("audit");
    Path trail = broken.resolve("audit.jsonl");
    List<String> lines = Files.readAllLines(trail);
    int i = 0;
    while (!lines.get(i).contains("\"actor\":\"") ) {
      i++;
    }
    String edited = lines.get(i).replaceFirst("\"actor\":\"[^\"]*\"", "\"actor\":\"nobody\"");
    assertThat(edited).isNotEqualTo(lines.get(i));
    lines.set(i, edited);
    Files.write(trail, lines);

    CliRun run = CliRun.of("report", "--policy", broken.resolve("policy.yaml").toString(), "--dir",
        tmp.resolve("report-audit").toString(), "--now", NOW);

    assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(1);
    assertThat(run.err()).contains("P20 not kept: the audit trail was altered: record #").contains("edited");
  }

  @Test
  void theReportNeverEmptiesTheDeploymentItJudges() {
    CliRun run = CliRun.of("report", "--policy", deployment.resolve("policy.yaml").toString(),
        "--dir", deployment.toString(), "--now", NOW);
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("holds the deployment of --policy");
    assertThat(deployment.resolve("policy.yaml")).exists();
  }

  /** Validates against NIST's official OSCAL Assessment Results JSON schema (draft-07), as published. */
  static Set<ValidationMessage> validate(JsonNode doc) throws Exception {
    try (InputStream in = ReportCommandTest.class.getResourceAsStream("/oscal/oscal_assessment-results_schema-v1.0.6.json")) {
      JsonSchema schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7).getSchema(in);
      return schema.validate(doc);
    }
  }
}
