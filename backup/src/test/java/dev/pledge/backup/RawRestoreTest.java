package dev.pledge.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.pledge.backup.crypto.LocalKeyWrapper;
import dev.pledge.backup.source.DirectorySource;
import dev.pledge.backup.source.DirectoryTarget;
import dev.pledge.backup.source.RawTarget;
import dev.pledge.backup.store.FileStore;
import dev.pledge.core.Scope;
import dev.pledge.core.audit.AuditOutcome;
import dev.pledge.core.audit.AuditRecord;
import dev.pledge.core.audit.AuditTrail;
import dev.pledge.core.audit.InMemoryAuditTrail;
import dev.pledge.core.time.MutableClock;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A raw restore writes the decrypted backup itself: for a directory, a tar GNU tar extracts to the tree. */
class RawRestoreTest {
  private static final Scope SCOPE = Scope.of("shop", "production");
  private static final FileTime MTIME = FileTime.from(Instant.parse("2024-06-07T08:09:10.123456789Z"));

  @TempDir Path tmp;
  private InMemoryAuditTrail audit;
  private BackupEngine engine;
  private FileStore store;
  private Path site;

  @BeforeEach
  void setUp() throws IOException {
    audit = AuditTrail.inMemory();
    engine = BackupEngine.builder(LocalKeyWrapper.generate(tmp.resolve("master.key")))
        .clock(MutableClock.at(Instant.parse("2026-11-01T06:30:00Z"))).auditTrail(audit).build();
    store = FileStore.at(tmp.resolve("store"));
    site = tmp.resolve("site");
    Files.createDirectories(site.resolve("uploads/2026"));
    Files.writeString(site.resolve("index.html"), "<h1>shop</h1>");
    byte[] photo = new byte[300_000];
    new Random(7).nextBytes(photo);
    Files.write(site.resolve("uploads/2026/photo.bin"), photo);
    Files.createFile(site.resolve("empty.txt"));
    Files.createLink(site.resolve("index-hard.html"), site.resolve("index.html"));
    Files.createSymbolicLink(site.resolve("latest"), Path.of("uploads/2026"));
    Files.setPosixFilePermissions(site.resolve("index.html"), PosixFilePermissions.fromString("rw-r-----"));
    Files.setLastModifiedTime(site.resolve("uploads/2026/photo.bin"), MTIME);
  }

  /** Every path under {@code root} with what identifies it apart from its owner: type, mode, content or link, mtime. */
  private static TreeMap<String, String> describe(Path root) throws IOException {
    TreeMap<String, String> tree = new TreeMap<>();
    try (Stream<Path> all = Files.walk(root)) {
      for (Path p : all.filter(p -> !p.equals(root)).toList()) {
        String rel = root.relativize(p).toString();
        if (Files.isSymbolicLink(p)) {
          tree.put(rel, "link -> " + Files.readSymbolicLink(p));
          continue;
        }
        String mode = PosixFilePermissions.toString(Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS));
        String mtime = Files.getLastModifiedTime(p, LinkOption.NOFOLLOW_LINKS).toString();
        if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
          tree.put(rel, "dir " + mode);
        } else {
          tree.put(rel, "file " + mode + " " + mtime + " " + java.util.HexFormat.of().formatHex(
              java.security.MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p))));
        }
      }
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    return tree;
  }

  private static void gnuTarExtract(Path archive, Path into) throws Exception {
    Files.createDirectories(into);
    Process p = new ProcessBuilder("tar", "-xpf", archive.toString(), "-C", into.toString()).redirectErrorStream(true).start();
    String said = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as("tar said: %s", said).isZero();
  }

  private static void assumeGnuTar() {
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/tar")) || Files.isExecutable(Path.of("/bin/tar")),
        "GNU tar is not installed here (it checks what a raw restore wrote)");
  }

  @Test
  void aRawDirectoryBackupIsATarThatGnuTarExtractsToTheOriginalTree() throws Exception {
    assumeGnuTar();
    BackupManifest m = engine.backup(DirectorySource.of(site), SCOPE, List.of(store));
    Path raw = tmp.resolve("out/backup.tar");

    engine.restore(store, m.id(), RawTarget.file(raw));

    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(raw))).as("the plaintext is its owner's only")
        .isEqualTo("rw-------");
    assertThat(Files.size(raw)).isEqualTo(m.plaintextBytes());
    try (Stream<Path> s = Files.list(raw.getParent())) {
      assertThat(s).as("no staging file left").containsExactly(raw);
    }
    Path extracted = tmp.resolve("extracted");
    gnuTarExtract(raw, extracted);
    assertThat(describe(extracted)).isEqualTo(describe(site));
    assertThat(Files.getAttribute(extracted.resolve("index.html"), "unix:ino"))
        .isEqualTo(Files.getAttribute(extracted.resolve("index-hard.html"), "unix:ino"));
    assertThat(audit.records()).extracting(AuditRecord::action, AuditRecord::outcome).last()
        .isEqualTo(org.assertj.core.groups.Tuple.tuple("backup.restore", AuditOutcome.SUCCESS));
    assertThat(audit.records().get(audit.records().size() - 1).details()).containsEntry("target", "file:" + raw);
  }

  @Test
  void aRawRestoreToAStreamGivesTheSameBytesTheSourceWrote() throws IOException {
    BackupManifest m = engine.backup(DirectorySource.of(site), SCOPE, List.of(store));
    ByteArrayOutputStream out = new ByteArrayOutputStream();

    engine.restore(store, m.id(), RawTarget.stream(out, "stdout"));

    ByteArrayOutputStream written = new ByteArrayOutputStream();
    DirectorySource.of(site).writeTo(written);
    assertThat(out.toByteArray()).isEqualTo(written.toByteArray());
  }

  @Test
  void aRawRestoreOfAnAlteredBackupLeavesNoFileAndAnExistingFileIsNeverReplaced() throws IOException {
    BackupManifest m = engine.backup(DirectorySource.of(site), SCOPE, List.of(store));
    Path existing = Files.writeString(tmp.resolve("keep.tar"), "mine");
    assertThatThrownBy(() -> engine.restore(store, m.id(), RawTarget.file(existing)))
        .isInstanceOf(BackupException.class).hasMessageContaining("already exists");
    assertThat(existing).hasContent("mine");

    Path data = store.root().resolve(m.dataObject());
    byte[] stored = Files.readAllBytes(data);
    stored[stored.length / 2] ^= 1;
    Files.write(data, stored);
    Path raw = tmp.resolve("out/altered.tar");
    ByteArrayOutputStream streamed = new ByteArrayOutputStream();

    assertThatThrownBy(() -> engine.restore(store, m.id(), RawTarget.file(raw))).isInstanceOf(BackupIntegrityException.class);
    assertThatThrownBy(() -> engine.restore(store, m.id(), RawTarget.stream(streamed, "stdout")))
        .isInstanceOf(BackupIntegrityException.class);
    assertThat(raw).doesNotExist();
    if (Files.exists(raw.getParent())) {
      try (Stream<Path> s = Files.list(raw.getParent())) {
        assertThat(s).as("no staging file left").isEmpty();
      }
    }
    assertThat(streamed.size()).as("nothing reaches a stream before the whole backup verified").isZero();
  }

  @Test
  void anOrdinaryTargetOfAnotherKindIsStillRefused() {
    BackupManifest m = engine.backup(DirectorySource.of(site), SCOPE, List.of(store));
    dev.pledge.backup.source.RestoreTarget database = new dev.pledge.backup.source.RestoreTarget() {
      @Override public String kind() { return "postgres"; }
      @Override public String description() { return "postgres:test"; }
      @Override public void restoreFrom(java.io.InputStream in) { }
    };
    assertThatThrownBy(() -> engine.restore(store, m.id(), database)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'dir'");
    assertThat(DirectoryTarget.of(tmp.resolve("x")).accepts("dir")).isTrue();
    assertThat(RawTarget.file(tmp.resolve("y")).accepts("postgres")).isTrue();
  }
}
