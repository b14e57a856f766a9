package dev.pledge.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pledge.backup.crypto.LocalKeyWrapper;
import dev.pledge.backup.source.BackupSource;
import dev.pledge.backup.source.DirectoryTarget;
import dev.pledge.backup.store.FileStore;
import dev.pledge.core.Environment;
import dev.pledge.core.Scope;
import dev.pledge.core.audit.AuditTrail;
import dev.pledge.core.event.Subscription;
import dev.pledge.core.time.MutableClock;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engine's listeners hear every backup, verification and restore, with sizes and durations by the
 * engine's clock, on real encrypted backups in a file store; a listener that throws breaks nothing.
 */
class BackupEventsTest {
  private static final Scope SHOP = Scope.of("shop", "production");
  private static final Instant T0 = Instant.parse("2026-11-01T06:30:00Z");

  @TempDir Path tmp;
  private MutableClock clock;
  private BackupEngine engine;
  private FileStore store;
  private final List<BackupEvent> events = new CopyOnWriteArrayList<>();

  @BeforeEach
  void setUp() {
    clock = MutableClock.at(T0);
    engine = BackupEngine.builder(LocalKeyWrapper.generate(tmp.resolve("master.key"))).clock(clock)
        .auditTrail(AuditTrail.inMemory()).build();
    store = FileStore.builder(tmp.resolve("store")).clock(clock).build();
    engine.onEvent(events::add);
  }

  /** A source of {@code text} that takes {@code took} by the test's clock to read. */
  private BackupSource source(String text, Duration took) {
    return new BackupSource() {
      @Override public String kind() { return "dir"; }
      @Override public String description() { return "orders export"; }
      @Override public void writeTo(OutputStream out) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
        clock.advance(took);
      }
    };
  }

  @Test
  void aBackupWrittenTellsItsSizesDurationScheduleAndLocations() {
    BackupManifest m = engine.backup(source("id,total\n1,19.99\n", Duration.ofSeconds(42)), SHOP, List.of(store), null,
        null, "shop/production/every-PT5M");

    assertThat(events).singleElement().satisfies(e -> {
      assertThat(e.kind()).isEqualTo(BackupEvent.Kind.BACKED_UP);
      assertThat(e.succeeded()).isTrue();
      assertThat(e.backupId()).isEqualTo(m.id());
      assertThat(e.scope()).isEqualTo(SHOP);
      assertThat(e.schedule()).isEqualTo("shop/production/every-PT5M");
      assertThat(e.plaintextBytes()).isEqualTo(17).isEqualTo(m.plaintextBytes());
      assertThat(e.storedBytes()).isEqualTo(m.storedBytes()).isPositive();
      assertThat(e.duration()).isEqualTo(Duration.ofSeconds(42));
      assertThat(e.occurredAt()).isEqualTo(T0.plusSeconds(42));
      assertThat(e.locations()).containsExactly(store.location());
      assertThat(e.detail()).isEmpty();
    });
    assertThat(m.schedule()).isEqualTo("shop/production/every-PT5M");
  }

  @Test
  void aFailedOrRefusedBackupIsHeardWithItsReasonAndNoBytes() {
    BackupSource broken = new BackupSource() {
      @Override public String kind() { return "dir"; }
      @Override public String description() { return "orders export"; }
      @Override public void writeTo(OutputStream out) throws IOException {
        clock.advance(Duration.ofSeconds(5));
        throw new IOException("disk unreadable");
      }
    };
    assertThatThrownBy(() -> engine.backup(broken, SHOP, List.of(store))).isInstanceOf(BackupException.class);
    BackupEngine twoPlaces = engine.toBuilder().minimumLocations(2).build();
    twoPlaces.onEvent(events::add);
    assertThatThrownBy(() -> twoPlaces.backup(source("x", Duration.ZERO), SHOP, List.of(store)))
        .isInstanceOf(BackupRefusedException.class);

    assertThat(events).hasSize(2);
    assertThat(events.get(0).kind()).isEqualTo(BackupEvent.Kind.BACKUP_FAILED);
    assertThat(events.get(0).detail()).contains("disk unreadable");
    assertThat(events.get(0).duration()).isEqualTo(Duration.ofSeconds(5));
    assertThat(events.get(0).storedBytes()).isZero();
    assertThat(events.get(0).schedule()).isNull();
    assertThat(events.get(1).kind()).isEqualTo(BackupEvent.Kind.BACKUP_REFUSED);
    assertThat(events.get(1).detail()).startsWith("P10: ").contains("minimumLocations is 2");
    assertThat(events).noneMatch(BackupEvent::succeeded);
  }

  @Test
  void verificationsAndRestoresAreHeardWithTheBytesReadBack() throws IOException {
    BackupManifest m = engine.backup(source("id,total\n", Duration.ZERO), SHOP, List.of(store), null, null,
        "shop/production/daily-02:00-UTC");
    events.clear();

    assertThat(engine.verify(store, m.id()).ok()).isTrue();
    Path target = Files.createDirectories(tmp.resolve("restored"));
    assertThatThrownBy(() -> engine.restore(store, m.id(), DirectoryTarget.of(target), Environment.of("staging"), null))
        .isInstanceOf(BackupRefusedException.class);
    // the stored object damaged: verification fails, and so does a restore
    Path data = tmp.resolve("store").resolve(m.dataObject());
    byte[] bytes = Files.readAllBytes(data);
    bytes[bytes.length / 2] ^= 1;
    Files.write(data, bytes);
    assertThat(engine.verify(store, m.id()).ok()).isFalse();

    assertThat(events).extracting(BackupEvent::kind).containsExactly(BackupEvent.Kind.VERIFIED,
        BackupEvent.Kind.RESTORE_REFUSED, BackupEvent.Kind.VERIFY_FAILED);
    assertThat(events.get(0).plaintextBytes()).isEqualTo(m.plaintextBytes());
    assertThat(events.get(0).storedBytes()).isEqualTo(m.storedBytes());
    assertThat(events).allSatisfy(e -> {
      assertThat(e.backupId()).isEqualTo(m.id());
      assertThat(e.schedule()).as("read from the authenticated manifest").isEqualTo("shop/production/daily-02:00-UTC");
      assertThat(e.locations()).containsExactly(store.location());
    });
    assertThat(events.get(1).detail()).startsWith("P27: ");
    assertThat(events.get(2).detail()).contains(m.id());
  }

  @Test
  void aRestoreIsHeardAndAThrowingListenerBreaksNothing() throws IOException {
    BackupManifest m = engine.backup(source("id,total\n", Duration.ZERO), SHOP, List.of(store));
    engine.onEvent(e -> {
      throw new IllegalStateException("listener bug");
    });
    Path target = tmp.resolve("restored");
    clock.advance(Duration.ofMinutes(1));
    assertThat(engine.restore(store, m.id(), new DirectoryTargetOfFile(target))).isEqualTo(m);

    assertThat(events).extracting(BackupEvent::kind).containsExactly(BackupEvent.Kind.BACKED_UP,
        BackupEvent.Kind.RESTORED);
    assertThat(events.get(1).plaintextBytes()).isEqualTo(m.plaintextBytes());
    assertThat(events.get(1).duration()).isEqualTo(Duration.ZERO);
    assertThat(target).hasContent("id,total\n");
  }

  @Test
  void aClosedSubscriptionHearsNoMore() {
    List<BackupEvent> mine = new CopyOnWriteArrayList<>();
    Subscription s = engine.onEvent(mine::add);
    engine.backup(source("a", Duration.ZERO), SHOP, List.of(store));
    s.close();
    s.close();
    engine.backup(source("b", Duration.ZERO), SHOP, List.of(store));
    assertThat(mine).hasSize(1);
    assertThat(events).hasSize(2);
  }

  @Test
  void aScheduleNameIsCheckedBeforeAnythingIsWritten() {
    assertThatThrownBy(() -> engine.backup(source("a", Duration.ZERO), SHOP, List.of(store), null, null, "no spaces"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'no spaces'");
    assertThat(events).isEmpty();
    assertThat(engine.list(store, SHOP)).isEmpty();
  }

  /** A restore target of kind {@code dir} that writes the plaintext to one file. */
  private record DirectoryTargetOfFile(Path file) implements dev.pledge.backup.source.RestoreTarget {
    @Override public String kind() { return "dir"; }
    @Override public String description() { return "file " + file.getFileName(); }
    @Override public void restoreFrom(java.io.InputStream plaintext) throws IOException {
      Files.write(file, plaintext.readAllBytes());
    }
  }
}
