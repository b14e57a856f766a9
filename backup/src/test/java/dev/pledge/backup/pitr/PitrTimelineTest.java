package dev.pledge.backup.pitr;

import dev.pledge.core.audit.AuditTrail;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pledge.backup.BackupEngine;
import dev.pledge.backup.BackupException;
import dev.pledge.backup.BackupIntegrityException;
import dev.pledge.backup.BackupManifest;
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
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Timeline history files go through the archive like segments (their own kind), and plans follow
 * them: the first segment of the new timeline chains onto its parent's segment before the switch,
 * and a target after the switch is planned on the new timeline without the abandoned branch.
 */
class PitrTimelineTest {
  private static final Scope SHOP = Scope.of("shop", "production");
  private static final Instant T0 = Instant.parse("2026-11-01T06:30:00Z");

  @TempDir Path tmp;
  private MutableClock clock;
  private BackupEngine engine;
  private FileStore store;
  private PitrArchive archive;
  private Path spool;
  private BackupManifest base;

  @BeforeEach
  void setUp() throws IOException {
    clock = MutableClock.at(T0);
    engine = BackupEngine.builder(LocalKeyWrapper.generate(tmp.resolve("master.key"))).clock(clock).auditTrail(AuditTrail.inMemory()).build();
    store = FileStore.builder(tmp.resolve("store")).clock(clock).build();
    archive = PitrArchive.postgres(engine, store, SHOP);
    spool = Files.createDirectories(tmp.resolve("spool"));
    Path baseFile = Files.writeString(tmp.resolve("base.tar"), "base backup");
    base = engine.backup(FileObjects.source(PostgresBaseBackup.KIND, "base backup by hand", baseFile), SHOP, List.of(store));
    clock.advance(Duration.ofMinutes(1));
  }

  private Path file(String name, String content, Instant lastWrite) throws IOException {
    Path f = Files.writeString(spool.resolve(name), content, StandardCharsets.UTF_8);
    Files.setLastModifiedTime(f, FileTime.from(lastWrite));
    return f;
  }

  /** Timeline 1 segments 1..4 (minutes 1..4), then a promotion at minute 10 branching in segment 3. */
  private void failover() throws IOException {
    for (int i = 1; i <= 4; i++) {
      file(String.format("0000000100000000000000%02X", i), "tl1 wal " + i, T0.plus(Duration.ofMinutes(i)));
    }
    archive.shipSpool(spool);
    file("00000002.history", "1\t0/3000A28\tno recovery target specified\n", T0.plus(Duration.ofMinutes(10)));
    file("000000020000000000000003", "tl2 wal 3", T0.plus(Duration.ofMinutes(11)));
    file("000000020000000000000004", "tl2 wal 4", T0.plus(Duration.ofMinutes(12)));
    file("000000010000000000000003.partial", "partial", T0.plus(Duration.ofMinutes(10)));
    clock.advance(Duration.ofMinutes(15));
    archive.shipSpool(spool);
  }

  private String idOf(String segment) {
    return archive.catalog().stream().filter(e -> e.segment().equals(java.util.Optional.of(segment)))
        .findFirst().orElseThrow().manifest().id();
  }

  @Test
  void theHistoryFileIsShippedFirstAndTheNewTimelineChainsOntoItsParentBeforeTheSwitch() throws IOException {
    failover();

    try (var left = Files.list(spool)) {
      assertThat(left.map(p -> p.getFileName().toString())).containsExactly("000000010000000000000003.partial");
    }
    BackupManifest history = engine.list(store, SHOP).stream().filter(m -> m.sourceKind().equals(PitrArchive.HISTORY_KIND))
        .findFirst().orElseThrow();
    assertThat(history.segment().file()).isEqualTo("00000002.history");
    assertThat(history.segment().timeline()).isEqualTo(2);
    assertThat(history.sourceDescription()).isEqualTo("postgres-history 00000002.history timeline 2 branched off timeline 1"
        + " at 0/3000A28 on 2026-11-01T06:40:00Z");
    assertThat(history.parent()).isEqualTo(base.id());
    // the first timeline-2 segment begins where timeline 1's segment 2 (the one before the switch) ended
    BackupManifest first = engine.find(store, idOf("000000020000000000000003"));
    assertThat(first.segment().start()).isEqualTo(T0.plus(Duration.ofMinutes(2)));
    assertThat(archive.catalog()).as("histories are not full backups or logs").noneMatch(e -> e.manifest().id().equals(history.id()));

    RestorePlan after = archive.plan(T0.plus(Duration.ofMinutes(11)).plusSeconds(30));
    assertThat(after.complete()).as(after.toString()).isTrue();
    assertThat(after.logs()).extracting(RecoveryPoint::id).containsExactly(idOf("000000010000000000000001"),
        idOf("000000010000000000000002"), idOf("000000020000000000000003"), idOf("000000020000000000000004"));
    assertThat(after.timelines()).singleElement().satisfies(sw -> {
      assertThat(sw.id()).isEqualTo(history.id());
      assertThat(sw.parent()).isEqualTo("1");
      assertThat(sw.position()).isEqualTo(3);
    });

    RestorePlan before = archive.plan(T0.plus(Duration.ofMinutes(3)).plusSeconds(30));
    assertThat(before.complete()).isTrue();
    assertThat(before.timelines()).isEmpty();
    assertThat(before.logs()).extracting(RecoveryPoint::id).containsExactly(idOf("000000010000000000000001"),
        idOf("000000010000000000000002"), idOf("000000010000000000000003"), idOf("000000010000000000000004"));
  }

  @Test
  void aHistoryShippedAgainIsStoredOnceAndWithOtherBytesRefused() throws IOException {
    failover();
    Path again = file("00000002.history", "1\t0/3000A28\tno recovery target specified\n", T0.plus(Duration.ofMinutes(10)));
    int before = engine.list(store, SHOP).size();
    archive.refresh();
    assertThat(archive.ship(again).sourceKind()).isEqualTo(PitrArchive.HISTORY_KIND);
    assertThat(engine.list(store, SHOP)).hasSize(before);

    Files.writeString(again, "1\t0/4000000\tanother switch\n");
    assertThatThrownBy(() -> archive.ship(again)).isInstanceOf(BackupException.class)
        .hasMessageContaining("00000002.history").hasMessageContaining("different content");
  }

  @Test
  void aMalformedHistoryFileIsRefusedNamingTheFileAndLine() throws IOException {
    Path bad = file("00000002.history", "1\t0/3000A28\tfine\nnot a switch\n", T0);
    assertThatThrownBy(() -> archive.ship(bad)).isInstanceOf(BackupException.class)
        .hasMessageContaining("00000002.history line 2").hasMessageContaining("'not a switch'");
    Path backwards = file("00000003.history", "4\t0/3000A28\tbackwards\n", T0);
    assertThatThrownBy(() -> archive.ship(backwards)).hasMessageContaining("timeline 3 cannot branch off timeline 4");
  }

  @Test
  void anAlteredHistoryManifestIsRefusedByThePlan() throws IOException {
    failover();
    BackupManifest history = engine.list(store, SHOP).stream().filter(m -> m.sourceKind().equals(PitrArchive.HISTORY_KIND))
        .findFirst().orElseThrow();
    String key = "shop/production/" + history.id() + ".manifest.json";
    ObjectNode json = (ObjectNode) Json.mapper().readTree(store.open(key));
    // move the switch so the abandoned branch's segments would be replayed
    json.put("sourceDescription", history.sourceDescription().replace("0/3000A28", "0/5000000"));
    store.put(key, Json.mapper().writeValueAsBytes(json));

    assertThatThrownBy(() -> archive.plan(T0.plus(Duration.ofMinutes(12)))).isInstanceOf(BackupIntegrityException.class)
        .hasMessageContaining("backup " + history.id());
  }
}
