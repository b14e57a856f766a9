package dev.pledge.backup.s3;

import dev.pledge.core.audit.AuditTrail;
import dev.pledge.backup.store.S3Location;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pledge.backup.BackupEngine;
import dev.pledge.backup.BackupException;
import dev.pledge.backup.BackupManifest;
import dev.pledge.backup.crypto.LocalKeyWrapper;
import dev.pledge.backup.source.BackupSource;
import dev.pledge.backup.source.RestoreTarget;
import dev.pledge.core.Scope;
import dev.pledge.core.time.MutableClock;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Fifty backups to S3Mock through {@link FaultyProxy}, which drops connections (before the server acts
 * and after, losing its answer), answers 500 and 503, stalls, and cuts answers off halfway, on 10% of
 * requests (seeded). Every
 * backup either completes and restores byte-identical through the same faults, or fails with an error
 * naming the backup and leaves nothing listed; at the end no object or upload is left over.
 */
class S3FaultInjectionTest {
  private static final Scope SCOPE = Scope.of("shop", "production");
  private static S3MockServer server;
  private static S3Client client;

  @TempDir Path tmp;

  @BeforeAll
  static void startServer() throws IOException {
    server = S3MockServer.start("faults");
    client = server.client();
  }

  @AfterAll
  static void stopServer() {
    if (client != null) {
      client.close();
    }
    if (server != null) {
      server.close();
    }
  }

  @Test
  void fiftyBackupsThroughAFaultyNetworkEitherRestoreIdenticalOrLeaveNothing() throws IOException {
    try (FaultyProxy proxy = new FaultyProxy(server.endpoint(), 20261121L, 0.10, 10_000)) {
      S3Store flaky = S3Store.builder(S3Location.parse("s3://faults/pledge?region=eu-west-2&endpoint=" + proxy.endpoint()))
          .socketTimeout(Duration.ofSeconds(1)).attemptTimeout(Duration.ofSeconds(10))
          .retryBackoff(Duration.ofMillis(20)).build();
      S3Store direct = S3Store.builder(S3Location.parse("s3://faults/pledge?region=eu-west-2&endpoint=" + server.endpoint()))
          .incompleteUploadAge(Duration.ZERO).build();
      BackupEngine engine = BackupEngine.builder(LocalKeyWrapper.generate(tmp.resolve("k"))).auditTrail(AuditTrail.inMemory()).build();
      int completed = 0;
      for (int i = 0; i < 50; i++) {
        // every fifth backup spans two 8 MiB parts, so multipart creation, parts and completion all meet faults
        byte[] content = new byte[i % 5 == 0 ? (9 << 20) + i : 100_000 + i * 1000];
        new Random(i).nextBytes(content);
        int listedBefore = engine.list(direct, null).size();
        BackupManifest m;
        try {
          m = engine.backup(bytes(content, i), SCOPE, List.of(flaky));
        } catch (BackupException e) {
          assertThat(e.getMessage()).matches("(?s)backup \\d{8}T\\d{6}Z-[0-9a-f]{8} of bytes:test-" + i + " failed: .+");
          assertThat(engine.list(direct, null)).hasSize(listedBefore);
          continue;
        }
        ByteArrayOutputStream restored = new ByteArrayOutputStream();
        engine.restore(flaky, m.id(), new RestoreTarget() {
          @Override public String kind() { return "bytes"; }
          @Override public String description() { return "bytes:memory"; }
          @Override public void restoreFrom(InputStream in) throws IOException { in.transferTo(restored); }
        });
        assertThat(restored.toByteArray()).as("backup %d restored", i).isEqualTo(content);
        assertThat(engine.list(direct, null)).hasSize(listedBefore + 1);
        completed++;
      }

      Map<FaultyProxy.Fault, Integer> injected = proxy.injected();
      assertThat(injected.keySet()).as("every kind of fault was injected: %s", injected)
          .containsExactlyInAnyOrder(FaultyProxy.Fault.values());
      int faults = injected.values().stream().mapToInt(Integer::intValue).sum();
      assertThat((double) faults / proxy.requests()).isBetween(0.05, 0.15);
      assertThat(engine.list(direct, null)).hasSize(completed);
      // a failed backup whose abort met a fault leaves its upload open; cleanup takes it
      engine.cleanUp(direct);
      assertThat(client.listMultipartUploads(b -> b.bucket("faults")).uploads()).isEmpty();
      assertThat(direct.list("")).hasSize(2 * completed);
      assertThat(engine.verifyAll(direct, null)).hasSize(completed).allMatch(r -> r.ok());
      System.out.printf("S3 faults: %d of %d backups completed; %d faults in %d requests: %s%n",
          completed, 50, faults, proxy.requests(), injected);
    }
  }

  @Test
  void aCompletionWhoseAnswerIsLostStillCommitsTheBackup() throws IOException {
    try (FaultyProxy proxy = new FaultyProxy(server.endpoint(), 1L, 0.0, 10_000)) {
      boolean[] dropped = {false};
      proxy.rule(line -> {
        // CompleteMultipartUpload: POST on the object with an uploadId and no partNumber; lose its first answer
        if (!dropped[0] && line.startsWith("POST ") && line.contains("uploadId=") && !line.contains("partNumber=")) {
          dropped[0] = true;
          return FaultyProxy.Fault.DROP_AFTER;
        }
        return null;
      });
      S3Store flaky = S3Store.builder(S3Location.parse("s3://faults/lost?region=eu-west-2&endpoint=" + proxy.endpoint()))
          .socketTimeout(Duration.ofSeconds(2)).retryBackoff(Duration.ofMillis(20)).build();
      BackupEngine engine = BackupEngine.builder(LocalKeyWrapper.generate(tmp.resolve("k"))).auditTrail(AuditTrail.inMemory()).build();
      byte[] content = new byte[10 << 20];
      new Random(99).nextBytes(content);

      BackupManifest m = engine.backup(bytes(content, 0), SCOPE, List.of(flaky));

      assertThat(proxy.injected()).containsEntry(FaultyProxy.Fault.DROP_AFTER, 1);
      assertThat(engine.list(flaky, null)).containsExactly(m);
      assertThat(engine.verify(flaky, m.id()).ok()).isTrue();
      assertThat(client.listMultipartUploads(b -> b.bucket("faults").prefix("lost/")).uploads()).isEmpty();
    }
  }

  @Test
  void anUploadWhoseStartWasAnsweredIntoTheVoidIsTakenOverNotStartedTwice() throws IOException {
    try (FaultyProxy proxy = new FaultyProxy(server.endpoint(), 1L, 0.0, 10_000)) {
      boolean[] dropped = {false};
      proxy.rule(line -> {
        // CreateMultipartUpload: POST on the object with "?uploads"; the server starts it, its answer is lost
        if (!dropped[0] && line.startsWith("POST ") && line.contains("uploads") && !line.contains("uploadId=")) {
          dropped[0] = true;
          return FaultyProxy.Fault.DROP_AFTER;
        }
        return null;
      });
      // the lost answer is a closed connection, not a silence: the socket timeout only has to outlast a
      // loaded S3Mock storing an 8 MiB part while the next part is in flight beside it
      S3Store flaky = S3Store.builder(S3Location.parse("s3://faults/twice?region=eu-west-2&endpoint=" + proxy.endpoint()))
          .socketTimeout(Duration.ofSeconds(15)).retryBackoff(Duration.ofMillis(20)).build();
      S3Store direct = S3Store.builder(S3Location.parse("s3://faults/twice?region=eu-west-2&endpoint=" + server.endpoint()))
          .incompleteUploadAge(Duration.ZERO).build();
      BackupEngine engine = BackupEngine.builder(LocalKeyWrapper.generate(tmp.resolve("k"))).auditTrail(AuditTrail.inMemory()).build();
      byte[] content = new byte[10 << 20];
      new Random(7).nextBytes(content);

      BackupManifest m = engine.backup(bytes(content, 0), SCOPE, List.of(flaky));

      assertThat(proxy.injected()).containsEntry(FaultyProxy.Fault.DROP_AFTER, 1);
      // the upload whose answer was lost was the one completed: none is left for a clean-up to abort
      assertThat(client.listMultipartUploads(b -> b.bucket("faults").prefix("twice/")).uploads()).isEmpty();
      engine.cleanUp(direct);
      assertThat(direct.list("")).hasSize(2);
      assertThat(engine.verify(direct, m.id()).ok()).isTrue();
    }
  }

  @Test
  void anAbortWhoseAnswerIsLostStillCountsTheOldUploadItRemoved() throws IOException {
    var started = client.createMultipartUpload(b -> b.bucket("faults").key("aborted/shop/production/old.data"));
    client.uploadPart(b -> b.bucket("faults").key("aborted/shop/production/old.data").uploadId(started.uploadId())
        .partNumber(1), software.amazon.awssdk.core.sync.RequestBody.fromBytes(new byte[1024]));
    var upload = client.listMultipartUploads(b -> b.bucket("faults").prefix("aborted/")).uploads().get(0);
    try (FaultyProxy proxy = new FaultyProxy(server.endpoint(), 1L, 0.0, 10_000)) {
      boolean[] dropped = {false};
      proxy.rule(line -> {
        // AbortMultipartUpload: DELETE with an uploadId; the server aborts it, its answer is lost, the retry finds none
        if (!dropped[0] && line.startsWith("DELETE ") && line.contains("uploadId=")) {
          dropped[0] = true;
          return FaultyProxy.Fault.DROP_AFTER;
        }
        return null;
      });
      S3Store cleaner = S3Store.builder(S3Location.parse("s3://faults/aborted?region=eu-west-2&endpoint=" + proxy.endpoint()))
          .clock(MutableClock.at(upload.initiated().plus(Duration.ofHours(25))))
          .socketTimeout(Duration.ofSeconds(2)).retryBackoff(Duration.ofMillis(20)).build();

      assertThat(cleaner.cleanUpIncomplete()).isEqualTo(1);
      assertThat(proxy.injected()).containsEntry(FaultyProxy.Fault.DROP_AFTER, 1);
      assertThat(client.listMultipartUploads(b -> b.bucket("faults").prefix("aborted/")).uploads()).isEmpty();
    }
  }

  @Test
  void aDownloadCutOffMidwayResumesWhereItStoppedAndRestoresIdentical() throws IOException {
    try (FaultyProxy proxy = new FaultyProxy(server.endpoint(), 1L, 0.0, 10_000)) {
      S3Store flaky = S3Store.builder(S3Location.parse("s3://faults/cut?region=eu-west-2&endpoint=" + proxy.endpoint()))
          .socketTimeout(Duration.ofSeconds(2)).retryBackoff(Duration.ofMillis(20)).build();
      BackupEngine engine = BackupEngine.builder(LocalKeyWrapper.generate(tmp.resolve("k"))).auditTrail(AuditTrail.inMemory()).build();
      byte[] content = new byte[12 << 20];
      new Random(12).nextBytes(content);
      BackupManifest m = engine.backup(bytes(content, 0), SCOPE, List.of(flaky));
      int before = proxy.heads().size();
      ByteArrayOutputStream restored = new ByteArrayOutputStream();
      // cut the first three downloads of the data object halfway: each read must resume where it stopped
      proxy.rule(new java.util.function.Function<>() {
        private int cuts;
        @Override
        public FaultyProxy.Fault apply(String line) {
          return line.startsWith("GET ") && line.contains(".data") && cuts++ < 3 ? FaultyProxy.Fault.TRUNCATE : null;
        }
      });
      engine.restore(flaky, m.id(), new RestoreTarget() {
        @Override public String kind() { return "bytes"; }
        @Override public String description() { return "bytes:memory"; }
        @Override public void restoreFrom(InputStream in) throws IOException { in.transferTo(restored); }
      });

      assertThat(restored.toByteArray()).isEqualTo(content);
      assertThat(proxy.injected()).containsEntry(FaultyProxy.Fault.TRUNCATE, 3);
      assertThat(proxy.heads().subList(before, proxy.heads().size()))
          .filteredOn(h -> h.startsWith("GET ") && h.contains(".data"))
          .anyMatch(h -> h.toLowerCase(java.util.Locale.ROOT).contains("range: bytes="));
    }
  }

  @Test
  void aBackupJvmKilledMidUploadLeavesNothingListedAndCleanupTakesItsUploadOnlyWhenOld() throws Exception {
    S3Location location = S3Location.parse("s3://faults/killed?region=eu-west-2&endpoint=" + server.endpoint());
    Path key = tmp.resolve("master.key");
    LocalKeyWrapper.generate(key);
    Path log = tmp.resolve("child.log");
    String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    Process child = new ProcessBuilder(javaBin, "-Xmx128m", "-cp", cp, EndlessBackupMain.class.getName(),
        location.toString(), key.toString()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    try {
      // bounded poll of a real process: wait until its multipart upload has parts on the server
      long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
      List<software.amazon.awssdk.services.s3.model.MultipartUpload> uploads = List.of();
      while (System.nanoTime() < deadline && child.isAlive()) {
        uploads = client.listMultipartUploads(b -> b.bucket("faults").prefix("killed/")).uploads();
        if (!uploads.isEmpty()) {
          var u = uploads.get(0);
          if (client.listParts(b -> b.bucket("faults").key(u.key()).uploadId(u.uploadId())).parts().size() >= 2) {
            break;
          }
        }
        child.waitFor(100, TimeUnit.MILLISECONDS);
      }
      assertThat(child.isAlive()).as("child still uploading; its log: %s", Files.readString(log)).isTrue();
    } finally {
      child.destroyForcibly();
      child.waitFor();
    }

    S3Store store = S3Store.create(location);
    BackupEngine engine = BackupEngine.builder(LocalKeyWrapper.load(key)).auditTrail(AuditTrail.inMemory()).build();
    assertThat(engine.list(store, null)).isEmpty();
    assertThat(client.listObjectsV2(b -> b.bucket("faults").prefix("killed/")).contents()).isEmpty();
    var orphans = client.listMultipartUploads(b -> b.bucket("faults").prefix("killed/")).uploads();
    assertThat(orphans).hasSize(1);
    assertThat(orphans.get(0).key()).matches("killed/shop/production/\\d{8}T\\d{6}Z-[0-9a-f]{8}\\.data");

    // an hour after it started, the upload could be another node's live backup: cleanup leaves it
    MutableClock clock = MutableClock.at(orphans.get(0).initiated().plus(Duration.ofHours(1)));
    S3Store cleaner = S3Store.builder(location).clock(clock).build();
    assertThat(engine.cleanUp(cleaner)).isZero();
    assertThat(client.listMultipartUploads(b -> b.bucket("faults").prefix("killed/")).uploads()).hasSize(1);

    clock.advance(Duration.ofHours(24));
    assertThat(engine.cleanUp(cleaner)).isEqualTo(1);
    assertThat(client.listMultipartUploads(b -> b.bucket("faults").prefix("killed/")).uploads()).isEmpty();
    assertThat(engine.list(store, null)).isEmpty();
  }

  private static BackupSource bytes(byte[] content, int i) {
    String name = "bytes:test-" + i;
    return new BackupSource() {
      @Override public String kind() { return "bytes"; }
      @Override public String description() { return name; }
      @Override public void writeTo(OutputStream out) throws IOException { out.write(content); }
    };
  }
}
