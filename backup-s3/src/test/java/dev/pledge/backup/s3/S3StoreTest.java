package dev.pledge.backup.s3;

import dev.pledge.core.audit.AuditTrail;
import dev.pledge.backup.store.BackupStore;
import dev.pledge.backup.store.S3Location;
import dev.pledge.backup.store.StorePosture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pledge.backup.BackupEngine;
import dev.pledge.backup.BackupException;
import dev.pledge.backup.BackupManifest;
import dev.pledge.backup.crypto.LocalKeyWrapper;
import dev.pledge.backup.source.BackupSource;
import dev.pledge.backup.source.DirectorySource;
import dev.pledge.backup.source.DirectoryTarget;
import dev.pledge.core.Scope;
import dev.pledge.core.time.MutableClock;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;

class S3StoreTest {
  private static final Scope SCOPE = Scope.of("shop", "production");
  private static S3MockServer server;
  private static S3Client client;

  @TempDir Path tmp;

  @BeforeAll
  static void startServer() throws IOException {
    server = S3MockServer.start("london", "dublin", "posture");
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

  private S3Store store(String bucket, String prefix, String region) {
    return S3Store.create(S3Location.parse("s3://" + bucket + "/" + prefix + "?region=" + region + "&endpoint=" + server.endpoint()));
  }

  private BackupEngine engine(Path keyFile) {
    return BackupEngine.builder(LocalKeyWrapper.generate(keyFile)).clock(MutableClock.at(Instant.parse("2026-11-01T06:30:00Z"))).auditTrail(AuditTrail.inMemory()).build();
  }

  @Test
  void closingAStoreClosesOnlyAClientItCreated() throws IOException {
    client.createBucket(r -> r.bucket("closing"));
    S3Store borrowing = S3Store.create(S3Location.parse("s3://closing/p?region=eu-west-2&endpoint=" + server.endpoint()), client);
    borrowing.close();
    assertThat(client.listObjectsV2(r -> r.bucket("closing")).contents()).as("the caller's client still works").isEmpty();

    S3Store owning = store("closing", "p", "eu-west-2");
    owning.put("p/probe", new byte[] {1});
    owning.close();
    owning.close(); // idempotent
    assertThatThrownBy(() -> owning.put("p/again", new byte[] {2})).as("its own client is closed")
        .isInstanceOf(Exception.class);
  }

  @Test
  void aMultipartBackupGoesToTwoBucketsAndRestoresByteIdenticalFromEach() throws IOException {
    Path site = Files.createDirectories(tmp.resolve("site"));
    byte[] big = new byte[20 << 20]; // incompressible, so the stored object spans three 8 MiB parts
    new Random(42).nextBytes(big);
    Files.write(site.resolve("big.bin"), big);
    Files.writeString(site.resolve("small.txt"), "hello");
    S3Store london = store("london", "pledge", "eu-west-2");
    S3Store dublin = store("dublin", "pledge/backups", "eu-west-1");
    BackupEngine engine = engine(tmp.resolve("k"));

    BackupManifest m = engine.backup(DirectorySource.of(site), SCOPE, List.of(london, dublin));

    assertThat(m.locations()).containsExactly(london.location(), dublin.location());
    assertThat(m.storedBytes()).isGreaterThan(16L << 20);
    assertThat(client.headObject(b -> b.bucket("dublin").key("pledge/backups/" + m.dataObject())).contentLength())
        .isEqualTo(m.storedBytes());
    assertThat(engine.list(london, SCOPE)).containsExactly(m);
    assertThat(engine.verify(london, m.id()).ok()).isTrue();
    assertThat(engine.verify(dublin, m.id()).ok()).isTrue();
    engine.restore(dublin, m.id(), DirectoryTarget.of(tmp.resolve("out")));
    assertThat(Files.readAllBytes(tmp.resolve("out/big.bin"))).isEqualTo(big);
    assertThat(Files.readString(tmp.resolve("out/small.txt"))).isEqualTo("hello");
  }

  @Test
  void aFailedBackupLeavesNothingListedAndNoUnfinishedUpload() {
    S3Store london = store("london", "failing", "eu-west-2");
    BackupEngine engine = engine(tmp.resolve("k"));
    BackupSource failing = new BackupSource() {
      @Override public String kind() { return "custom"; }
      @Override public String description() { return "custom:dies-after-12MiB"; }
      @Override public void writeTo(OutputStream out) throws IOException {
        byte[] chunk = new byte[1 << 20];
        Random r = new Random(1);
        for (int i = 0; i < 12; i++) {
          r.nextBytes(chunk);
          out.write(chunk);
        }
        throw new IOException("source went away");
      }
    };

    assertThatThrownBy(() -> engine.backup(failing, SCOPE, List.of(london)))
        .isInstanceOf(BackupException.class).hasMessageContaining("source went away");
    assertThat(engine.list(london, null)).isEmpty();
    assertThat(client.listMultipartUploads(b -> b.bucket("london").prefix("failing/")).uploads()).isEmpty();
  }

  @Test
  void aCrashedUploadIsNeverListedAndTheNextRunCleansItUp() throws IOException {
    S3Store london = store("london", "crash", "eu-west-2");
    BackupStore.PendingObject p = london.create("shop/production/20261101T063000Z-0000aaaa.data");
    p.stream().write(new byte[9 << 20]); // one part uploaded, then the writer "dies"

    assertThat(london.list("")).isEmpty();
    var uploads = client.listMultipartUploads(b -> b.bucket("london").prefix("crash/")).uploads();
    assertThat(uploads).hasSize(1);
    // cleanup spares an upload younger than 24 h (it may be another node's live backup), then takes it
    MutableClock clock = MutableClock.at(uploads.get(0).initiated().plus(java.time.Duration.ofHours(23)));
    S3Store next = S3Store.builder(S3Location.parse(london.location())).clock(clock).build();
    assertThat(next.cleanUpIncomplete()).isZero();
    clock.advance(java.time.Duration.ofHours(2));
    assertThat(next.cleanUpIncomplete()).isEqualTo(1);
    assertThat(client.listMultipartUploads(b -> b.bucket("london").prefix("crash/")).uploads()).isEmpty();
  }

  @Test
  void aStoreOutsideTheAllowedRegionsIsRefusedBeforeAnyRequest() {
    S3Store virginia = store("london", "us", "us-east-1");
    BackupEngine engine = engine(tmp.resolve("k"));
    assertThatThrownBy(() -> engine.backup(DirectorySource.of(tmp), SCOPE, List.of(virginia)))
        .hasMessageContaining("us-east-1").hasMessageContaining("P1");
    assertThat(client.listObjectsV2(b -> b.bucket("london").prefix("us/")).contents()).isEmpty();
  }

  @Test
  void postureReportsVersioningAsTheServerHasIt() {
    S3Store posture = store("posture", "", "eu-west-2");
    StorePosture before = posture.posture();
    assertThat(before.versioning()).isFalse();
    assertThat(before.failures(true, true, true, true)).anyMatch(f -> f.contains("versioning is off"));

    client.putBucketVersioning(b -> b.bucket("posture").versioningConfiguration(v -> v.status(BucketVersioningStatus.ENABLED)));

    assertThat(posture.posture().versioning()).isTrue();
    assertThat(posture.posture().failures(false, false, true, false)).isEmpty();
  }
}
