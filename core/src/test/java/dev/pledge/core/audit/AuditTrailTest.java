package dev.pledge.core.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pledge.core.Scope;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditTrailTest {

  @Test
  void jsonLinesTrailKeepsEveryFieldAcrossReads(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("audit/trail.jsonl");
    AuditTrail trail = AuditTrail.jsonLines(file);
    AuditRecord r1 = new AuditRecord(Instant.parse("2026-11-01T06:30:00Z"), "scheduler", "backup.run",
        "b-123", AuditOutcome.SUCCESS, Scope.of("shop", "production"), Map.of("bytes", "1024"));
    AuditRecord r2 = AuditRecord.of(Instant.parse("2026-11-01T07:00:00Z"), "alice", "restore.refused",
        "b-123", AuditOutcome.DENIED);
    trail.record(r1);
    trail.record(r2);

    assertThat(Files.readAllLines(file)).hasSize(2);
    assertThat(AuditTrail.jsonLines(file).records()).containsExactly(r1, r2);
  }

  @Test
  void inMemoryTrailFiltersByAction() {
    InMemoryAuditTrail trail = AuditTrail.inMemory();
    trail.record(AuditRecord.of(Instant.EPOCH, "a", "x.one", "r", AuditOutcome.SUCCESS));
    trail.record(AuditRecord.of(Instant.EPOCH, "a", "x.two", "r", AuditOutcome.FAILURE));
    assertThat(trail.byAction("x.two")).singleElement().extracting(AuditRecord::outcome)
        .isEqualTo(AuditOutcome.FAILURE);
  }

  @Test
  void recordsNeedWhoWhatAndWhich() {
    assertThatThrownBy(() -> AuditRecord.of(Instant.EPOCH, " ", "x", "r", AuditOutcome.SUCCESS))
        .hasMessageContaining("actor");
    AuditRecord r = AuditRecord.of(Instant.EPOCH, "a", "x", "r", AuditOutcome.SUCCESS).withDetail("k", "v");
    assertThat(r.details()).containsEntry("k", "v");
  }

  @Test
  void storedInstantsReadBackExactlyAsTheJdkParsesThem() {
    for (String t : java.util.List.of("2026-11-01T06:30:00Z", "2026-11-01T06:30:00.100Z", "2026-11-01T06:30:00.123456Z",
        "2024-02-29T23:59:59.999999999Z", "0001-01-01T00:00:00Z", "9999-12-31T23:59:59.5Z")) {
      assertThat(JsonLinesCodec.instant(t)).as(t).isEqualTo(Instant.parse(t));
    }
    assertThatThrownBy(() -> JsonLinesCodec.instant("2026-02-30T00:00:00Z")).isInstanceOf(java.time.DateTimeException.class);
    ChainedRecord c = AuditChain.link(1, AuditChain.GENESIS, AuditRecord.of(Instant.parse("2026-11-01T06:30:00.123456789Z"),
        "a", "x", "r", AuditOutcome.SUCCESS));
    assertThat(c.record().at()).as("kept to the microsecond every store holds").isEqualTo("2026-11-01T06:30:00.123456Z");
    assertThat(JsonLinesCodec.parse(JsonLinesCodec.recordLine(c), "t").record()).isEqualTo(c);
  }

  @Test
  void theLogTrailWritesOneJsonLineAndKeepsNothing() {
    AuditTrail log = AuditTrail.toLog();
    log.record(AuditRecord.of(Instant.EPOCH, "a", "x", "r", AuditOutcome.SUCCESS));
    assertThat(log.records()).isEmpty();
    assertThat(log).isNotSameAs(AuditTrail.discarding());
  }
}
