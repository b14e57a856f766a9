package dev.pledge.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pledge.backup.crypto.LocalKeyWrapper;
import dev.pledge.backup.internal.ManifestMac;
import dev.pledge.backup.source.DirectorySource;
import dev.pledge.backup.source.DirectoryTarget;
import dev.pledge.backup.store.FileStore;
import dev.pledge.core.Environment;
import dev.pledge.core.Scope;
import dev.pledge.core.audit.AuditOutcome;
import dev.pledge.core.audit.AuditRecord;
import dev.pledge.core.audit.AuditTrail;
import dev.pledge.core.audit.InMemoryAuditTrail;
import dev.pledge.core.internal.Json;
import dev.pledge.core.time.MutableClock;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every member of a stored manifest is authenticated by a MAC under a key only the master key can
 * recover: altering any of them makes verify and restore fail naming the backup, with nothing
 * written, before the engine acts on the altered value (the P27 guard's environment included).
 * Manifests written before the MAC existed still verify and restore, reported and audited as
 * unauthenticated, unless the engine requires authenticated manifests.
 */
class ManifestAuthenticationTest {
  private static final Scope SHOP_PROD = Scope.of("shop", "production");
  private static final Instant T0 = Instant.parse("2026-11-01T06:30:00Z");

  @TempDir Path tmp;
  private MutableClock clock;
  private InMemoryAuditTrail audit;
  private LocalKeyWrapper key;
  private BackupEngine engine;
  private FileStore store;
  private Path source;
  private BackupManifest full;
  private BackupManifest log;

  @BeforeEach
  void setUp() throws IOException {
    clock = MutableClock.at(T0);
    audit = AuditTrail.inMemory();
    key = LocalKeyWrapper.generate(tmp.resolve("master.key"));
    engine = BackupEngine.builder(key).clock(clock).auditTrail(audit).build();
    store = FileStore.builder(tmp.resolve("store")).clock(clock).build();
    source = Files.createDirectories(tmp.resolve("site"));
    Files.writeString(source.resolve("index.html"), "<h1>shop</h1>");
    full = engine.backup(DirectorySource.of(source), SHOP_PROD, List.of(store));
    clock.advance(Duration.ofMinutes(5));
    // a backup with every optional member: a parent, a log segment and the schedule it ran for
    log = engine.backup(DirectorySource.of(source), SHOP_PROD, List.of(store), full.id(),
        new LogSegment("000000010000000000000001", 1, T0, T0.plusSeconds(300)), "shop/production/every-PT5M");
  }

  private String manifestKey(BackupManifest m) {
    return m.site() + "/" + m.environment() + "/" + m.id() + ".manifest.json";
  }

  private ObjectNode stored(BackupManifest m) throws IOException {
    return (ObjectNode) Json.mapper().readTree(store.open(manifestKey(m)));
  }

  private void rewrite(BackupManifest m, Consumer<ObjectNode> edit) throws IOException {
    ObjectNode json = stored(m);
    edit.accept(json);
    store.put(manifestKey(m), Json.mapper().writeValueAsBytes(json));
  }

  private Path restoreDir() {
    return tmp.resolve("restored");
  }

  @Test
  void anUntouchedManifestCarriesAMacAndPassesVerifyAndRestore() throws IOException {
    assertThat(stored(log).get("mac").asText()).matches("hmac-sha256:[0-9a-f]{64}");
    assertThat(stored(log).get("format").asInt()).as("additive: same format").isEqualTo(1);
    assertThat(stored(log).get("schedule").asText()).isEqualTo("shop/production/every-PT5M");
    assertThat(stored(full).has("schedule")).as("a backup run for no schedule stores no member").isFalse();

    VerificationResult r = engine.verify(store, log.id());
    assertThat(r.ok()).as(r.problem()).isTrue();
    assertThat(r.manifestAuthenticated()).isTrue();
    assertThat(r.note()).isEmpty();

    assertThat(engine.restore(store, log.id(), DirectoryTarget.of(restoreDir()))).isEqualTo(log);
    assertThat(restoreDir().resolve("index.html")).hasContent("<h1>shop</h1>");
    assertThat(audit.records()).last().satisfies(rec -> {
      assertThat(rec.action()).isEqualTo("backup.restore");
      assertThat(rec.outcome()).isEqualTo(AuditOutcome.SUCCESS);
      assertThat(rec.details()).doesNotContainKey("manifest");
    });
    assertThat(engine.listAuthenticated(store, SHOP_PROD)).containsExactly(full, log);
    assertThat(engine.find(store, log.id())).as("a manifest read back equals the one written").isEqualTo(log);
  }

  static Stream<Arguments> alterations() {
    return Stream.of(
        Arguments.of("sourceKind", (Consumer<ObjectNode>) j -> j.put("sourceKind", "postgres")),
        Arguments.of("sourceDescription", (Consumer<ObjectNode>) j -> j.put("sourceDescription", "dir:/elsewhere")),
        Arguments.of("parent", (Consumer<ObjectNode>) j -> j.put("parent", "20261101T062000Z-00000000")),
        Arguments.of("parent removed", (Consumer<ObjectNode>) j -> j.remove("parent")),
        Arguments.of("segment.start", (Consumer<ObjectNode>) j -> ((ObjectNode) j.get("segment")).put("start", "2026-11-01T06:00:00Z")),
        Arguments.of("segment.end", (Consumer<ObjectNode>) j -> ((ObjectNode) j.get("segment")).put("end", "2026-11-01T08:00:00Z")),
        Arguments.of("segment.file", (Consumer<ObjectNode>) j -> ((ObjectNode) j.get("segment")).put("file", "000000010000000000000009")),
        Arguments.of("segment removed", (Consumer<ObjectNode>) j -> j.remove("segment")),
        Arguments.of("schedule", (Consumer<ObjectNode>) j -> j.put("schedule", "shop/production/daily-02:00-UTC")),
        Arguments.of("schedule removed", (Consumer<ObjectNode>) j -> j.remove("schedule")),
        Arguments.of("startedAt", (Consumer<ObjectNode>) j -> j.put("startedAt", "2026-11-01T06:00:00Z")),
        Arguments.of("finishedAt", (Consumer<ObjectNode>) j -> j.put("finishedAt", "2026-11-02T06:00:00Z")),
        Arguments.of("plaintextBytes", (Consumer<ObjectNode>) j -> j.put("plaintextBytes", j.get("plaintextBytes").asLong() + 1)),
        Arguments.of("storedBytes", (Consumer<ObjectNode>) j -> j.put("storedBytes", j.get("storedBytes").asLong() - 1)),
        Arguments.of("plaintextSha256", (Consumer<ObjectNode>) j -> j.put("plaintextSha256", "0".repeat(64))),
        Arguments.of("storedSha256", (Consumer<ObjectNode>) j -> j.put("storedSha256", "f".repeat(64))),
        Arguments.of("compression", (Consumer<ObjectNode>) j -> j.put("compression", "zstd-19")),
        Arguments.of("locations", (Consumer<ObjectNode>) j -> j.putArray("locations").add("s3://attacker/x")),
        Arguments.of("a member added", (Consumer<ObjectNode>) j -> j.put("retentionHold", "none")),
        Arguments.of("mac malformed", (Consumer<ObjectNode>) j -> j.put("mac", "hmac-sha256:xyz")),
        Arguments.of("mac forged", (Consumer<ObjectNode>) j -> j.put("mac", "hmac-sha256:" + "a".repeat(64))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("alterations")
  void anAlteredMemberFailsVerifyAndRestoreNamingTheBackupAndWritesNothing(String member, Consumer<ObjectNode> edit)
      throws IOException {
    rewrite(log, edit);

    VerificationResult r = engine.verify(store, log.id());
    assertThat(r.ok()).isFalse();
    assertThat(r.manifestAuthenticated()).isFalse();
    assertThat(r.problem()).contains("backup " + log.id()).contains("manifest").contains("fails authentication");
    assertThat(audit.records()).last().satisfies(rec -> {
      assertThat(rec.action()).isEqualTo("backup.verify");
      assertThat(rec.outcome()).isEqualTo(AuditOutcome.FAILURE);
    });

    assertThatThrownBy(() -> engine.restore(store, log.id(), DirectoryTarget.of(restoreDir())))
        .isInstanceOf(BackupIntegrityException.class).hasMessageContaining("backup " + log.id())
        .hasMessageContaining("fails authentication")
        .satisfies(e -> assertThat(((BackupIntegrityException) e).backupId()).isEqualTo(log.id()));
    assertThat(restoreDir()).doesNotExist();
    assertThat(audit.records()).last().satisfies(rec -> {
      assertThat(rec.action()).isEqualTo("backup.restore");
      assertThat(rec.outcome()).isEqualTo(AuditOutcome.FAILURE);
    });
    assertThatThrownBy(() -> engine.listAuthenticated(store, SHOP_PROD))
        .isInstanceOf(BackupIntegrityException.class).hasMessageContaining(log.id());
    // the other backup is untouched and still proves itself
    assertThat(engine.verify(store, full.id()).ok()).isTrue();
  }

  @Test
  void anEnvironmentAlteredInPlaceFailsBeforeTheProductionGuardReadsIt() throws IOException {
    rewrite(log, j -> j.put("environment", "staging"));

    assertThatThrownBy(() -> engine.restore(store, log.id(), DirectoryTarget.of(restoreDir()), Environment.STAGING, null))
        .isInstanceOf(BackupIntegrityException.class).hasMessageContaining("backup " + log.id())
        .hasMessageContaining("is stored as shop/production/" + log.id()).hasMessageContaining("describes shop/staging/");
    assertThat(restoreDir()).doesNotExist();
    assertThat(engine.verify(store, log.id()).problem()).contains(log.id());
  }

  @Test
  void aProductionManifestMovedToStagingWithItsScopeRewrittenCannotSkipTheMaskingRule() throws IOException {
    ObjectNode json = stored(log);
    json.put("environment", "staging");
    store.delete(manifestKey(log));
    store.put("shop/staging/" + log.id() + ".manifest.json", Json.mapper().writeValueAsBytes(json));

    // the data key is wrapped for shop/production: it does not unwrap for the scope the manifest now claims
    assertThatThrownBy(() -> engine.restore(store, log.id(), DirectoryTarget.of(restoreDir()), Environment.STAGING, null))
        .isInstanceOf(BackupIntegrityException.class).hasMessageContaining("backup " + log.id())
        .hasMessageContaining("does not unwrap").hasMessageContaining("site, environment or wrapped key was altered");
    assertThat(restoreDir()).doesNotExist();
    assertThat(audit.records()).last().satisfies(rec -> assertThat(rec.action()).isEqualTo("backup.restore"));
  }

  @Test
  void aSiteAlteredInPlaceFails() throws IOException {
    rewrite(log, j -> j.put("site", "blog"));

    assertThat(engine.verify(store, log.id())).satisfies(r -> {
      assertThat(r.ok()).isFalse();
      assertThat(r.problem()).contains("backup " + log.id()).contains("describes blog/production/");
    });
    assertThatThrownBy(() -> engine.restore(store, log.id(), DirectoryTarget.of(restoreDir())))
        .isInstanceOf(BackupIntegrityException.class).hasMessageContaining(log.id());
    assertThat(restoreDir()).doesNotExist();
  }

  @Test
  void anotherBackupsManifestStoredUnderThisIdIsRefusedNamingThisId() throws IOException {
    store.put(manifestKey(log), store.open(manifestKey(full)).readAllBytes());

    VerificationResult r = engine.verify(store, log.id());
    assertThat(r.ok()).isFalse();
    assertThat(r.problem()).contains("backup " + log.id()).contains("describes shop/production/" + full.id());
    assertThatThrownBy(() -> engine.restore(store, log.id(), DirectoryTarget.of(restoreDir())))
        .isInstanceOf(BackupIntegrityException.class).hasMessageContaining("backup " + log.id());
    assertThat(restoreDir()).doesNotExist();
  }

  @Test
  void aMemberALaterReleaseAddsIsAuthenticatedTooAndStillVerifiesHere() throws IOException {
    // a later release writes a new member and MACs it with the rest; this release checks it without knowing it
    byte[] dataKey = key.unwrap(Base64.getDecoder().decode(log.wrappedKey()), "pledge-backup/v1/" + SHOP_PROD + "/" + log.id());
    rewrite(log, j -> {
      j.put("retentionHold", "legal-2027");
      j.put("mac", ManifestMac.compute(dataKey, "pledge-backup/v1/" + SHOP_PROD + "/" + log.id(), j));
    });

    assertThat(engine.verify(store, log.id())).satisfies(r -> {
      assertThat(r.ok()).as(r.problem()).isTrue();
      assertThat(r.manifestAuthenticated()).isTrue();
    });

    rewrite(log, j -> j.put("retentionHold", "none"));
    assertThat(engine.verify(store, log.id()).problem()).contains("fails authentication");
  }

  @Test
  void aManifestWithAMemberGivenTwiceIsCorrupt() throws IOException {
    String json = new String(store.open(manifestKey(log)).readAllBytes(), StandardCharsets.UTF_8);
    store.put(manifestKey(log), json.replaceFirst("\\{", "{\"environment\":\"staging\",").getBytes(StandardCharsets.UTF_8));

    assertThatThrownBy(() -> engine.verify(store, log.id())).isInstanceOf(BackupException.class)
        .hasMessageContaining(log.id() + ".manifest.json").hasMessageContaining("is corrupt")
        .hasMessageContaining("environment");
  }

  @Test
  void aManifestOfBytesThatAreNotUtf8IsCorrupt() throws IOException {
    // the fuzz finding backupManifests/utf32-bytes: read as UTF-32 and undecodable
    store.put(manifestKey(log), new byte[] {0, 0, 0, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff});

    assertThatThrownBy(() -> engine.verify(store, log.id())).isInstanceOf(BackupException.class)
        .hasMessageContaining(log.id() + ".manifest.json").hasMessageContaining("is corrupt: not UTF-8 JSON text");
  }

  @Test
  void aManifestWrittenBeforeManifestsWereAuthenticatedVerifiesAndRestoresOnlyUnderTheLegacyOption() throws IOException {
    rewrite(log, j -> j.remove("mac"));
    // by default a manifest stripped of its MAC is refused (issue 19)
    assertThat(engine.verify(store, log.id()).ok()).isFalse();
    assertThatThrownBy(() -> engine.listAuthenticated(store, SHOP_PROD)).isInstanceOf(BackupIntegrityException.class);
    BackupEngine engine = BackupEngine.builder(key).clock(clock).auditTrail(audit).allowUnauthenticatedManifests().build();

    VerificationResult r = engine.verify(store, log.id());
    assertThat(r.ok()).as(r.problem()).isTrue();
    assertThat(r.manifestAuthenticated()).isFalse();
    assertThat(r.note()).isEqualTo("manifest unauthenticated (written before manifests were authenticated)");
    assertThat(audit.records()).last().satisfies(rec ->
        assertThat(rec.details()).containsEntry("manifest", "unauthenticated (written before manifests were authenticated)"));

    engine.restore(store, log.id(), DirectoryTarget.of(restoreDir()));
    assertThat(restoreDir().resolve("index.html")).hasContent("<h1>shop</h1>");
    AuditRecord last = audit.records().get(audit.records().size() - 1);
    assertThat(last.action()).isEqualTo("backup.restore");
    assertThat(last.outcome()).isEqualTo(AuditOutcome.SUCCESS);
    assertThat(last.details()).containsEntry("manifest", "unauthenticated (written before manifests were authenticated)");
    assertThat(engine.listAuthenticated(store, SHOP_PROD)).containsExactly(full, log);
  }

  @Test
  void anUnauthenticatedManifestStillCannotChangeItsScopeOrId() throws IOException {
    // the wrap context binds the data key to id, site and environment, MAC or no MAC
    ObjectNode json = stored(full);
    json.remove("mac");
    json.put("environment", "staging");
    store.delete(manifestKey(full));
    store.put("shop/staging/" + full.id() + ".manifest.json", Json.mapper().writeValueAsBytes(json));

    assertThatThrownBy(() -> engine.restore(store, full.id(), DirectoryTarget.of(restoreDir()), Environment.STAGING, null))
        .isInstanceOf(BackupIntegrityException.class).hasMessageContaining("backup " + full.id())
        .hasMessageContaining("does not unwrap");
    assertThat(restoreDir()).doesNotExist();
  }

  @Test
  void anEngineThatRequiresAuthenticatedManifestsRefusesOneWithoutAMac() throws IOException {
    rewrite(log, j -> j.remove("mac"));
    BackupEngine strict = BackupEngine.builder(key).clock(clock).auditTrail(audit).requireAuthenticatedManifests(true).build();

    VerificationResult r = strict.verify(store, log.id());
    assertThat(r.ok()).isFalse();
    assertThat(r.problem()).contains("backup " + log.id())
        .contains("unauthenticated (written before manifests were authenticated)")
        .contains("requires authenticated manifests");
    assertThatThrownBy(() -> strict.restore(store, log.id(), DirectoryTarget.of(restoreDir())))
        .isInstanceOf(BackupIntegrityException.class).hasMessageContaining(log.id());
    assertThat(restoreDir()).doesNotExist();
    assertThatThrownBy(() -> strict.listAuthenticated(store, SHOP_PROD)).isInstanceOf(BackupIntegrityException.class)
        .hasMessageContaining(log.id());
    assertThat(strict.verify(store, full.id()).ok()).as("an authenticated manifest passes").isTrue();
  }

  @Test
  void theMacNeedsTheMasterKeyNotJustTheManifest() {
    LocalKeyWrapper other = LocalKeyWrapper.generate(tmp.resolve("other.key"));
    BackupEngine wrong = BackupEngine.builder(other).clock(clock).auditTrail(AuditTrail.inMemory()).build();

    assertThatThrownBy(() -> wrong.listAuthenticated(store, SHOP_PROD)).isInstanceOf(BackupIntegrityException.class)
        .hasMessageContaining(full.id()).hasMessageContaining(other.keyId());
  }

  @Test
  void theCanonicalEncodingSortsMembersAtEveryDepthAndLeavesTheMacOut() throws IOException {
    JsonNode tree = Json.mapper().readTree(
        "{\"mac\":\"x\",\"b\":1,\"a\":{\"d\":[2,{\"z\":true,\"y\":\"\u00e9\\n\\\"\"}],\"c\":null},\"B\":12345678901}");

    assertThat(new String(ManifestMac.canonical(tree), StandardCharsets.UTF_8))
        .isEqualTo("{\"B\":12345678901,\"a\":{\"c\":null,\"d\":[2,{\"y\":\"\u00e9\\n\\\"\",\"z\":true}]},\"b\":1}");
    assertThat(ManifestMac.canonical(tree)).as("UTF-8").contains((byte) 0xc3, (byte) 0xa9);
    assertThat(tree.has("mac")).as("the input is left alone").isTrue();
  }
}
