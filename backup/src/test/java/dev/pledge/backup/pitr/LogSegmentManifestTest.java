package dev.pledge.backup.pitr;

import dev.pledge.core.audit.AuditTrail;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pledge.backup.BackupEngine;
import dev.pledge.backup.BackupException;
import dev.pledge.backup.BackupManifest;
import dev.pledge.backup.LogSegment;
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
 * The typed {@code segment} of a log backup's manifest: written by every shipment, read in
 * preference to the description, absent from (and not needed by) manifests written before it, and
 * validated, so a bad one is reported instead of planned from.
 */
class LogSegmentManifestTest {
  private static final Scope SHOP = Scope.of("shop", "production");
  private static final Instant T0 = Instant.parse("2026-11-01T06:30:00Z");
  private static final String WAL1 = "000000010000000000000001";
  private static final String WAL2 = "000000010000000000000002";

  @TempDir Path tmp;
  private MutableClock clock;
  private BackupEngine engine;
  private FileStore store;
  private PitrArchive archive;

  @BeforeEach
  void setUp() throws IOException {
    clock = MutableClock.at(T0);
    engine = BackupEngine.builder(LocalKeyWrapper.generate(tmp.resolve("master.key"))).clock(clock).auditTrail(AuditTrail.inMemory()).build();
    store = FileStore.builder(tmp.resolve("store")).clock(clock).build();
    archive = PitrArchive.postgres(engine, store, SHOP);
  }

  private Path segmentFile(String name, Instant lastWrite) throws IOException {
    Path f = Files.write(Files.createDirectories(tmp.resolve("wal")).resolve(name), ("wal " + name).getBytes(StandardCharsets.UTF_8));
    Files.setLastModifiedTime(f, FileTime.from(lastWrite));
    return f;
  }

  private JsonNode storedManifest(BackupManifest m) throws IOException {
    return Json.mapper().readTree(store.open("shop/production/" + m.id() + ".manifest.json"));
  }

  private void rewriteManifest(BackupManifest m, java.util.function.Consumer<ObjectNode> edit) throws IOException {
    ObjectNode json = (ObjectNode) storedManifest(m);
    edit.accept(json);
    store.put("shop/production/" + m.id() + ".manifest.json", Json.mapper().writeValueAsBytes(json));
    archive.refresh();
  }

  @Test
  void aShippedSegmentIsRecordedTypedInItsManifest() throws IOException {
    BackupManifest m = archive.ship(segmentFile(WAL1, T0.minusSeconds(30)));

    assertThat(m.segment()).isEqualTo(new LogSegment(WAL1, 1, T0.minusSeconds(30), T0.minusSeconds(30)));
    JsonNode segment = storedManifest(m).get("segment");
    assertThat(segment.get("file").asText()).isEqualTo(WAL1);
    assertThat(segment.get("timeline").asLong()).isEqualTo(1);
    assertThat(segment.get("start").asText()).isEqualTo("2026-11-01T06:29:30Z");
    assertThat(segment.get("end").asText()).isEqualTo("2026-11-01T06:29:30Z");
    assertThat(storedManifest(m).get("format").asInt()).as("additive: same format").isEqualTo(1);
    assertThat(m.sourceDescription()).as("still described for people and older readers")
        .isEqualTo("postgres-wal " + WAL1 + " timeline 1 from 2026-11-01T06:29:30Z to 2026-11-01T06:29:30Z");
  }

  @Test
  void theTypedSegmentIsReadInsteadOfTheDescription() throws IOException {
    Instant end = T0.minusSeconds(10);
    BackupManifest m = engine.backup(FileObjects.source(PitrArchive.WAL_KIND, "WAL shipped by hand", segmentFile(WAL2, end)),
        SHOP, List.of(store), null, new LogSegment(WAL2, 1, T0.minusSeconds(100), end));

    PitrArchive.Entry e = archive.catalog().get(0);
    assertThat(e.manifest()).isEqualTo(m);
    assertThat(e.segment()).contains(WAL2);
    assertThat(e.point()).isEqualTo(new RecoveryPoint(m.id(), RecoveryPoint.Kind.LOG, T0.minusSeconds(100), end, "1",
        LogSpans.walPosition(WAL2)));
  }

  @Test
  void aManifestWrittenBeforeTheFieldExistedIsReadFromItsDescription() throws IOException {
    // a log backup as the previous release wrote it: the span only in the description, no segment field
    LogSpans.Span span = new LogSpans.Span(PitrArchive.WAL_KIND, WAL1, "1", T0.minusSeconds(300), T0.minusSeconds(60));
    BackupManifest old = engine.backup(FileObjects.source(PitrArchive.WAL_KIND, span.description(),
        segmentFile(WAL1, T0.minusSeconds(60))), SHOP, List.of(store), null);
    assertThat(storedManifest(old).has("segment")).isFalse();
    assertThat(old.segment()).isNull();

    PitrArchive.Entry e = archive.catalog().get(0);
    assertThat(e.segment()).contains(WAL1);
    assertThat(e.point()).isEqualTo(new RecoveryPoint(old.id(), RecoveryPoint.Kind.LOG, T0.minusSeconds(300), T0.minusSeconds(60), "1",
        LogSpans.walPosition(WAL1)));

    // and a new shipment follows on from it, through the old span
    clock.advance(Duration.ofMinutes(1));
    BackupManifest next = archive.ship(segmentFile(WAL2, T0));
    assertThat(next.segment()).isEqualTo(new LogSegment(WAL2, 1, T0.minusSeconds(60), T0));

    // the 19-field constructor still builds a manifest, without a segment
    BackupManifest copy = new BackupManifest(old.format(), old.id(), old.site(), old.environment(), old.sourceKind(),
        old.sourceDescription(), old.startedAt(), old.finishedAt(), old.plaintextBytes(), old.storedBytes(),
        old.plaintextSha256(), old.storedSha256(), old.keyId(), old.wrappedKey(), old.encryption(), old.compression(),
        old.dataObject(), old.locations(), old.parent());
    assertThat(copy).isEqualTo(old);
  }

  @Test
  void aManifestWithAFieldFromALaterReleaseStillReads() throws IOException {
    BackupManifest m = archive.ship(segmentFile(WAL1, T0));
    rewriteManifest(m, json -> ((ObjectNode) json).put("retentionHold", "legal-2027"));

    assertThat(archive.catalog()).singleElement().satisfies(e -> assertThat(e.segment()).contains(WAL1));
  }

  @Test
  void aSegmentThatEndsBeforeItStartsMakesTheManifestCorrupt() throws IOException {
    BackupManifest m = archive.ship(segmentFile(WAL1, T0));
    rewriteManifest(m, json -> ((ObjectNode) json.get("segment")).put("start", "2026-11-01T07:00:00Z"));

    assertThatThrownBy(() -> archive.catalog()).isInstanceOf(BackupException.class)
        .hasMessageContaining(m.id() + ".manifest.json").hasMessageContaining("is corrupt")
        .hasMessageContaining("segment " + WAL1 + ": end 2026-11-01T06:30:00Z is before start 2026-11-01T07:00:00Z");
  }

  @Test
  void aSegmentFileThatIsAPathOrNoSegmentOfThisDatabaseIsRefused() throws IOException {
    BackupManifest m = archive.ship(segmentFile(WAL1, T0));
    rewriteManifest(m, json -> ((ObjectNode) json.get("segment")).put("file", "../../postgresql.conf"));
    assertThatThrownBy(() -> archive.catalog()).isInstanceOf(BackupException.class).hasMessageContaining("is corrupt")
        .hasMessageContaining("segment.file must be a file name").hasMessageContaining("'../../postgresql.conf'");

    rewriteManifest(m, json -> ((ObjectNode) json.get("segment")).put("file", "binlog.000001"));
    assertThatThrownBy(() -> archive.catalog()).isInstanceOf(BackupException.class)
        .hasMessageContaining("log backup " + m.id()).hasMessageContaining("segment.file 'binlog.000001' is not a WAL segment file name");

    rewriteManifest(m, json -> ((ObjectNode) json.get("segment")).put("timeline", 0));
    assertThatThrownBy(() -> archive.catalog()).isInstanceOf(BackupException.class)
        .hasMessageContaining("segment.timeline must be at least 1, got 0");
  }

  @Test
  void anOldDescriptionNamingAPathIsRefusedToo() throws IOException {
    LogSpans.Span span = new LogSpans.Span(PitrArchive.WAL_KIND, "../../x", "1", T0, T0);
    BackupManifest old = engine.backup(FileObjects.source(PitrArchive.WAL_KIND, span.description(),
        segmentFile(WAL1, T0)), SHOP, List.of(store), null);

    assertThatThrownBy(() -> archive.catalog()).isInstanceOf(BackupException.class)
        .hasMessageContaining("log backup " + old.id()).hasMessageContaining("names a bad segment")
        .hasMessageContaining("'../../x'");
  }

  @Test
  void theSegmentValidatesEveryField() {
    assertThatThrownBy(() -> new LogSegment(null, 1, T0, T0)).hasMessageContaining("segment.file").hasMessageContaining("none");
    assertThatThrownBy(() -> new LogSegment("a/b", 1, T0, T0)).hasMessageContaining("'a/b'");
    assertThatThrownBy(() -> new LogSegment(WAL1, -2, T0, T0)).hasMessageContaining("segment.timeline must be at least 1, got -2");
    assertThatThrownBy(() -> new LogSegment(WAL1, 1, null, T0)).hasMessageContaining("needs both start and end");
    assertThat(new LogSegment("binlog.000002", 1, T0, T0.plusSeconds(1)).file()).isEqualTo("binlog.000002");
  }
}
