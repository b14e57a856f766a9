package dev.pledge.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pledge.backup.crypto.LocalKeyWrapper;
import dev.pledge.backup.source.DirectorySource;
import dev.pledge.backup.source.DirectoryTarget;
import dev.pledge.backup.source.Sources;
import dev.pledge.backup.store.BackupStore;
import dev.pledge.backup.store.FileStore;
import dev.pledge.backup.store.StorePosture;
import dev.pledge.core.Environment;
import dev.pledge.core.Scope;
import dev.pledge.core.SiteId;
import dev.pledge.core.audit.AuditOutcome;
import dev.pledge.core.audit.AuditTrail;
import dev.pledge.core.audit.InMemoryAuditTrail;
import dev.pledge.core.policy.PolicyLoader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link BackupEngine#from(BackupPolicy)} runs the {@code backups} section as written, on real files. */
class BackupEngineFromPolicyTest {
  private static final Scope SHOP = Scope.of("shop", "production");
  private final Clock clock = Clock.fixed(Instant.parse("2026-11-01T06:30:00Z"), ZoneOffset.UTC);
  private final InMemoryAuditTrail audit = AuditTrail.inMemory();
  @TempDir Path dir;
  private Path data;

  @BeforeEach
  void sample() throws IOException {
    data = Files.createDirectories(dir.resolve("data"));
    Files.writeString(data.resolve("orders.csv"), "id,total\n1,9.99\n");
    LocalKeyWrapper.generate(dir.resolve("backup.key"));
  }

  /** The section as a host writes it, loaded through the policy loader. */
  private BackupPolicy section(String extra) {
    String yaml = "backups:\n"
        + "  locations: [\"file:london\", \"file:dublin\"]\n"
        + "  key: {kind: LOCAL, file: backup.key}\n"
        + "  sources:\n"
        + "    - {site: shop, environment: production, source: \"dir:" + data + "\"}\n"
        + extra;
    return PolicyLoader.create().load("policy.yaml", yaml).require(BackupPolicy.class);
  }

  @Test
  void fromPolicyBacksUpEachScopesSourceIntoEveryLocationWithThePolicysKey() throws IOException {
    BackupEngine engine = BackupEngine.builder(section("  compressionLevel: 5\n"))
        .baseDirectory(dir).clock(clock).auditTrail(audit).build();

    BackupManifest m = engine.backup(SHOP);

    assertThat(engine.locations()).extracting(BackupStore::location)
        .containsExactly("file:" + dir.resolve("london"), "file:" + dir.resolve("dublin"));
    assertThat(engine.sources()).containsOnlyKeys(SHOP);
    assertThat(m.locations()).hasSize(2);
    assertThat(m.compression()).isEqualTo("zstd-5");
    assertThat(m.keyId()).isEqualTo(LocalKeyWrapper.load(dir.resolve("backup.key")).keyId());
    for (String where : List.of("london", "dublin")) {
      assertThat(engine.verify(FileStore.at(dir.resolve(where)), m.id()).ok()).isTrue();
    }
    engine.restore(FileStore.at(dir.resolve("dublin")), m.id(), DirectoryTarget.of(dir.resolve("restored")));
    assertThat(Files.readString(dir.resolve("restored/orders.csv"))).isEqualTo("id,total\n1,9.99\n");
  }

  @Test
  void anEngineIsNotBuiltWithoutAnAuditTrailAndFromTakesThePolicysTrail() throws IOException {
    // no component audits into the void, or into the log, unless asked to by name (issue 13)
    assertThatThrownBy(() -> BackupEngine.builder(section("")).baseDirectory(dir).clock(clock).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("no audit trail")
        .hasMessageContaining("AuditTrail.from(policy's audit section)")
        .hasMessageContaining("AuditTrail.toLog()")
        .hasMessageContaining("AuditTrail.discarding()");
    assertThatThrownBy(() -> BackupEngine.builder(LocalKeyWrapper.load(dir.resolve("backup.key"))).build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("no audit trail");

    String yaml = "backups:\n"
        + "  locations: [\"file:" + dir.resolve("london") + "\", \"file:" + dir.resolve("dublin") + "\"]\n"
        + "  key: {kind: LOCAL, file: \"" + dir.resolve("backup.key") + "\"}\n"
        + "  sources:\n"
        + "    - {site: shop, environment: production, source: \"dir:" + data + "\"}\n";
    BackupEngine bound = BackupEngine.from(PolicyLoader.create().load("policy.yaml", yaml).require(BackupPolicy.class), audit);
    bound.backup(SHOP);
    assertThat(audit.records()).extracting(r -> r.action()).contains("backup.run");
  }

  @Test
  void anEngineIsNotBuiltWithFewerLocationsThanMinimumLocations() {
    BackupPolicy policy = section("  minimumLocations: 3\n");

    assertThatThrownBy(() -> BackupEngine.builder(policy).baseDirectory(dir).auditTrail(AuditTrail.inMemory()).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("minimumLocations is 3")
        .hasMessageContaining("2 distinct location(s)")
        .hasMessageContaining("file:london");
    // the same store twice is one location
    FileStore one = FileStore.at(dir.resolve("london"));
    assertThatThrownBy(() -> BackupEngine.builder(section("")).baseDirectory(dir).locations(List.of(one, one)).auditTrail(AuditTrail.inMemory()).build())
        .hasMessageContaining("minimumLocations is 2 but 1 distinct location(s)");
    assertThat(dir.resolve("london")).doesNotExist();
  }

  @Test
  void aBackupIntoFewerStoresThanTheMinimumIsRefusedBeforeAnyByteIsWritten() throws IOException {
    BackupEngine engine = BackupEngine.builder(section("")).baseDirectory(dir).clock(clock).auditTrail(audit).build();
    FileStore only = FileStore.at(dir.resolve("elsewhere"));

    assertThatThrownBy(() -> engine.backup(DirectorySource.of(data), SHOP, List.of(only)))
        .isInstanceOfSatisfying(BackupRefusedException.class, e -> assertThat(e.getMessage())
            .contains("1 distinct location(s)", "minimumLocations is 2"));
    assertThat(only.list("")).isEmpty();
    assertThat(audit.records()).singleElement().satisfies(r -> {
      assertThat(r.action()).isEqualTo("backup.refused");
      assertThat(r.outcome()).isEqualTo(AuditOutcome.DENIED);
    });
  }

  @Test
  void aStoreWhosePostureFallsShortOfThePolicyIsRefused() throws IOException {
    BackupStore london = new Reporting(FileStore.at(dir.resolve("london")), new StorePosture("file:london", true, true, false, true));
    BackupStore dublin = new Reporting(FileStore.at(dir.resolve("dublin")), new StorePosture("file:dublin", true, true, true, true));
    BackupEngine engine = BackupEngine.builder(section("")).baseDirectory(dir).clock(clock).auditTrail(audit)
        .locations(List.of(london, dublin)).build();

    assertThatThrownBy(() -> engine.backup(SHOP))
        .isInstanceOf(BackupRefusedException.class)
        .hasMessageContaining("file:london: versioning is off");
    assertThat(london.list("")).isEmpty();
    assertThat(dublin.list("")).isEmpty();

    // a policy that does not ask for versioning accepts the same stores
    BackupEngine lenient = BackupEngine.builder(section("  posture: {versioning: false}\n")).baseDirectory(dir)
        .clock(clock).auditTrail(audit).locations(List.of(london, dublin)).build();
    assertThat(lenient.backup(SHOP).locations()).hasSize(2);
  }

  @Test
  void maskProductionRestoresIsWhatTheEngineEnforces() {
    BackupEngine strict = BackupEngine.builder(section("")).baseDirectory(dir).clock(clock).auditTrail(audit).build();
    BackupManifest m = strict.backup(SHOP);
    FileStore london = FileStore.at(dir.resolve("london"));

    assertThatThrownBy(() -> strict.restore(london, m.id(), DirectoryTarget.of(dir.resolve("staging")), Environment.STAGING, null))
        .isInstanceOfSatisfying(BackupRefusedException.class, e -> assertThat(e.getMessage()).contains("masking"));
    assertThat(dir.resolve("staging")).doesNotExist();

    BackupEngine unmasked = BackupEngine.builder(section("  maskProductionRestores: false\n")).baseDirectory(dir)
        .clock(clock).auditTrail(audit).build();
    unmasked.restore(london, m.id(), DirectoryTarget.of(dir.resolve("staging")), Environment.STAGING, null);
    assertThat(dir.resolve("staging/orders.csv")).hasContent("id,total\n1,9.99\n");
  }

  @Test
  void theBuilderChangesOneThingAndKeepsTheRest() {
    LocalKeyWrapper other = LocalKeyWrapper.generate(dir.resolve("other.key"));
    BackupEngine engine = BackupEngine.builder(section("  minimumLocations: 1\n")).baseDirectory(dir).clock(clock)
        .auditTrail(audit).keyWrapper(other).locations(List.of(FileStore.at(dir.resolve("solo"))))
        .source(Scope.of("shop", "staging"), DirectorySource.of(data)).build();

    BackupManifest m = engine.backup(Scope.of("shop", "staging"));

    assertThat(m.keyId()).isEqualTo(other.keyId());
    assertThat(m.locations()).containsExactly("file:" + dir.resolve("solo"));
    assertThat(engine.sources()).containsOnlyKeys(SHOP, Scope.of("shop", "staging"));
    assertThatThrownBy(() -> engine.backup(Scope.of("portal", "production")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("backups.sources has no source for portal/production");
  }

  @Test
  void aSourceOrKeyThatCannotBeOpenedFailsTheBuildNamingTheField() {
    BackupPolicy missingDir = new BackupPolicy(List.of("file:a", "file:b"), null, null, null, null, null,
        List.of(new BackupPolicy.SourceEntry(SiteId.of("shop"), Environment.PRODUCTION, "dir:" + dir.resolve("absent"))), null);
    assertThatThrownBy(() -> BackupEngine.builder(missingDir).baseDirectory(dir).auditTrail(AuditTrail.inMemory()).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("backups.sources[0].source: " + dir.resolve("absent") + " is not a directory");

    BackupPolicy twice = new BackupPolicy(List.of("file:a", "file:b"), null, null, null, null, null, List.of(
        new BackupPolicy.SourceEntry(SiteId.of("shop"), Environment.PRODUCTION, "dir:" + data),
        new BackupPolicy.SourceEntry(SiteId.of("shop"), Environment.PRODUCTION, "dir:" + data)), null);
    assertThatThrownBy(() -> BackupEngine.builder(twice).baseDirectory(dir).auditTrail(AuditTrail.inMemory()).build())
        .hasMessage("backups.sources[1]: shop/production already has a source at backups.sources[0]");

    BackupPolicy noKey = new BackupPolicy(List.of("file:a", "file:b"), null,
        new BackupPolicy.KeySettings(BackupPolicy.KeyKind.LOCAL, "missing.key", null, null), null, null, null, null, null);
    assertThatThrownBy(() -> BackupEngine.from(noKey, AuditTrail.inMemory()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("backups.key.file: ")
        .hasMessageContaining("missing.key");
  }

  @Test
  void sourcesParseTheTextFormOfThePolicyAndTheCommandLine() {
    assertThat(Sources.parse("dir:" + data)).isInstanceOf(DirectorySource.class);
    assertThat(Sources.parse("postgres:postgresql://backup@db.internal:5432/shop").kind()).isEqualTo("postgres");
    assertThat(Sources.parse("mysql:mysql://backup@db.internal:3306/shop").kind()).isEqualTo("mysql");
    assertThatThrownBy(() -> Sources.parse("ftp://user:Sup3rSecret@host/x"))
        .hasMessageContaining("must be dir:/path, postgres:postgresql://... or mysql:mysql://...")
        .hasMessageNotContaining("Sup3rSecret");
    assertThatThrownBy(() -> Sources.parse("dir:" + dir.resolve("nothing-here")))
        .hasMessage(dir.resolve("nothing-here") + " is not a directory");
  }

  @Test
  void toBuilderKeepsEverySettingAndChangesOnlyWhatIsSet() {
    BackupEngine bound = BackupEngine.builder(section("  compressionLevel: 7\n")).baseDirectory(dir).clock(clock)
        .auditTrail(audit).build();
    Clock later = Clock.fixed(Instant.parse("2027-01-01T00:00:00Z"), ZoneOffset.UTC);

    BackupManifest m = bound.toBuilder().clock(later).build().backup(SHOP);

    assertThat(m.startedAt()).isEqualTo(later.instant());
    assertThat(m.compression()).isEqualTo("zstd-7");
    assertThat(m.locations()).hasSize(2);
    assertThat(bound.toBuilder().build().sources()).isEqualTo(bound.sources());
    // an engine built without locations keeps none, and still takes stores per call
    BackupEngine plain = BackupEngine.builder(LocalKeyWrapper.load(dir.resolve("backup.key"))).clock(clock).auditTrail(audit).build();
    assertThat(plain.toBuilder().build().locations()).isEmpty();
    assertThat(plain.toBuilder().build().minimumLocations()).isEqualTo(1);
  }

  /** A real file store that also reports a posture, as an S3 bucket does. */
  private static final class Reporting implements BackupStore {
    private final FileStore files;
    private final StorePosture posture;

    Reporting(FileStore files, StorePosture posture) {
      this.files = files;
      this.posture = posture;
    }

    @Override
    public Optional<StorePosture> reportedPosture() {
      return Optional.of(posture);
    }

    @Override
    public String location() {
      return files.location();
    }

    @Override
    public PendingObject create(String key) throws IOException {
      return files.create(key);
    }

    @Override
    public void put(String key, byte[] bytes) throws IOException {
      files.put(key, bytes);
    }

    @Override
    public InputStream open(String key) throws IOException {
      return files.open(key);
    }

    @Override
    public List<String> list(String prefix) throws IOException {
      return Files.exists(files.root()) ? files.list(prefix) : List.of();
    }

    @Override
    public void delete(String key) throws IOException {
      files.delete(key);
    }

    @Override
    public int cleanUpIncomplete() throws IOException {
      return files.cleanUpIncomplete();
    }
  }

}
