package dev.pledge.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pledge.core.Scope;
import dev.pledge.core.audit.AuditOutcome;
import dev.pledge.core.audit.AuditRecord;
import dev.pledge.core.audit.ChainedAuditTrail;
import dev.pledge.core.audit.CheckpointKey;
import dev.pledge.core.audit.CheckpointPublisher;
import dev.pledge.core.audit.JsonLinesAuditStore;
import dev.pledge.core.internal.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code pledge audit verify|query|tail} as ../shared/CLI.md specifies them (P14, P20). */
class AuditCommandTest {
  private static final Instant T0 = Instant.parse("2026-11-01T06:00:00Z");

  @TempDir
  Path dir;
  Path trail;
  Path key;
  Path pub;

  @BeforeEach
  void writeTrail() {
    trail = dir.resolve("audit.jsonl");
    key = dir.resolve("audit.key");
    pub = dir.resolve("audit.pub");
    CheckpointKey k = CheckpointKey.generateEd25519();
    k.writeTo(key);
    k.writePublicTo(pub);
    try (ChainedAuditTrail t = ChainedAuditTrail.builder(JsonLinesAuditStore.open(trail)).key(k).checkpointEvery(4)
        .publishTo(CheckpointPublisher.toFolder(dir.resolve("copies"))).build()) {
      for (int i = 1; i <= 10; i++) {
        t.record(new AuditRecord(T0.plusSeconds(60L * i), i == 3 ? "mallory" : "alice",
            i % 2 == 0 ? "access.grant" : "backup.run", "r-" + i, i == 7 ? AuditOutcome.DENIED : AuditOutcome.SUCCESS,
            Scope.of("shop", "production"), Map.of("n", String.valueOf(i))));
      }
    }
  }

  @Test
  void verifyExitsZeroOnAnIntactTrailWithSignaturesCheckedByThePublicKey() {
    CliRun run = CliRun.of("audit", "verify", "--trail", "file:" + trail, "--key-file", pub.toString());
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).contains("intact: 10 records", "signature verified");
  }

  @Test
  void verifyExitsOneNamingTheFirstBadRecordAndWhatHappened() throws Exception {
    List<String> lines = Files.readAllLines(trail);
    int i = lines.indexOf(lines.stream().filter(l -> l.contains("\"mallory\"")).findFirst().orElseThrow());
    lines.set(i, lines.get(i).replace("\"mallory\"", "\"alice\""));
    Files.write(trail, lines);

    CliRun run = CliRun.of("audit", "verify", "--trail", trail.toString(), "--key-file", pub.toString());
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.out()).startsWith("altered: edited at seq 3:");

    JsonNode json = CliRun.of("audit", "verify", "--trail", trail.toString(), "--json").json();
    assertThat(json.get("intact").asBoolean()).isFalse();
    assertThat(json.at("/finding/kind").asText()).isEqualTo("EDITED");
    assertThat(json.at("/finding/seq").asLong()).isEqualTo(3);
  }

  @Test
  void verifyFindsACutTailThroughThePublishedCopy() throws Exception {
    List<String> lines = Files.readAllLines(trail);
    Files.write(trail, lines.subList(0, 6)); // seq 1-5 and the checkpoint after 4
    assertThat(CliRun.of("audit", "verify", "--trail", trail.toString(), "--key-file", pub.toString()).exitCode())
        .isZero();
    CliRun run = CliRun.of("audit", "verify", "--trail", trail.toString(), "--key-file", pub.toString(),
        "--published", "file:" + dir.resolve("copies"));
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.out()).startsWith("altered: truncated at seq 6:");
  }

  @Test
  void publishedTakesAnS3BucketThroughTheS3ArtifactAndRefusesUnknownPlacesAsBadInput() {
    CliRun noRegion = CliRun.of("audit", "verify", "--trail", trail.toString(), "--published", "s3://anchor/audit");
    assertThat(noRegion.exitCode()).isEqualTo(2);
    assertThat(noRegion.err()).contains("--published", "region");
    CliRun unknown = CliRun.of("audit", "verify", "--trail", trail.toString(), "--published",
        "gs://anchor/audit?token=hunter2");
    assertThat(unknown.exitCode()).isEqualTo(2);
    assertThat(unknown.err()).contains("file:DIR").doesNotContain("hunter2");
  }

  @Test
  void badInputExitsTwoAndAnUnreachableDatabaseExitsThree() throws Exception {
    CliRun missing = CliRun.of("audit", "verify", "--trail", dir.resolve("nope.jsonl").toString());
    assertThat(missing.exitCode()).isEqualTo(2);
    assertThat(missing.err()).contains("nope.jsonl");
    Files.writeString(dir.resolve("bad.key"), "not a key");
    CliRun badKey = CliRun.of("audit", "verify", "--trail", trail.toString(), "--key-file",
        dir.resolve("bad.key").toString());
    assertThat(badKey.exitCode()).isEqualTo(2);
    assertThat(badKey.err()).contains("bad.key");
    assertThat(CliRun.of("audit", "tail", "--trail", "s3://bucket/audit").exitCode()).isEqualTo(2);
    CliRun down = CliRun.of("audit", "verify", "--trail", "jdbc:postgresql://127.0.0.1:1/none?user=x&password=secret");
    assertThat(down.exitCode()).isEqualTo(3);
    assertThat(down.err()).doesNotContain("secret");
  }

  @Test
  void queryPrintsMatchingRecordsAsJsonLines() throws Exception {
    CliRun run = CliRun.of("audit", "query", "--trail", trail.toString(), "--actor", "alice", "--action",
        "backup.run", "--from", T0.plusSeconds(300).toString(), "--to", T0.plusSeconds(600).toString(), "--json");
    assertThat(run.exitCode()).as(run.err()).isZero();
    List<String> lines = run.out().lines().toList();
    assertThat(lines).hasSize(3); // seq 5, 7, 9
    JsonNode first = Json.mapper().readTree(lines.get(0));
    assertThat(first.get("seq").asLong()).isEqualTo(5);
    assertThat(first.get("actor").asText()).isEqualTo("alice");
    assertThat(first.get("site").asText()).isEqualTo("shop");
    assertThat(first.at("/details/n").asText()).isEqualTo("5");
    assertThat(CliRun.of("audit", "query", "--trail", trail.toString(), "--outcome", "denied").out())
        .contains("r-7").doesNotContain("r-6");
  }

  @Test
  void tailPrintsTheLastRecordsOldestFirst() {
    CliRun run = CliRun.of("audit", "tail", "--trail", trail.toString(), "-n", "2");
    assertThat(run.exitCode()).isZero();
    assertThat(run.out().lines().toList()).hasSize(2).first().asString().startsWith("9  ");
  }

  @Test
  void aBackupRunWithAuditTrailLeavesARecordThatVerifies() throws Exception {
    Path key = dir.resolve("backup.key");
    assertThat(CliRun.of("backup", "keygen", "--out", key.toString()).exitCode()).isZero();
    Files.createDirectories(dir.resolve("site"));
    Files.writeString(dir.resolve("site/a.txt"), "hello");
    Path backupTrail = dir.resolve("backup-audit.jsonl");
    CliRun run = CliRun.of("backup", "run", "--source", "dir:" + dir.resolve("site"), "--store",
        "file:" + dir.resolve("store"), "--key-file", key.toString(), "--site", "shop", "--env", "production",
        "--audit", "file:" + backupTrail);
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(CliRun.of("audit", "verify", "--trail", backupTrail.toString()).exitCode()).isZero();
    assertThat(CliRun.of("audit", "query", "--trail", backupTrail.toString(), "--action", "backup.run").out())
        .contains("backup.run", "SUCCESS", "shop/production");
  }
}
