package dev.pledge.backup.s3;

import dev.pledge.backup.retention.BackupDecision;
import dev.pledge.backup.retention.BackupRecord;
import dev.pledge.backup.retention.ColdStorageClass;
import dev.pledge.backup.retention.Decision;
import dev.pledge.backup.retention.RetentionPlan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pledge.backup.s3.S3RetentionExecutor.ActionType;
import dev.pledge.backup.store.S3Location;
import dev.pledge.core.Scope;
import dev.pledge.core.audit.AuditOutcome;
import dev.pledge.core.audit.AuditRecord;
import dev.pledge.core.audit.AuditTrail;
import dev.pledge.core.audit.InMemoryAuditTrail;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.Period;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.LifecycleRule;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/** P12 against a real S3 API (S3Mock): the executor's transitions, batched deletions, refusals and audit. */
class S3RetentionExecutorTest {
  private static final Scope SCOPE = Scope.of("shop", "production");
  private static final Instant T0 = Instant.parse("2026-01-01T06:30:00Z");
  private static S3MockServer server;
  private static S3Client s3;

  @BeforeAll
  static void start() throws IOException {
    server = S3MockServer.start("dry", "apply", "early", "batch", "lifecycle");
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

  private static S3Location location(String bucket) {
    return S3Location.parse("s3://" + bucket + "/backups?region=eu-west-2&endpoint=" + server.endpoint());
  }

  private static String id(int n) {
    return String.format("202601%02dT063000Z-0000000%d", n, n % 10);
  }

  /** Puts a backup's manifest and data objects where the engine would. */
  private static void putBackup(String bucket, String id, int dataBytes) {
    String base = "backups/shop/production/" + id;
    s3.putObject(r -> r.bucket(bucket).key(base + ".manifest.json"), RequestBody.fromString("{\"id\":\"" + id + "\"}"));
    s3.putObject(r -> r.bucket(bucket).key(base + ".data"), RequestBody.fromBytes(new byte[dataBytes]));
  }

  private static BackupDecision decision(int n, Decision d, String reason) {
    return new BackupDecision(BackupRecord.of(id(n), T0.plus(Duration.ofDays(n))), d, List.of(reason));
  }

  private static List<String> keys(String bucket) {
    return s3.listObjectsV2(r -> r.bucket(bucket)).contents().stream().map(S3Object::key).sorted().toList();
  }

  private static String storageClass(String bucket, String id) {
    String c = s3.headObject(r -> r.bucket(bucket).key("backups/shop/production/" + id + ".data")).storageClassAsString();
    return c == null ? "STANDARD" : c;
  }

  private static RetentionPlan keepArchiveDelete() {
    return RetentionPlan.of(List.of(decision(3, Decision.KEEP, "daily"), decision(2, Decision.ARCHIVE,
        "monthly, cold: older than 3M -> GLACIER"), decision(1, Decision.DELETE, "no rule")), List.of());
  }

  @Test
  void anExecutorIsNotBuiltWithoutAnAuditTrail() {
    assertThatThrownBy(() -> S3RetentionExecutor.builder(s3, location("dry"), SCOPE).build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("no audit trail")
        .hasMessageContaining("AuditTrail.toLog()").hasMessageContaining("AuditTrail.discarding()");
  }

  @Test
  void aDryRunSaysWhatItWouldDoAndChangesNothing() {
    putBackup("dry", id(1), 10);
    putBackup("dry", id(2), 200_000);
    putBackup("dry", id(3), 10);
    List<String> before = keys("dry");
    InMemoryAuditTrail audit = AuditTrail.inMemory();
    S3RetentionExecutor.Result r = S3RetentionExecutor.builder(s3, location("dry"), SCOPE).auditTrail(audit).build()
        .apply(keepArchiveDelete());
    assertThat(r.dryRun()).isTrue();
    assertThat(r.actions()).extracting(S3RetentionExecutor.Action::type)
        .containsExactly(ActionType.UNCHANGED, ActionType.TRANSITION, ActionType.DELETE);
    assertThat(r.actions()).noneMatch(S3RetentionExecutor.Action::applied);
    assertThat(r.of(ActionType.DELETE).get(0).keys()).containsExactly(
        "backups/shop/production/" + id(1) + ".manifest.json", "backups/shop/production/" + id(1) + ".data");
    assertThat(r.deleteRequests()).isZero();
    assertThat(keys("dry")).isEqualTo(before);
    assertThat(storageClass("dry", id(2))).isEqualTo("STANDARD");
    assertThat(audit.records()).isEmpty();
  }

  @Test
  void applyingMovesArchivedDataToTheColdClassDeletesAndAuditsEachDeletion() {
    putBackup("apply", id(1), 10);
    putBackup("apply", id(2), 1000);
    putBackup("apply", id(3), 10);
    InMemoryAuditTrail audit = AuditTrail.inMemory();
    S3RetentionExecutor.Result r = S3RetentionExecutor.builder(s3, location("apply"), SCOPE).auditTrail(audit)
        .coldStorageClass(ColdStorageClass.DEEP_ARCHIVE).dryRun(false).build().apply(keepArchiveDelete());
    assertThat(r.of(ActionType.TRANSITION)).singleElement().satisfies(a -> {
      assertThat(a.applied()).isTrue();
      assertThat(a.storageClass()).isEqualTo("STANDARD");
    });
    assertThat(storageClass("apply", id(2))).isEqualTo("DEEP_ARCHIVE");
    assertThat(storageClass("apply", id(3))).isEqualTo("STANDARD");
    assertThat(r.warnings()).singleElement().asString().contains(id(2)).contains("1000 bytes, under 128 KiB");
    assertThat(keys("apply")).noneMatch(k -> k.contains(id(1))).anyMatch(k -> k.contains(id(2))).anyMatch(k -> k.contains(id(3)));
    assertThat(r.deleteRequests()).isEqualTo(2); // manifests, then data
    List<AuditRecord> deletions = audit.byAction("retention.delete");
    assertThat(deletions).singleElement().satisfies(a -> {
      assertThat(a.resource()).isEqualTo(id(1));
      assertThat(a.outcome()).isEqualTo(AuditOutcome.SUCCESS);
      assertThat(a.scope()).isEqualTo(SCOPE);
      assertThat(a.details()).containsEntry("keys", "backups/shop/production/" + id(1) + ".manifest.json backups/shop/production/"
          + id(1) + ".data").containsEntry("reasons", "no rule").containsEntry("bucket", "apply");
    });
    assertThat(audit.byAction("retention.archive")).singleElement().extracting(AuditRecord::resource).isEqualTo(id(2));
  }

  @Test
  void deletingOrMovingAColdObjectBeforeItsMinimumDurationIsRefusedWithTheReason() {
    putBackup("early", id(1), 10);
    putBackup("early", id(2), 10);
    S3RetentionExecutor.builder(s3, location("early"), SCOPE).dryRun(false).auditTrail(AuditTrail.inMemory()).build().apply(RetentionPlan.of(List.of(
        decision(1, Decision.ARCHIVE, "cold"), decision(2, Decision.ARCHIVE, "cold")), List.of()));
    assertThat(storageClass("early", id(1))).isEqualTo("GLACIER");
    Instant coldAt = s3.headObject(r -> r.bucket("early").key("backups/shop/production/" + id(1) + ".data")).lastModified();

    InMemoryAuditTrail audit = AuditTrail.inMemory();
    Clock tenDaysLater = Clock.fixed(coldAt.plus(Duration.ofDays(10)), java.time.ZoneOffset.UTC);
    RetentionPlan plan = RetentionPlan.of(List.of(decision(1, Decision.DELETE, "no rule"), decision(2, Decision.ARCHIVE, "cold")),
        List.of());
    S3RetentionExecutor.Result early = S3RetentionExecutor.builder(s3, location("early"), SCOPE).clock(tenDaysLater)
        .coldStorageClass(ColdStorageClass.DEEP_ARCHIVE).auditTrail(audit).dryRun(false).build().apply(plan);
    assertThat(early.actions()).extracting(S3RetentionExecutor.Action::type).containsExactly(ActionType.REFUSED, ActionType.REFUSED);
    assertThat(early.actions().get(0).reason()).startsWith("deleting it would be billed as early: it has been in GLACIER since")
        .contains("90 days minimum, until " + coldAt.plus(Duration.ofDays(90)));
    assertThat(early.actions().get(1).reason()).startsWith("moving it to DEEP_ARCHIVE would be billed as early");
    assertThat(keys("early")).hasSize(4);
    assertThat(storageClass("early", id(2))).isEqualTo("GLACIER");
    assertThat(audit.byAction("retention.refused")).hasSize(2).allMatch(a -> a.outcome() == AuditOutcome.DENIED);
    assertThat(audit.byAction("retention.delete")).isEmpty();

    Clock later = Clock.fixed(coldAt.plus(Duration.ofDays(91)), java.time.ZoneOffset.UTC);
    S3RetentionExecutor.Result done = S3RetentionExecutor.builder(s3, location("early"), SCOPE).clock(later).auditTrail(audit)
        .dryRun(false).build().apply(RetentionPlan.of(List.of(decision(1, Decision.DELETE, "no rule")), List.of()));
    assertThat(done.of(ActionType.DELETE)).singleElement().extracting(S3RetentionExecutor.Action::applied).isEqualTo(true);
    assertThat(keys("early")).noneMatch(k -> k.contains(id(1)));
    assertThat(audit.byAction("retention.delete")).singleElement().extracting(AuditRecord::resource).isEqualTo(id(1));
  }

  @Test
  void deletionsGoInBatchesNoLargerThanTheBatchSize() {
    List<BackupDecision> decisions = new ArrayList<>();
    for (int n = 1; n <= 5; n++) {
      putBackup("batch", id(n), 10);
      decisions.add(decision(n, Decision.DELETE, "no rule"));
    }
    S3RetentionExecutor.Result r = S3RetentionExecutor.builder(s3, location("batch"), SCOPE).deleteBatchSize(2).dryRun(false)
        .auditTrail(AuditTrail.inMemory()).build().apply(RetentionPlan.of(decisions, List.of()));
    assertThat(r.deleteRequests()).isEqualTo(6); // 5 manifests in 3 requests, then 5 data objects in 3
    assertThat(r.of(ActionType.DELETE)).hasSize(5).allMatch(S3RetentionExecutor.Action::applied);
    assertThat(keys("batch")).isEmpty();
    assertThatThrownBy(() -> S3RetentionExecutor.builder(s3, location("batch"), SCOPE).deleteBatchSize(1001))
        .hasMessageContaining("deleteBatchSize must be 1..1000, got 1001");
  }

  @Test
  void theTieringIsAppliedAsABucketLifecycleConfigurationUnlessDryRun() {
    String dry = S3RetentionExecutor.builder(s3, location("lifecycle"), SCOPE).auditTrail(AuditTrail.inMemory()).build().applyLifecycle(Period.ofMonths(3));
    assertThat(dry).contains("\"Prefix\":\"backups/shop/production/\"").contains("\"Days\":93").contains("\"StorageClass\":\"GLACIER\"");
    assertThatThrownBy(() -> s3.getBucketLifecycleConfiguration(r -> r.bucket("lifecycle"))).isInstanceOf(S3Exception.class);

    InMemoryAuditTrail audit = AuditTrail.inMemory();
    S3RetentionExecutor.builder(s3, location("lifecycle"), SCOPE).coldStorageClass(ColdStorageClass.GLACIER_IR)
        .auditTrail(audit).dryRun(false).build().applyLifecycle(Period.ofMonths(3));
    List<LifecycleRule> rules = s3.getBucketLifecycleConfiguration(r -> r.bucket("lifecycle")).rules();
    assertThat(rules).singleElement().satisfies(rule -> {
      assertThat(rule.filter().prefix()).isEqualTo("backups/shop/production/");
      assertThat(rule.transitions()).singleElement().satisfies(t -> {
        assertThat(t.days()).isEqualTo(93);
        assertThat(t.storageClassAsString()).isEqualTo("GLACIER_IR");
      });
      assertThat(rule.expiration()).isNull();
    });
    assertThat(audit.byAction("retention.lifecycle")).hasSize(1);
  }
}
