package dev.pledge.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pledge.backup.crypto.LocalKeyWrapper;
import dev.pledge.backup.source.BackupSource;
import dev.pledge.backup.source.DirectorySource;
import dev.pledge.backup.source.DirectoryTarget;
import dev.pledge.backup.source.RestoreTarget;
import dev.pledge.backup.store.BackupStore;
import dev.pledge.backup.store.FileStore;
import dev.pledge.core.Environment;
import dev.pledge.core.Scope;
import dev.pledge.core.audit.AuditOutcome;
import dev.pledge.core.audit.AuditRecord;
import dev.pledge.core.audit.InMemoryAuditTrail;
import dev.pledge.core.audit.AuditTrail;
import dev.pledge.core.time.MutableClock;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BackupEngineTest {
  private static final Scope SHOP_PROD = Scope.of("shop", "production");
  private static final Instant T0 = Instant.parse("2026-11-01T06:30:00Z");

  @TempDir Path tmp;
  private MutableClock clock;
  private InMemoryAuditTrail audit;
  private LocalKeyWrapper key;
  private BackupEngine engine;
  private FileStore store;
  private Path source;

  @BeforeEach
  void setUp() throws IOException {
    clock = MutableClock.at(T0);
    audit = AuditTrail.inMemory();
    key = LocalKeyWrapper.generate(tmp.resolve("keys/master.key"));
    engine = BackupEngine.builder(key).clock(clock).auditTrail(audit).actor("tester").build();
    store = FileStore.builder(tmp.resolve("store")).clock(clock).build();
    source = tmp.resolve("site");
    Files.createDirectories(source.resolve("uploads/2026"));
    Files.writeString(source.resolve("index.html"), "<h1>shop</h1>");
    Files.write(source.resolve("uploads/2026/photo.bin"), randomBytes(300_000, 7));
    Files.createFile(source.resolve("empty.txt"));
    Files.setPosixFilePermissions(source.resolve("index.html"), PosixFilePermissions.fromString("rw-r-----"));
    Files.setPosixFilePermissions(source.resolve("uploads"), PosixFilePermissions.fromString("rwx------"));
    Files.createSymbolicLink(source.resolve("latest"), Path.of("uploads/2026"));
    Files.setLastModifiedTime(source.resolve("index.html"), FileTime.from(Instant.parse("2020-01-02T03:04:05Z")));
    Files.setLastModifiedTime(source.resolve("uploads"), FileTime.from(Instant.parse("2021-05-06T07:08:09Z")));
  }

  private BackupManifest backupSite() {
    return engine.backup(DirectorySource.of(source), SHOP_PROD, List.of(store));
  }

  @Test
  void aDirectoryRoundTripsWithPathsPermissionsAndTimes() throws IOException {
    BackupManifest m = backupSite();
    Path restored = tmp.resolve("restored");

    engine.restore(store, m.id(), DirectoryTarget.of(restored));

    assertThat(Files.readString(restored.resolve("index.html"))).isEqualTo("<h1>shop</h1>");
    assertThat(Files.readAllBytes(restored.resolve("uploads/2026/photo.bin"))).isEqualTo(randomBytes(300_000, 7));
    assertThat(restored.resolve("empty.txt")).isEmptyFile();
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(restored.resolve("index.html")))).isEqualTo("rw-r-----");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(restored.resolve("uploads")))).isEqualTo("rwx------");
    assertThat(Files.getLastModifiedTime(restored.resolve("index.html")).toInstant()).isEqualTo(Instant.parse("2020-01-02T03:04:05Z"));
    assertThat(Files.getLastModifiedTime(restored.resolve("uploads")).toInstant()).isEqualTo(Instant.parse("2021-05-06T07:08:09Z"));
    assertThat(Files.readSymbolicLink(restored.resolve("latest"))).isEqualTo(Path.of("uploads/2026"));
    assertThat(audit.records()).extracting(AuditRecord::action, AuditRecord::outcome)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("backup.run", AuditOutcome.SUCCESS),
            org.assertj.core.groups.Tuple.tuple("backup.restore", AuditOutcome.SUCCESS));
  }

  @Test
  void theManifestRecordsWhatWhenAndTheChecksums() throws IOException {
    clock.advance(Duration.ZERO);
    BackupManifest m = backupSite();

    assertThat(m.id()).startsWith("20261101T063000Z-");
    assertThat(m.scope()).isEqualTo(SHOP_PROD);
    assertThat(m.sourceKind()).isEqualTo("dir");
    assertThat(m.sourceDescription()).isEqualTo("dir:" + source.toAbsolutePath());
    assertThat(m.startedAt()).isEqualTo(T0);
    assertThat(m.keyId()).isEqualTo(key.keyId()).startsWith("local:");
    assertThat(m.compression()).isEqualTo("zstd-3");
    assertThat(m.encryption()).isEqualTo("AES256_GCM_HKDF_1MB");
    assertThat(m.locations()).containsExactly(store.location());
    assertThat(m.plaintextBytes()).isGreaterThan(300_000);
    Path data = store.root().resolve(m.dataObject());
    assertThat(Files.size(data)).isEqualTo(m.storedBytes());
    assertThat(sha256(Files.readAllBytes(data))).isEqualTo(m.storedSha256());
    ByteArrayOutputStream plain = new ByteArrayOutputStream();
    DirectorySource.of(source).writeTo(plain);
    assertThat(sha256(plain.toByteArray())).isEqualTo(m.plaintextSha256());
    // the stored bytes are not the plaintext, not even compressed plaintext
    assertThat(new String(Files.readAllBytes(data), StandardCharsets.ISO_8859_1)).doesNotContain("<h1>shop</h1>");
    assertThat(store.list("")).containsExactly(m.dataObject(), "shop/production/" + m.id() + ".manifest.json");
    assertThat(engine.list(store, SHOP_PROD)).containsExactly(m);
    assertThat(engine.list(store, Scope.of("shop", "staging"))).isEmpty();
  }

  @Test
  void aWrongKeyFailsNamingTheBackupAndWritesNothing() {
    BackupManifest m = backupSite();
    LocalKeyWrapper other = LocalKeyWrapper.generate(tmp.resolve("keys/other.key"));
    BackupEngine wrong = BackupEngine.builder(other).clock(clock).auditTrail(audit).build();
    Path restored = tmp.resolve("restored");

    assertThatThrownBy(() -> wrong.restore(store, m.id(), DirectoryTarget.of(restored)))
        .isInstanceOf(BackupIntegrityException.class)
        .hasMessageContaining("backup " + m.id())
        .hasMessageContaining(other.keyId());
    assertThat(restored).doesNotExist();
    assertThat(wrong.verify(store, m.id()).ok()).isFalse();
  }

  @Test
  void anAlteredByteInTheLastSegmentIsCaughtBeforeAnythingIsWritten() throws IOException {
    BackupManifest m = backupSite();
    Path data = store.root().resolve(m.dataObject());
    byte[] bytes = Files.readAllBytes(data);
    bytes[bytes.length - 20] ^= 1;
    Files.write(data, bytes);
    Path restored = tmp.resolve("restored");

    assertThatThrownBy(() -> engine.restore(store, m.id(), DirectoryTarget.of(restored)))
        .isInstanceOf(BackupIntegrityException.class).hasMessageContaining(m.id()).hasMessageContaining("authentication");
    assertThat(restored).doesNotExist();
    assertThat(siblingsOf(restored)).noneMatch(p -> p.getFileName().toString().contains("restoring"));
    assertThat(audit.records()).last().satisfies(r -> {
      assertThat(r.action()).isEqualTo("backup.restore");
      assertThat(r.outcome()).isEqualTo(AuditOutcome.FAILURE);
    });
  }

  @Test
  void aRestoreThatFailsAfterEarlierSegmentsWereStagedLeavesNothingBehind() throws IOException {
    // three segments of incompressible files: the first two are staged before the altered third is met
    for (int i = 0; i < 3; i++) {
      Files.write(source.resolve("blob-" + i + ".bin"), randomBytes(1 << 20, 11 + i));
    }
    BackupManifest m = backupSite();
    Path data = store.root().resolve(m.dataObject());
    byte[] bytes = Files.readAllBytes(data);
    assertThat(bytes.length).isGreaterThan(3 << 20);
    for (byte[] bad : List.of(alter(bytes, bytes.length - 100), java.util.Arrays.copyOf(bytes, 2 << 20))) {
      Files.write(data, bad);
      Path restored = tmp.resolve("restored");

      assertThatThrownBy(() -> engine.restore(store, m.id(), DirectoryTarget.of(restored)))
          .isInstanceOf(BackupIntegrityException.class).hasMessageContaining(m.id());
      assertThat(restored).doesNotExist();
      assertThat(siblingsOf(restored)).noneMatch(p -> p.getFileName().toString().contains("restoring"));
    }
    Files.write(data, bytes);
    engine.restore(store, m.id(), DirectoryTarget.of(tmp.resolve("restored")));
    assertThat(tmp.resolve("restored/blob-2.bin")).hasBinaryContent(randomBytes(1 << 20, 13));
  }

  private static byte[] alter(byte[] bytes, int at) {
    byte[] copy = bytes.clone();
    copy[at] ^= 1;
    return copy;
  }

  @Test
  void aTruncatedObjectFailsVerification() throws IOException {
    BackupManifest m = backupSite();
    Path data = store.root().resolve(m.dataObject());
    byte[] bytes = Files.readAllBytes(data);
    Files.write(data, java.util.Arrays.copyOf(bytes, bytes.length / 2));

    VerificationResult r = engine.verify(store, m.id());

    assertThat(r.ok()).isFalse();
    assertThat(r.problem()).contains(m.id());
    assertThat(engine.verify(store, backupSite().id()).ok()).isTrue();
  }

  @Test
  void aByteAppendedAfterTheLastSegmentFailsVerifyAndRestore() throws IOException {
    // under an authenticated manifest the stored object's SHA-256 is no longer recomputed: the
    // segments' tags and the authenticated stored size must catch what it caught
    BackupManifest m = backupSite();
    Path data = store.root().resolve(m.dataObject());
    Files.write(data, new byte[] {0}, java.nio.file.StandardOpenOption.APPEND);

    VerificationResult r = engine.verify(store, m.id());
    assertThat(r.ok()).isFalse();
    assertThat(r.problem()).contains(m.id());
    Path into = tmp.resolve("restored-appended");
    assertThatThrownBy(() -> engine.restore(store, m.id(), DirectoryTarget.of(into)))
        .isInstanceOf(BackupIntegrityException.class).hasMessageContaining(m.id());
    assertThat(into).doesNotExist();
  }

  @Test
  void aFailingSourceLeavesNothingListedAndNoPartialFiles() throws IOException {
    BackupSource failing = new BackupSource() {
      @Override
      public String kind() {
        return "custom";
      }

      @Override
      public String description() {
        return "custom:fails-halfway";
      }

      @Override
      public void writeTo(OutputStream out) throws IOException {
        out.write(randomBytes(3_000_000, 1));
        throw new IOException("disk vanished");
      }
    };

    assertThatThrownBy(() -> engine.backup(failing, SHOP_PROD, List.of(store)))
        .isInstanceOf(BackupException.class).hasMessageContaining("disk vanished").hasMessageContaining("custom:fails-halfway");
    assertThat(engine.list(store, null)).isEmpty();
    try (Stream<Path> s = Files.walk(store.root())) {
      assertThat(s.filter(Files::isRegularFile)).isEmpty();
    }
    assertThat(audit.records()).singleElement().satisfies(r -> assertThat(r.outcome()).isEqualTo(AuditOutcome.FAILURE));
  }

  @Test
  void severalLocationsEachHoldTheBackupAndVerifyOnTheirOwn() throws IOException {
    FileStore second = FileStore.at(tmp.resolve("second"));
    BackupManifest m = engine.backup(DirectorySource.of(source), SHOP_PROD, List.of(store, second));

    assertThat(m.locations()).containsExactly(store.location(), second.location());
    assertThat(engine.verify(store, m.id()).ok()).isTrue();
    assertThat(engine.verify(second, m.id()).ok()).isTrue();
    Files.write(second.root().resolve(m.dataObject()), new byte[] {1, 2, 3});
    assertThat(engine.verify(second, m.id()).ok()).isFalse();
    assertThat(engine.verify(store, m.id()).ok()).isTrue();
  }

  @Test
  void aStoreOutsideTheAllowedRegionsIsRefusedBeforeAnyByte() {
    FileStore inner = FileStore.at(tmp.resolve("virginia"));
    BackupStore virginia = new RegionStore(inner, "us-east-1");

    assertThatThrownBy(() -> engine.backup(DirectorySource.of(source), SHOP_PROD, List.of(store, virginia)))
        .isInstanceOf(BackupRefusedException.class).hasMessageContaining("us-east-1").hasMessageContaining("P1");
    assertThat(tmp.resolve("virginia")).doesNotExist();
    assertThat(store.root()).doesNotExist();
    assertThat(audit.records()).singleElement().satisfies(r -> assertThat(r.outcome()).isEqualTo(AuditOutcome.DENIED));
  }

  @Test
  void aProductionBackupIsRefusedForStagingWithoutMaskingAndTheRefusalIsAudited() throws IOException {
    BackupManifest m = backupSite();
    Path restored = tmp.resolve("staging-copy");

    assertThatThrownBy(() -> engine.restore(store, m.id(), DirectoryTarget.of(restored), Environment.STAGING, null))
        .isInstanceOf(BackupRefusedException.class).hasMessageContaining("P27");
    assertThat(restored).doesNotExist();
    assertThat(audit.records()).last().satisfies(r -> {
      assertThat(r.action()).isEqualTo("restore.refused");
      assertThat(r.outcome()).isEqualTo(AuditOutcome.DENIED);
    });

    MaskingTransform passThrough = new MaskingTransform() {
      @Override
      public String name() {
        return "identity-for-test";
      }

      @Override
      public InputStream mask(InputStream plaintext) {
        return plaintext;
      }
    };
    engine.restore(store, m.id(), DirectoryTarget.of(restored), Environment.STAGING, passThrough);
    assertThat(restored.resolve("index.html")).exists();
    assertThat(audit.records()).last().satisfies(r -> assertThat(r.details()).containsEntry("masking", "identity-for-test"));
  }

  @Test
  void aStagingBackupRestoresIntoDevelopment() {
    BackupManifest m = engine.backup(DirectorySource.of(source), Scope.of("shop", "staging"), List.of(store));
    engine.restore(store, m.id(), DirectoryTarget.of(tmp.resolve("dev")), Environment.DEVELOPMENT, null);
    assertThat(tmp.resolve("dev/index.html")).exists();
  }

  @Test
  void aRestoreIntoANonEmptyDirectoryIsRefusedAndLeavesItAlone() throws IOException {
    BackupManifest m = backupSite();
    Path restored = Files.createDirectories(tmp.resolve("busy"));
    Files.writeString(restored.resolve("keep.txt"), "mine");

    assertThatThrownBy(() -> engine.restore(store, m.id(), DirectoryTarget.of(restored)))
        .isInstanceOf(BackupException.class).hasMessageContaining("not empty");
    assertThat(Files.list(restored)).containsExactly(restored.resolve("keep.txt"));
  }

  @Test
  void anUnknownIdIsNamed() {
    assertThatThrownBy(() -> engine.verify(store, "20261101T063000Z-deadbeef"))
        .isInstanceOf(BackupNotFoundException.class).hasMessageContaining("20261101T063000Z-deadbeef")
        .hasMessageContaining(store.location());
    assertThatThrownBy(() -> engine.restore(store, "20261101T063000Z-deadbeef", DirectoryTarget.of(tmp.resolve("x"))))
        .isInstanceOf(BackupNotFoundException.class);
    assertThat(tmp.resolve("x")).doesNotExist();
    assertThatThrownBy(() -> engine.verify(store, "../etc"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'../etc'");
  }

  @Test
  void dataWithoutAManifestIsCleanedUpOnlyOnceItsBackupIsADayOld() throws IOException {
    BackupManifest complete = backupSite();
    store.put("shop/production/20261031T063000Z-0000aaaa.data", new byte[] {1, 2, 3}); // killed before its manifest, 24 h ago
    store.put("shop/production/20261101T060000Z-0000bbbb.data", new byte[] {4, 5, 6}); // maybe still running elsewhere
    store.put("shop/production/notes.data", new byte[] {7}); // not a backup's: never touched

    assertThat(engine.cleanUp(store)).isEqualTo(0);
    clock.advance(Duration.ofMinutes(1));
    assertThat(engine.cleanUp(store)).isEqualTo(1);

    assertThat(store.list("")).containsExactly("shop/production/20261101T060000Z-0000bbbb.data", complete.dataObject(),
        "shop/production/" + complete.id() + ".manifest.json", "shop/production/notes.data");
    assertThat(engine.list(store, null)).containsExactly(complete);
  }

  @Test
  void leftoversOfACrashedWriteAreNotListedAndAreCleanedUpOnceADayOld() throws IOException {
    BackupStore.PendingObject crashed = store.create("shop/production/20261101T063000Z-00000000.data");
    crashed.stream().write(new byte[1000]);
    crashed.stream().flush(); // the process "dies" here: neither commit nor abort
    Path partial;
    try (Stream<Path> s = Files.walk(store.root())) {
      partial = s.filter(Files::isRegularFile).findFirst().orElseThrow();
    }
    Files.setLastModifiedTime(partial, FileTime.from(clock.instant())); // its last write: now

    assertThat(engine.list(store, null)).isEmpty();
    assertThat(store.list("")).isEmpty();
    assertThat(engine.cleanUp(store)).as("a partial file written to now may be a live write").isZero();
    assertThat(partial).exists();
    clock.advance(Duration.ofHours(24));
    assertThat(engine.cleanUp(store)).isEqualTo(1);
    try (Stream<Path> s = Files.walk(store.root())) {
      assertThat(s.filter(Files::isRegularFile)).isEmpty();
    }
  }

  /** The SPI example: a custom source in a few lines (here, an in-memory document). */
  @Test
  void anIntegratorsOwnSourceAndTargetPlugIn() {
    byte[] doc = "{\"orders\": 42}".getBytes(StandardCharsets.UTF_8);
    BackupSource mongoLike = new BackupSource() {
      @Override public String kind() { return "memory"; }
      @Override public String description() { return "memory:orders"; }
      @Override public void writeTo(OutputStream out) throws IOException { out.write(doc); }
    };
    ByteArrayOutputStream into = new ByteArrayOutputStream();
    RestoreTarget target = new RestoreTarget() {
      @Override public String kind() { return "memory"; }
      @Override public String description() { return "memory:restored"; }
      @Override public void restoreFrom(InputStream in) throws IOException { in.transferTo(into); }
    };

    BackupManifest m = engine.backup(mongoLike, SHOP_PROD, List.of(store));
    engine.restore(store, m.id(), target);

    assertThat(into.toByteArray()).isEqualTo(doc);
    assertThatThrownBy(() -> engine.restore(store, m.id(), DirectoryTarget.of(tmp.resolve("x"))))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'memory'");
  }

  private List<Path> siblingsOf(Path p) throws IOException {
    try (Stream<Path> s = Files.list(p.getParent())) {
      return s.toList();
    }
  }

  static byte[] randomBytes(int n, long seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  static String sha256(byte[] b) {
    try {
      return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(b));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }

  /** A store that reports a region, to drive the residency check. */
  record RegionStore(BackupStore inner, String regionName) implements BackupStore {
    @Override public String location() { return "test://" + regionName; }
    @Override public Optional<String> region() { return Optional.of(regionName); }
    @Override public PendingObject create(String k) throws IOException { return inner.create(k); }
    @Override public void put(String k, byte[] b) throws IOException { inner.put(k, b); }
    @Override public InputStream open(String k) throws IOException { return inner.open(k); }
    @Override public List<String> list(String p) throws IOException { return inner.list(p); }
    @Override public void delete(String k) throws IOException { inner.delete(k); }
    @Override public int cleanUpIncomplete() throws IOException { return inner.cleanUpIncomplete(); }
  }
}
