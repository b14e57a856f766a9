package dev.pledge.backup.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pledge.core.time.MutableClock;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The file store's cleanup of partial files: only those abandoned for longer than the threshold. */
class FileStoreTest {
  private static final Instant T0 = Instant.parse("2026-11-01T06:30:00Z");

  @TempDir Path tmp;
  private MutableClock clock;

  @BeforeEach
  void setUp() {
    clock = MutableClock.at(T0);
  }

  /** Starts a write, as another node would, and stamps its partial file as last written at {@code lastWrite}. */
  private static Pending startWrite(FileStore store, String key, Instant lastWrite) throws IOException {
    BackupStore.PendingObject p = store.create(key);
    p.stream().write("first half;".getBytes(StandardCharsets.UTF_8));
    p.stream().flush();
    Path partial = partials(store).stream().filter(f -> f.getFileName().toString().startsWith("." + Path.of(key).getFileName()))
        .findFirst().orElseThrow();
    Files.setLastModifiedTime(partial, FileTime.from(lastWrite));
    return new Pending(p, partial);
  }

  private record Pending(BackupStore.PendingObject object, Path partial) {}

  private static List<Path> partials(FileStore store) throws IOException {
    try (Stream<Path> s = Files.walk(store.root())) {
      return s.filter(f -> f.getFileName().toString().endsWith(".partial")).toList();
    }
  }

  @Test
  void aLiveWriteOfAnotherNodeSurvivesCleanupAndStillCommits() throws IOException {
    FileStore store = FileStore.builder(tmp.resolve("shared")).clock(clock).build();
    FileStore otherNode = FileStore.builder(tmp.resolve("shared")).clock(clock).build();
    Pending live = startWrite(otherNode, "shop/production/20261101T063000Z-0000aaaa.data", T0.minusSeconds(5));

    clock.advance(Duration.ofHours(23).plusMinutes(59));
    assertThat(store.cleanUpIncomplete()).isZero();
    assertThat(live.partial()).exists();

    live.object().stream().write("second half".getBytes(StandardCharsets.UTF_8));
    live.object().commit();
    assertThat(store.list("")).containsExactly("shop/production/20261101T063000Z-0000aaaa.data");
    assertThat(store.open("shop/production/20261101T063000Z-0000aaaa.data").readAllBytes())
        .asString(StandardCharsets.UTF_8).isEqualTo("first half;second half");
    assertThat(partials(store)).isEmpty();
  }

  @Test
  void aPartialFileUnwrittenForTheDefault24HoursIsDeleted() throws IOException {
    FileStore store = FileStore.builder(tmp.resolve("store")).clock(clock).build();
    Pending crashed = startWrite(store, "shop/production/20261101T063000Z-0000aaaa.data", T0);
    Pending recent = startWrite(store, "shop/production/20261102T063000Z-0000bbbb.data", T0.plus(Duration.ofHours(1)));

    clock.advance(Duration.ofHours(24).minusSeconds(1));
    assertThat(store.cleanUpIncomplete()).isZero();
    clock.advance(Duration.ofSeconds(1)); // exactly 24 h after the crashed write's last byte
    assertThat(store.cleanUpIncomplete()).isEqualTo(1);
    assertThat(crashed.partial()).doesNotExist();
    assertThat(recent.partial()).exists();
    assertThat(store.list("")).isEmpty();

    clock.advance(Duration.ofHours(1));
    assertThat(store.cleanUpIncomplete()).isEqualTo(1);
    assertThat(partials(store)).isEmpty();
    assertThat(store.cleanUpIncomplete()).isZero();
  }

  @Test
  void theThresholdIsConfigurable() throws IOException {
    FileStore store = FileStore.builder(tmp.resolve("store")).clock(clock).incompleteWriteAge(Duration.ofMinutes(30)).build();
    Pending crashed = startWrite(store, "a/b/c.data", T0);

    clock.advance(Duration.ofMinutes(29));
    assertThat(store.cleanUpIncomplete()).isZero();
    clock.advance(Duration.ofMinutes(1));
    assertThat(store.cleanUpIncomplete()).isEqualTo(1);
    assertThat(crashed.partial()).doesNotExist();

    FileStore immediate = FileStore.builder(tmp.resolve("store")).clock(clock).incompleteWriteAge(Duration.ZERO).build();
    startWrite(immediate, "a/b/d.data", clock.instant());
    assertThat(immediate.cleanUpIncomplete()).as("zero: every partial file not written in the future").isEqualTo(1);
  }

  @Test
  void committedObjectsAndForeignFilesAreNeverTouched() throws IOException {
    FileStore store = FileStore.builder(tmp.resolve("store")).clock(clock).incompleteWriteAge(Duration.ZERO).build();
    store.put("shop/production/x.manifest.json", "{}".getBytes(StandardCharsets.UTF_8));
    Files.writeString(tmp.resolve("store/shop/.notes"), "kept");
    Files.setLastModifiedTime(tmp.resolve("store/shop/production/x.manifest.json"), FileTime.from(T0.minus(Duration.ofDays(400))));

    clock.advance(Duration.ofDays(30));
    assertThat(store.cleanUpIncomplete()).isZero();
    assertThat(store.list("")).containsExactly("shop/production/x.manifest.json");
    assertThat(tmp.resolve("store/shop/.notes")).hasContent("kept");
  }

  @Test
  void aNegativeThresholdIsRefusedNamingIt() {
    assertThatThrownBy(() -> FileStore.builder(tmp).incompleteWriteAge(Duration.ofHours(-1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("incompleteWriteAge").hasMessageContaining("PT-1H");
    assertThatThrownBy(() -> FileStore.builder(tmp).incompleteWriteAge(null))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("incompleteWriteAge");
    assertThatThrownBy(() -> FileStore.builder(tmp).clock(null)).isInstanceOf(NullPointerException.class).hasMessage("clock");
    assertThatThrownBy(() -> FileStore.builder(null)).isInstanceOf(NullPointerException.class).hasMessage("root");
  }

  @Test
  void aStoreWithoutItsDirectoryHasNothingToCleanUp() throws IOException {
    assertThat(FileStore.builder(tmp.resolve("absent")).clock(clock).build().cleanUpIncomplete()).isZero();
    assertThat(FileStore.at(tmp.resolve("absent")).location()).isEqualTo("file:" + tmp.resolve("absent"));
  }
}
