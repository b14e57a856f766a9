package dev.pledge.backup.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pledge.backup.store.S3Location;
import dev.pledge.core.PledgeException;
import dev.pledge.core.audit.AuditCheckpoint;
import dev.pledge.core.audit.AuditOutcome;
import dev.pledge.core.audit.AuditRecord;
import dev.pledge.core.audit.AuditPolicy;
import dev.pledge.core.audit.AuditStore;
import dev.pledge.core.audit.AuditTrail;
import dev.pledge.core.audit.AuditTrails;
import dev.pledge.core.audit.CheckpointPublisher;
import dev.pledge.core.audit.AuditVerification;
import dev.pledge.core.audit.AuditVerifier;
import dev.pledge.core.audit.ChainedAuditTrail;
import dev.pledge.core.audit.CheckpointKey;
import dev.pledge.core.audit.JsonLinesAuditStore;
import dev.pledge.core.time.MutableClock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Signed audit checkpoints published to S3 (S3Mock's exec jar, a real S3 API server in its own JVM):
 * never overwritten, optionally under Object Lock, and a local trail checked against them, so a tail
 * cut off after a checkpoint reached the bucket, or a trail replaced whole, is detected (P14, P20).
 */
class S3CheckpointPublisherTest {
  private static final CheckpointKey KEY = CheckpointKey.generateEd25519();
  private static S3MockServer server;
  private static S3Client s3;

  @TempDir
  Path dir;

  @BeforeAll
  static void start() throws Exception {
    server = S3MockServer.start("anchor");
    s3 = server.client();
  }

  @AfterAll
  static void stop() {
    if (s3 != null) {
      s3.close();
    }
    if (server != null) {
      server.close();
    }
  }

  private S3CheckpointPublisher publisher(String prefix) {
    return S3CheckpointPublisher.builder(S3Location.parse("s3://anchor/" + prefix + "?region=eu-west-2"))
        .client(s3).build();
  }

  /** 25 records, a checkpoint every 5 (seq 5, 10, 15, 20, 25 on close), published to {@code to}. */
  private Path writeTrail(S3CheckpointPublisher to, String actor) {
    Path file = dir.resolve(actor + "/audit.jsonl");
    MutableClock clock = MutableClock.at(Instant.parse("2026-11-01T06:00:00Z"));
    try (ChainedAuditTrail trail = ChainedAuditTrail.builder(JsonLinesAuditStore.open(file)).key(KEY)
        .checkpointEvery(5).checkpointInterval(null).clock(clock).publishTo(to).build()) {
      for (int i = 1; i <= 25; i++) {
        clock.advance(Duration.ofMinutes(1));
        trail.record(new AuditRecord(clock.instant(), actor, "backup.run", "db/shop", AuditOutcome.SUCCESS, null,
            Map.of("n", String.valueOf(i))));
      }
    }
    return file;
  }

  private static AuditVerification verify(Path file, S3CheckpointPublisher published) {
    try (AuditStore s = JsonLinesAuditStore.openForReading(file)) {
      return AuditVerifier.create().key(KEY).verify(s, published);
    }
  }

  /** The trail without its last {@code records} records and every checkpoint line after the cut. */
  private static void cut(Path file, long keepSeq) throws Exception {
    List<String> kept = new ArrayList<>();
    for (String line : Files.readAllLines(file)) {
      if (line.startsWith("{\"seq\":" + (keepSeq + 1) + ",")) {
        break;
      }
      kept.add(line);
    }
    Files.write(file, kept);
  }

  @Test
  void everyCheckpointLandsInTheBucketInSequenceOrderAndTheTrailVerifiesAgainstThem() {
    S3CheckpointPublisher pub = publisher("intact");
    Path file = writeTrail(pub, "alice");
    try (var cps = pub.published()) {
      assertThat(cps.map(AuditCheckpoint::seq).toList()).containsExactly(5L, 10L, 15L, 20L, 25L);
    }
    assertThat(s3.listObjectsV2(r -> r.bucket("anchor").prefix("intact/")).contents())
        .extracting(o -> o.key()).contains("intact/checkpoints/00000000000000000005.json");
    AuditVerification v = verify(file, pub);
    assertThat(v.intact()).as(v.toString()).isTrue();
    assertThat(v.records()).isEqualTo(25);
    assertThat(v.signaturesChecked()).isTrue();
  }

  @Test
  void cuttingTheTailAfterAPublishedCheckpointIsTruncation() throws Exception {
    S3CheckpointPublisher pub = publisher("cut");
    Path file = writeTrail(pub, "bob");
    cut(file, 12); // seq 13-25 and the local checkpoints over 15, 20, 25 are gone
    try (AuditStore s = JsonLinesAuditStore.openForReading(file)) {
      assertThat(AuditVerifier.create().key(KEY).verify(s).intact())
          .as("the local trail alone looks like a short, intact trail").isTrue();
    }
    AuditVerification v = verify(file, pub);
    assertThat(v.intact()).as(v.toString()).isFalse();
    assertThat(v.finding().kind()).isEqualTo(AuditVerification.Tampering.TRUNCATED);
    assertThat(v.finding().seq()).isEqualTo(13);
    assertThat(v.finding().message()).contains("checkpoint at seq 10", "seq 15");
  }

  @Test
  void aTrailReplacedWholeNoLongerMatchesThePublishedCheckpoints() throws Exception {
    S3CheckpointPublisher pub = publisher("replaced");
    Path file = writeTrail(pub, "carol");
    // mallory writes a fresh trail of the same length with the same key but no publication
    Path forged = writeTrail(publisher("scratch"), "mallory");
    Files.copy(forged, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    AuditVerification v = verify(file, pub);
    assertThat(v.intact()).as(v.toString()).isFalse();
    assertThat(v.finding().kind()).isEqualTo(AuditVerification.Tampering.EDITED);
  }

  @Test
  void aPublishedCheckpointIsNeverReplacedButTheSameOneMayBePublishedAgain() {
    S3CheckpointPublisher pub = publisher("no-overwrite");
    AuditCheckpoint cp = KEY.sign(5, "a".repeat(64), 0, Instant.parse("2026-11-01T06:00:00Z"));
    pub.publish(cp);
    pub.publish(cp); // a retry after a lost answer is not an error
    AuditCheckpoint other = KEY.sign(5, "b".repeat(64), 0, Instant.parse("2026-11-01T06:00:00Z"));
    assertThatThrownBy(() -> pub.publish(other)).isInstanceOf(PledgeException.class)
        .hasMessageContaining("s3://anchor/no-overwrite/checkpoints/00000000000000000005.json")
        .hasMessageContaining("never replaced");
    try (var cps = pub.published()) {
      assertThat(cps.toList()).containsExactly(cp);
    }
  }

  @Test
  void aDamagedOrMisplacedObjectCountsAsAMissingCheckpoint() throws Exception {
    S3CheckpointPublisher pub = publisher("damaged");
    Path file = writeTrail(pub, "dave");
    // checkpoint 10 is overwritten behind the publisher's back (a bucket without Object Lock allows it)
    s3.putObject(r -> r.bucket("anchor").key(pub.key(10)), RequestBody.fromString("{not json", StandardCharsets.UTF_8));
    try (var cps = pub.published()) {
      assertThat(cps.map(AuditCheckpoint::seq).toList()).containsExactly(5L, 15L, 20L, 25L);
    }
    // the local trail still holds checkpoint 10, so the chain of checkpoints stays whole
    assertThat(verify(file, pub).intact()).isTrue();
  }

  @Test
  void withARetentionEachCheckpointIsLockedInComplianceMode() throws Exception {
    s3.createBucket(r -> r.bucket("anchor-locked").objectLockEnabledForBucket(true));
    MutableClock clock = MutableClock.at(Instant.parse("2026-11-01T06:00:00Z"));
    S3CheckpointPublisher pub = S3CheckpointPublisher.builder(
        S3Location.parse("s3://anchor-locked/pledge?region=eu-west-2")).client(s3)
        .retention(Duration.ofDays(400)).clock(clock).build();
    AuditCheckpoint cp = KEY.sign(5, "c".repeat(64), 0, clock.instant());
    pub.publish(cp);
    var retention = s3.getObjectRetention(r -> r.bucket("anchor-locked").key(pub.key(5))).retention();
    assertThat(retention.mode()).isEqualTo(
        software.amazon.awssdk.services.s3.model.ObjectLockRetentionMode.COMPLIANCE);
    assertThat(retention.retainUntilDate()).isEqualTo(Instant.parse("2027-12-06T06:00:00Z"));
    try (var cps = pub.published()) {
      assertThat(cps.toList()).containsExactly(cp);
    }
  }

  @Test
  void anUnreachableBucketIsAFailureNamingTheBucketNotTheCredentials() {
    S3CheckpointPublisher pub = publisher("x");
    S3CheckpointPublisher missing = S3CheckpointPublisher.builder(
        S3Location.parse("s3://no-such-anchor/x?region=eu-west-2")).client(s3).build();
    AuditCheckpoint cp = KEY.sign(5, "d".repeat(64), 0, Instant.parse("2026-11-01T06:00:00Z"));
    assertThatThrownBy(() -> missing.publish(cp)).isInstanceOf(PledgeException.class)
        .hasMessageContaining("s3://no-such-anchor/x/checkpoints/")
        .hasMessageContaining("NoSuchBucket")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("test"));
    assertThat(pub.describe()).isEqualTo("s3://anchor/x/checkpoints/");
  }

  @Test
  void thePolicysPublishToNamesABucketAndTheVerifierFindsItByName() throws Exception {
    String place = "s3://anchor/policy?region=eu-west-2&endpoint=" + server.endpoint();
    Path file = dir.resolve("policy/audit.jsonl");
    AuditPolicy section = new AuditPolicy("file:" + file, null, 4, null, dir.resolve("audit.key").toString(), place,
        null);
    AuditTrail trail = AuditTrail.from(section);
    for (int i = 1; i <= 10; i++) {
      trail.record(AuditRecord.of(Instant.parse("2026-11-01T06:00:00Z").plusSeconds(i), "erin", "backup.run",
          "db/shop", AuditOutcome.SUCCESS));
    }
    ((AutoCloseable) trail).close();
    CheckpointPublisher byName = AuditTrails.publisher(place, "pledge_audit");
    assertThat(byName).isInstanceOf(S3CheckpointPublisher.class);
    try (var cps = byName.published()) {
      assertThat(cps.map(AuditCheckpoint::seq).toList()).containsExactly(4L, 8L, 10L);
    }
    cut(file, 9);
    try (AuditStore s = JsonLinesAuditStore.openForReading(file)) {
      AuditVerification v = AuditVerifier.create().key(CheckpointKey.load(dir.resolve("audit.key"))).verify(s, byName);
      assertThat(v.findingIfAny()).get().extracting(AuditVerification.Finding::kind)
          .isEqualTo(AuditVerification.Tampering.TRUNCATED);
    }
    assertThatThrownBy(() -> AuditTrails.publisher("gs://anchor/x", "pledge_audit"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("file:DIR");
  }
}
