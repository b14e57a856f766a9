package dev.pledge.backup.pitr;

import dev.pledge.core.audit.AuditTrail;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pledge.backup.BackupEngine;
import dev.pledge.backup.BackupIntegrityException;
import dev.pledge.backup.BackupManifest;
import dev.pledge.backup.crypto.KeyWrapper;
import dev.pledge.backup.crypto.LocalKeyWrapper;
import dev.pledge.backup.store.FileStore;
import dev.pledge.core.Scope;
import dev.pledge.core.internal.Json;
import dev.pledge.core.time.MutableClock;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The point-in-time planner plans only from authenticated manifests: a log segment's span, parent or
 * kind altered in the store makes the plan and both restores fail naming the backup, before anything
 * is written; a manifest written before manifests were authenticated is still planned from.
 */
class PitrManifestAuthenticationTest {
  private static final Scope SHOP = Scope.of("shop", "production");
  private static final Instant T0 = Instant.parse("2026-11-01T06:30:00Z");
  private static final String WAL1 = "000000010000000000000001";
  private static final String WAL2 = "000000010000000000000002";

  @TempDir Path tmp;
  private MutableClock clock;
  private BackupEngine engine;
  private FileStore store;
  private PitrArchive archive;
  private BackupManifest base;
  private BackupManifest wal1;
  private BackupManifest wal2;

  private CountingKeyWrapper keys;

  /** A real local key wrapper that counts its unwraps (one per manifest checked, as a KMS call would be). */
  private static final class CountingKeyWrapper implements KeyWrapper {
    private final KeyWrapper delegate;
    private final AtomicInteger unwraps = new AtomicInteger();

    CountingKeyWrapper(KeyWrapper delegate) {
      this.delegate = delegate;
    }

    @Override
    public String keyId() {
      return delegate.keyId();
    }

    @Override
    public byte[] wrap(byte[] dataKey, String context) {
      return delegate.wrap(dataKey, context);
    }

    @Override
    public byte[] unwrap(byte[] wrappedKey, String context) {
      unwraps.incrementAndGet();
      return delegate.unwrap(wrappedKey, context);
    }

    int unwrapsSince(int[] mark) {
      int now = unwraps.get();
      int since = now - mark[0];
      mark[0] = now;
      return since;
    }
  }

  @BeforeEach
  void setUp() throws IOException {
    clock = MutableClock.at(T0);
    keys = new CountingKeyWrapper(LocalKeyWrapper.generate(tmp.resolve("master.key")));
    engine = BackupEngine.builder(keys).clock(clock).auditTrail(AuditTrail.inMemory()).build();
    store = FileStore.builder(tmp.resolve("store")).clock(clock).build();
    archive = PitrArchive.postgres(engine, store, SHOP);
    Path baseFile = Files.writeString(tmp.resolve("base.tar"), "base backup");
    base = engine.backup(FileObjects.source(PostgresBaseBackup.KIND, "base backup by hand", baseFile), SHOP, List.of(store));
    clock.advance(Duration.ofMinutes(2));
    wal1 = archive.ship(segment(WAL1, T0.plusSeconds(60)));
    clock.advance(Duration.ofMinutes(2));
    wal2 = archive.ship(segment(WAL2, T0.plusSeconds(180)));
  }

  private Path segment(String name, Instant lastWrite) throws IOException {
    Path f = Files.write(Files.createDirectories(tmp.resolve("spool")).resolve(name), ("wal " + name).getBytes(StandardCharsets.UTF_8));
    Files.setLastModifiedTime(f, FileTime.from(lastWrite));
    return f;
  }

  private void rewrite(BackupManifest m, Consumer<ObjectNode> edit) throws IOException {
    String key = "shop/production/" + m.id() + ".manifest.json";
    ObjectNode json = (ObjectNode) Json.mapper().readTree(store.open(key));
    edit.accept(json);
    store.put(key, Json.mapper().writeValueAsBytes(json));
  }

  @Test
  void anUntouchedArchivePlansFromItsAuthenticatedCatalog() {
    RestorePlan plan = archive.plan(T0.plusSeconds(150));

    assertThat(plan.complete()).as(plan.toString()).isTrue();
    assertThat(plan.base().orElseThrow().id()).isEqualTo(base.id());
    assertThat(plan.logs()).extracting(RecoveryPoint::id).containsExactly(wal1.id(), wal2.id());
  }

  @Test
  void aSegmentSpanAlteredInTheStoreMakesThePlanAndTheRestoreFailNamingTheBackup() throws IOException {
    // stretch the first segment over the target so the planner would skip the second one
    rewrite(wal1, j -> ((ObjectNode) j.get("segment")).put("end", "2026-11-01T06:40:00Z"));
    Path dataDir = tmp.resolve("pgdata");
    Path walDir = tmp.resolve("pgwal");

    assertThatThrownBy(() -> archive.plan(T0.plusSeconds(150))).isInstanceOf(BackupIntegrityException.class)
        .hasMessageContaining("backup " + wal1.id()).hasMessageContaining("fails authentication");
    assertThatThrownBy(() -> archive.restorePostgres(T0.plusSeconds(150), dataDir, walDir))
        .isInstanceOf(BackupIntegrityException.class)
        .satisfies(e -> assertThat(((BackupIntegrityException) e).backupId()).isEqualTo(wal1.id()));
    assertThat(dataDir).doesNotExist();
    assertThat(walDir).doesNotExist();
    // the unauthenticated catalog still shows what the store claims; only planning refuses it
    archive.refresh();
    assertThat(archive.catalog()).anySatisfy(e -> assertThat(e.point().end()).isEqualTo(Instant.parse("2026-11-01T06:40:00Z")));
  }

  @Test
  void aParentOrKindAlteredInTheStoreIsRefusedToo() throws IOException {
    rewrite(wal2, j -> j.put("parent", "20261101T060000Z-00000000"));
    assertThatThrownBy(() -> archive.plan(T0.plusSeconds(150))).isInstanceOf(BackupIntegrityException.class)
        .hasMessageContaining("backup " + wal2.id());

    rewrite(wal2, j -> j.put("parent", base.id()));
    assertThat(archive.plan(T0.plusSeconds(150)).complete()).as("restored to what was written").isTrue();

    // a log backup disguised as a full one would become the plan's base
    rewrite(wal2, j -> j.put("sourceKind", PostgresBaseBackup.KIND));
    assertThatThrownBy(() -> archive.plan(T0.plusSeconds(200))).isInstanceOf(BackupIntegrityException.class)
        .hasMessageContaining("backup " + wal2.id());
  }

  @Test
  void aMariaDbRestoreRefusesAnAlteredCatalogEntryBeforeWritingItsWorkFiles() throws IOException {
    PitrArchive mariaDb = PitrArchive.mariaDb(engine, store, SHOP);
    Path dumpFile = Files.writeString(tmp.resolve("dump.sql"), "-- dump");
    BackupManifest dump = engine.backup(FileObjects.source(MariaDbDump.KIND, "dump by hand", dumpFile), SHOP, List.of(store));
    rewrite(dump, j -> j.put("finishedAt", "2026-11-01T06:00:00Z"));
    Path work = tmp.resolve("work");

    assertThatThrownBy(() -> mariaDb.restoreMariaDb(T0.plusSeconds(600), work, List.of("mariadb"), java.util.Map.of(),
        Path.of("mariadb-binlog"))).isInstanceOf(BackupIntegrityException.class).hasMessageContaining("backup " + dump.id());
    assertThat(work).doesNotExist();
  }

  @Test
  void aSegmentManifestWrittenBeforeManifestsWereAuthenticatedIsPlannedFromOnlyUnderTheLegacyOption() throws IOException {
    rewrite(wal1, j -> j.remove("mac"));

    BackupEngine legacy = BackupEngine.builder(LocalKeyWrapper.load(tmp.resolve("master.key"))).clock(clock)
        .allowUnauthenticatedManifests().auditTrail(AuditTrail.inMemory()).build();
    RestorePlan plan = PitrArchive.postgres(legacy, store, SHOP).plan(T0.plusSeconds(150));
    assertThat(plan.complete()).isTrue();
    assertThat(plan.logs()).extracting(RecoveryPoint::id).containsExactly(wal1.id(), wal2.id());

    // the default engine, as the archive under test uses, refuses it
    assertThatThrownBy(() -> archive.plan(T0.plusSeconds(150)))
        .isInstanceOf(BackupIntegrityException.class).hasMessageContaining("backup " + wal1.id())
        .hasMessageContaining("unauthenticated");
  }

  @Test
  void shippingRefusesToChainANewSegmentOntoAnAlteredPredecessor() throws IOException {
    // stretch the second segment's end past the third's last write: unchecked, the third segment's
    // newly signed span would start there and hide the time it really covers
    rewrite(wal2, j -> ((ObjectNode) j.get("segment")).put("end", "2026-11-01T06:35:00Z"));
    archive.refresh();
    clock.advance(Duration.ofMinutes(2));
    Path wal3 = segment("000000010000000000000003", T0.plusSeconds(300));
    int before = engine.list(store, SHOP).size();

    assertThatThrownBy(() -> archive.ship(wal3)).isInstanceOf(BackupIntegrityException.class)
        .hasMessageContaining("backup " + wal2.id()).hasMessageContaining("fails authentication");
    assertThat(engine.list(store, SHOP)).as("nothing new stored").hasSize(before);

    // restored to its signed form, the segment chains onto the second one's true end
    rewrite(wal2, j -> ((ObjectNode) j.get("segment")).put("end", wal2.segment().end().toString()));
    BackupManifest shipped = archive.ship(wal3);
    assertThat(shipped.segment().start()).isEqualTo(wal2.segment().end());
  }

  @Test
  void aReplanChecksOnlyManifestsItHasNotCheckedBefore() throws IOException {
    int[] mark = {0};
    keys.unwrapsSince(mark);
    archive.plan(T0.plusSeconds(150));
    // shipping the first segment checked the base already; the plan checks the two segments
    assertThat(keys.unwrapsSince(mark)).as("first plan: the two segments").isEqualTo(2);
    archive.plan(T0.plusSeconds(150));
    assertThat(keys.unwrapsSince(mark)).as("replan of an unchanged catalog").isZero();

    clock.advance(Duration.ofMinutes(2));
    BackupManifest wal3 = archive.ship(segment("000000010000000000000003", T0.plusSeconds(300)));
    keys.unwrapsSince(mark);
    assertThat(archive.plan(T0.plusSeconds(250)).logs()).extracting(RecoveryPoint::id).contains(wal3.id());
    assertThat(keys.unwrapsSince(mark)).as("only the new segment").isEqualTo(1);

    // a second engine (another process) shares nothing: it checks every manifest
    BackupEngine other = BackupEngine.builder(keys).clock(clock).auditTrail(AuditTrail.inMemory()).build();
    PitrArchive.postgres(other, store, SHOP).plan(T0.plusSeconds(150));
    assertThat(keys.unwrapsSince(mark)).isEqualTo(4);
  }

  @Test
  void aManifestAlteredAfterItWasCheckedInItsGoodFormIsStillCaught() throws IOException {
    assertThat(archive.plan(T0.plusSeconds(150)).complete()).isTrue(); // every manifest checked and remembered
    String good = new String(store.open("shop/production/" + wal1.id() + ".manifest.json").readAllBytes(),
        StandardCharsets.UTF_8);

    rewrite(wal1, j -> ((ObjectNode) j.get("segment")).put("end", "2026-11-01T06:40:00Z"));
    assertThatThrownBy(() -> archive.plan(T0.plusSeconds(150))).isInstanceOf(BackupIntegrityException.class)
        .hasMessageContaining("backup " + wal1.id()).hasMessageContaining("fails authentication");

    // the very bytes that passed pass again
    store.put("shop/production/" + wal1.id() + ".manifest.json", good.getBytes(StandardCharsets.UTF_8));
    assertThat(archive.plan(T0.plusSeconds(150)).logs()).extracting(RecoveryPoint::id).containsExactly(wal1.id(), wal2.id());
  }

  @Test
  void withoutACacheEveryPlanChecksEveryManifest() {
    BackupEngine uncached = BackupEngine.builder(keys).clock(clock).checkedManifestCacheSize(0).auditTrail(AuditTrail.inMemory()).build();
    PitrArchive a = PitrArchive.postgres(uncached, store, SHOP);
    int[] mark = {0};
    keys.unwrapsSince(mark);
    a.plan(T0.plusSeconds(150));
    a.plan(T0.plusSeconds(150));
    assertThat(keys.unwrapsSince(mark)).isEqualTo(6);
    assertThatThrownBy(() -> BackupEngine.builder(keys).checkedManifestCacheSize(-1))
        .hasMessageContaining("checkedManifestCacheSize").hasMessageContaining("-1");
  }
}
