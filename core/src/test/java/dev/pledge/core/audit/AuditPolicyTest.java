package dev.pledge.core.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pledge.core.policy.PolicyDocument;
import dev.pledge.core.policy.PolicyException;
import dev.pledge.core.policy.PolicyLoader;
import dev.pledge.core.policy.PolicyWarning;
import dev.pledge.core.time.MutableClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The policy's {@code audit} section binds strictly and builds the trail it describes (P14, P20). */
class AuditPolicyTest {
  @TempDir
  Path dir;

  private PolicyDocument load(String yaml) {
    return PolicyLoader.create().load("p.yaml", yaml);
  }

  @Test
  void theSectionBuildsACheckpointedTrailWithAKeyMadeOnFirstUseAndACopyElsewhere() throws Exception {
    Path trailFile = dir.resolve("log/audit.jsonl");
    Path keyFile = dir.resolve("keys/audit.key");
    PolicyDocument doc = load("audit:\n  store: file:" + trailFile + "\n  checkpointEvery: 2\n  checkpointInterval: 10m\n"
        + "  keyFile: " + keyFile + "\n  publishTo: file:" + dir.resolve("other") + "\n  durability: per-record\n");
    AuditPolicy section = doc.require(AuditPolicy.class);
    assertThat(section.checkpointInterval()).isEqualTo(Duration.ofMinutes(10));
    assertThat(section.durabilityMode()).isEqualTo(Durability.perRecord());
    assertThat(doc.warnings()).isEmpty();

    MutableClock clock = MutableClock.at("2026-11-01T06:00:00Z");
    AuditTrail trail = AuditTrail.builder(section).clock(clock).build();
    assertThat(trail).isInstanceOf(ChainedAuditTrail.class);
    for (int i = 0; i < 5; i++) {
      trail.record(AuditRecord.of(clock.instant(), "alice", "access.grant", "db/shop", AuditOutcome.SUCCESS));
    }
    ((ChainedAuditTrail) trail).close();

    assertThat(keyFile).exists();
    CheckpointKey key = CheckpointKey.load(keyFile);
    try (JsonLinesAuditStore s = JsonLinesAuditStore.openForReading(trailFile)) {
      AuditVerification v = AuditVerifier.create().key(key).verify(s, CheckpointPublisher.toFolder(dir.resolve("other")));
      assertThat(v.intact()).as(v.toString()).isTrue();
      assertThat(v.checkpoints()).isEqualTo(3); // after 2, 4 and on close at 5
    }
    try (Stream<AuditCheckpoint> published = CheckpointPublisher.toFolder(dir.resolve("other")).published()) {
      assertThat(published.map(AuditCheckpoint::seq)).containsExactly(2L, 4L, 5L);
    }
  }

  @Test
  void aTrailThatKeepsNothingExistsOnlyByNameAndIsWarnedAbout() {
    PolicyDocument doc = load("audit:\n  store: discard\n");
    assertThat(AuditTrail.from(doc.require(AuditPolicy.class))).isNotInstanceOf(ChainedAuditTrail.class);
    assertThat(doc.warnings()).extracting(PolicyWarning::rule).contains("audit-discard");
  }

  @Test
  void aSectionWithoutAKeyFileIsWarnedAboutAndBadValuesNameTheirField() {
    assertThat(load("audit:\n  store: file:" + dir.resolve("a.jsonl") + "\n").warnings())
        .extracting(PolicyWarning::path).containsExactly("audit.keyFile");
    assertThatThrownBy(() -> load("audit:\n  store: a.jsonl\n  durability: sometimes\n"))
        .isInstanceOf(PolicyException.class).hasMessageContaining("durability").hasMessageContaining("sometimes");
    assertThatThrownBy(() -> load("audit:\n  checkpointEvery: 5\n"))
        .isInstanceOf(PolicyException.class).hasMessageContaining("store");
  }

  @Test
  void writtenDurabilityNamesItsBoundIsWarnedAboutAndIsRefusedForAJdbcStore() {
    PolicyDocument doc = load("audit:\n  store: file:" + dir.resolve("w.jsonl") + "\n  keyFile: " + dir.resolve("k")
        + "\n  durability: Written 5 ms\n");
    AuditPolicy section = doc.require(AuditPolicy.class);
    assertThat(section.durability()).isEqualTo("written 5ms");
    assertThat(section.durabilityMode()).isEqualTo(Durability.written(Duration.ofMillis(5)));
    assertThat(doc.warnings()).singleElement().satisfies(w -> {
      assertThat(w.path()).isEqualTo("audit.durability");
      assertThat(w.message()).contains("power loss", "5ms");
    });
    AuditTrail trail = AuditTrail.from(section);
    assertThat(((ChainedAuditTrail) trail).durability()).isEqualTo(Durability.written(Duration.ofMillis(5)));
    ((ChainedAuditTrail) trail).close();

    assertThatThrownBy(() -> load("audit:\n  store: a.jsonl\n  durability: written\n"))
        .isInstanceOf(PolicyException.class).hasMessageContaining("durability").hasMessageContaining("written 5ms");
    assertThatThrownBy(() -> load("audit:\n  store: a.jsonl\n  durability: written soon\n"))
        .isInstanceOf(PolicyException.class).hasMessageContaining("durability").hasMessageContaining("written soon");
    assertThatThrownBy(() -> load("audit:\n  store: a.jsonl\n  durability: written 0ms\n"))
        .isInstanceOf(PolicyException.class).hasMessageContaining("durability").hasMessageContaining("greater than zero");
    assertThatThrownBy(() -> load("audit:\n  store: jdbc:postgresql://db/pledge\n  durability: written 5ms\n"))
        .isInstanceOf(PolicyException.class).hasMessageContaining("durability").hasMessageContaining("jdbc")
        .hasMessageContaining("grouped");
  }

  @Test
  void jsonLinesQueriesStreamByTimeActorActionResourceAndOutcome() {
    Path file = dir.resolve("q.jsonl");
    Instant t0 = Instant.parse("2026-11-01T06:00:00Z");
    try (ChainedAuditTrail trail = AuditTrail.jsonLines(file)) {
      for (int i = 0; i < 20; i++) {
        trail.record(AuditRecord.of(t0.plusSeconds(i * 60L), i % 2 == 0 ? "alice" : "bob",
            i % 3 == 0 ? "access.grant" : "backup.run", "r-" + (i % 4), i % 5 == 0 ? AuditOutcome.DENIED
                : AuditOutcome.SUCCESS));
      }
      try (Stream<AuditRecord> r = trail.query(AuditQuery.builder().from(t0.plusSeconds(300)).to(t0.plusSeconds(600))
          .build())) {
        assertThat(r.map(AuditRecord::at)).containsExactly(t0.plusSeconds(300), t0.plusSeconds(360),
            t0.plusSeconds(420), t0.plusSeconds(480), t0.plusSeconds(540));
      }
      try (Stream<AuditRecord> r = trail.query(AuditQuery.builder().actor("alice").action("access.grant")
          .resource("r-2").build())) {
        assertThat(r.count()).isEqualTo(2); // i = 6 and 18
      }
      try (Stream<AuditRecord> r = trail.query(AuditQuery.builder().outcome(AuditOutcome.DENIED).build())) {
        assertThat(r.count()).isEqualTo(4);
      }
      List<ChainedRecord> tail = trail.tail(2);
      assertThat(tail).extracting(ChainedRecord::seq).containsExactly(19L, 20L);
    }
    assertThatThrownBy(() -> AuditQuery.builder().from(t0).to(t0).build()).hasMessageContaining("after");
  }
}
