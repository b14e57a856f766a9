package dev.pledge.core.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pledge.core.Scope;
import dev.pledge.core.time.MutableClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each kind of tampering with a JSON Lines trail is detected in one pass and named with the first bad
 * sequence number (P14, P20). The trail: 10 records, a checkpoint every 3 (after seq 3, 6, 9) and one on
 * close (seq 10), each also published to a second folder.
 */
class TamperingTest {
  private static final CheckpointKey KEY = CheckpointKey.generateEd25519();

  @TempDir
  Path dir;
  Path file;
  CheckpointPublisher published;

  @TempDir
  static Path template;

  /** Written once; each test tampers with its own copy. */
  @BeforeAll
  static void writeTrail() {
    MutableClock clock = MutableClock.at(Instant.parse("2026-11-01T06:00:00Z"));
    try (ChainedAuditTrail trail = ChainedAuditTrail.builder(JsonLinesAuditStore.open(template.resolve("trail/audit.jsonl")))
        .key(KEY).checkpointEvery(3).checkpointInterval(null).clock(clock)
        .publishTo(CheckpointPublisher.toFolder(template.resolve("elsewhere"))).build()) {
      for (int i = 1; i <= 10; i++) {
        clock.advance(Duration.ofMinutes(1));
        trail.record(new AuditRecord(clock.instant(), i == 3 ? "mallory" : "alice", "access.grant", "db/shop",
            AuditOutcome.SUCCESS, Scope.of("shop", "production"), Map.of("n", String.valueOf(i))));
      }
    }
  }

  @BeforeEach
  void copyTrail() throws Exception {
    file = Files.createDirectories(dir.resolve("trail")).resolve("audit.jsonl");
    Files.copy(template.resolve("trail/audit.jsonl"), file);
    Files.createDirectories(dir.resolve("elsewhere"));
    Files.copy(template.resolve("elsewhere/checkpoints.jsonl"), dir.resolve("elsewhere/checkpoints.jsonl"));
    published = CheckpointPublisher.toFolder(dir.resolve("elsewhere"));
  }

  private List<String> lines() throws Exception {
    return new ArrayList<>(Files.readAllLines(file));
  }

  private void write(List<String> lines) throws Exception {
    Files.write(file, lines);
  }

  private int lineOf(long seq) throws Exception {
    List<String> l = lines();
    for (int i = 0; i < l.size(); i++) {
      if (l.get(i).startsWith("{\"seq\":" + seq + ",")) {
        return i;
      }
    }
    throw new AssertionError("no seq " + seq);
  }

  private AuditVerification verify() {
    try (JsonLinesAuditStore s = JsonLinesAuditStore.openForReading(file)) {
      return AuditVerifier.create().key(KEY).verify(s, published);
    }
  }

  private static ChainedRecord parse(String line) {
    return JsonLinesCodec.parse(line, "test").record();
  }

  private void assertFinding(AuditVerification v, AuditVerification.Tampering kind, long seq) {
    assertThat(v.intact()).as(v.toString()).isFalse();
    assertThat(v.finding().kind()).as(v.toString()).isEqualTo(kind);
    assertThat(v.finding().seq()).as(v.toString()).isEqualTo(seq);
  }

  @Test
  void anUntouchedTrailIsIntactWithEveryCheckpointSigned() throws Exception {
    AuditVerification v = verify();
    assertThat(v.intact()).as(v.toString()).isTrue();
    assertThat(v.records()).isEqualTo(10);
    assertThat(v.checkpoints()).isEqualTo(4);
    assertThat(v.signaturesChecked()).isTrue();
    assertThat(lines()).hasSize(14);
  }

  @Test
  void anActorChangedFromMalloryToAliceIsAnEditedRecord() throws Exception {
    List<String> l = lines();
    int i = lineOf(3);
    l.set(i, l.get(i).replace("\"mallory\"", "\"alice\""));
    write(l);
    AuditVerification v = verify();
    assertFinding(v, AuditVerification.Tampering.EDITED, 3);
    assertThat(v.finding().message()).contains("seq 3");
  }

  @Test
  void anEditWithItsHashRecomputedIsNamedByTheBrokenLinkAfterIt() throws Exception {
    List<String> l = lines();
    int i = lineOf(3);
    ChainedRecord old = parse(l.get(i));
    AuditRecord forged = new AuditRecord(old.record().at(), "alice", old.record().action(), old.record().resource(),
        old.record().outcome(), old.record().scope(), old.record().details());
    l.set(i, JsonLinesCodec.recordLine(AuditChain.link(3, old.prev(), forged)));
    write(l);
    assertFinding(verify(), AuditVerification.Tampering.EDITED, 3);
  }

  @Test
  void aTailRewrittenWithEveryHashRecomputedContradictsTheSignedCheckpoint() throws Exception {
    List<String> l = lines();
    String prev = parse(l.get(lineOf(4))).prev();
    for (long seq = 4; seq <= 10; seq++) {
      int i = lineOf(seq);
      ChainedRecord old = parse(l.get(i));
      ChainedRecord c = AuditChain.link(seq, prev, old.record().withDetail("n", "rewritten"));
      l.set(i, JsonLinesCodec.recordLine(c));
      prev = c.hash();
      write(l);
    }
    AuditVerification v = verify();
    assertFinding(v, AuditVerification.Tampering.EDITED, 4);
    assertThat(v.finding().message()).contains("rewritten", "seq 6");
  }

  @Test
  void aCopiedLineIsAnInsertedRecord() throws Exception {
    List<String> l = lines();
    int i = lineOf(5);
    l.add(i + 1, l.get(i));
    write(l);
    AuditVerification v = verify();
    assertFinding(v, AuditVerification.Tampering.INSERTED, 6);
    assertThat(v.finding().message()).contains("copy of seq 5");
  }

  @Test
  void aForgedRecordSlippedIntoTheChainIsAnInsertedRecord() throws Exception {
    List<String> l = lines();
    int i = lineOf(5);
    ChainedRecord five = parse(l.get(i));
    ChainedRecord forged = AuditChain.link(6, five.hash(), AuditRecord.of(five.record().at(), "alice",
        "access.revoke", "db/shop", AuditOutcome.SUCCESS));
    l.add(i + 1, JsonLinesCodec.recordLine(forged));
    write(l);
    assertFinding(verify(), AuditVerification.Tampering.INSERTED, 6);
  }

  @Test
  void aRemovedLineIsADeletedRecord() throws Exception {
    List<String> l = lines();
    l.remove(lineOf(5));
    write(l);
    AuditVerification v = verify();
    assertFinding(v, AuditVerification.Tampering.DELETED, 5);
    assertThat(v.finding().message()).isEqualTo("seq 5 was deleted");
  }

  @Test
  void swappedLinesAreReorderedRecords() throws Exception {
    List<String> l = lines();
    Collections.swap(l, lineOf(4), lineOf(5));
    write(l);
    assertFinding(verify(), AuditVerification.Tampering.REORDERED, 4);
  }

  @Test
  void aRecordMovedFarLaterIsReorderedNotDeleted() throws Exception {
    List<String> l = lines();
    String four = l.remove(lineOf(4));
    l.add(lineOf(8) + 1, four);
    write(l);
    assertFinding(verify(), AuditVerification.Tampering.REORDERED, 4);
  }

  @Test
  void cuttingTheEndOffIsCaughtByThePublishedCheckpoint() throws Exception {
    List<String> l = lines();
    write(l.subList(0, lineOf(8))); // seq 8-10 and the checkpoints over 9 and 10 are gone from the trail
    AuditVerification v = verify();
    assertFinding(v, AuditVerification.Tampering.TRUNCATED, 8);
    assertThat(v.finding().message()).contains("checkpoint at seq 6", "seq 9");
    try (JsonLinesAuditStore s = JsonLinesAuditStore.openForReading(file)) {
      assertThat(AuditVerifier.create().key(KEY).verify(s).intact())
          .as("without the second place, a clean cut after a checkpoint is indistinguishable from a short trail")
          .isTrue();
    }
  }

  @Test
  void aCheckpointSignedWithAnotherKeyIsABadSignature() throws Exception {
    List<String> l = lines();
    int i = lineOf(6) + 1;
    AuditCheckpoint cp = JsonLinesCodec.parse(l.get(i), "test").checkpoint();
    CheckpointKey other = CheckpointKey.generateEd25519();
    AuditCheckpoint forged = new AuditCheckpoint(cp.seq(), cp.hash(), cp.previous(), cp.at(), cp.algorithm(),
        KEY.keyId(), other.sign(cp.seq(), cp.hash(), cp.previous(), cp.at()).signature());
    l.set(i, JsonLinesCodec.checkpointLine(forged));
    write(l);
    Files.delete(dir.resolve("elsewhere/checkpoints.jsonl"));
    assertFinding(verify(), AuditVerification.Tampering.BAD_SIGNATURE, 6);
  }

  @Test
  void twoConsecutiveCheckpointsRemovedEverywhereAreNamed() throws Exception {
    // the aws-cli#7054 case: two digests in a row gone
    for (Path p : List.of(file, dir.resolve("elsewhere/checkpoints.jsonl"))) {
      List<String> l = new ArrayList<>(Files.readAllLines(p));
      l.removeIf(s -> s.startsWith("{\"checkpoint\":3,") || s.startsWith("{\"checkpoint\":6,"));
      Files.write(p, l);
    }
    AuditVerification v = verify();
    assertFinding(v, AuditVerification.Tampering.DELETED, 6);
    assertThat(v.finding().message()).contains("seq 9", "missing");
  }

  @Test
  void aLineThatNoLongerParsesIsAnEditedRecordNamedByFileAndLine() throws Exception {
    List<String> l = lines();
    int i = lineOf(2);
    l.set(i, l.get(i).substring(0, 40));
    write(l);
    AuditVerification v = verify();
    assertFinding(v, AuditVerification.Tampering.EDITED, 2);
    assertThat(v.finding().message()).contains("audit.jsonl:" + (i + 1));
  }

  @Test
  void anHmacKeyVerifiesOnlyWithTheSameSecret() {
    byte[] secret = new byte[32];
    secret[0] = 7;
    CheckpointKey k = CheckpointKey.hmacSha256(secret);
    AuditCheckpoint cp = k.sign(5, AuditChain.GENESIS, 0, Instant.EPOCH);
    assertThat(k.verifies(cp)).isTrue();
    byte[] other = secret.clone();
    other[1] = 1;
    assertThat(CheckpointKey.hmacSha256(other).verifies(cp)).isFalse();
    assertThat(k.toString()).doesNotContain("BwAA");
  }

  @Test
  void keyFilesRoundTripAndAPublicKeyVerifiesButCannotSign() throws Exception {
    KEY.writeTo(dir.resolve("k.pem"));
    KEY.writePublicTo(dir.resolve("k.pub"));
    CheckpointKey signer = CheckpointKey.load(dir.resolve("k.pem"));
    CheckpointKey verifier = CheckpointKey.load(dir.resolve("k.pub"));
    AuditCheckpoint cp = signer.sign(1, AuditChain.GENESIS, 0, Instant.EPOCH);
    assertThat(verifier.verifies(cp)).isTrue();
    assertThat(verifier.canSign()).isFalse();
    assertThat(verifier.keyId()).isEqualTo(KEY.keyId());
    Files.writeString(dir.resolve("bad.key"), "nonsense");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> CheckpointKey.load(dir.resolve("bad.key")))
        .hasMessageContaining("bad.key").hasMessageContaining("PUBLIC KEY");
  }
}
