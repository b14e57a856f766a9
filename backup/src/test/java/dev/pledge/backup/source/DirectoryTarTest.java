package dev.pledge.backup.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The tar format of directory backups: what it keeps, that GNU tar reads it, and what it refuses. */
class DirectoryTarTest {
  private static final FileTime NANOS = FileTime.from(Instant.parse("2021-02-03T04:05:06.123456789Z"));

  @TempDir Path tmp;
  private Path src;

  @BeforeEach
  void tree() throws IOException {
    src = tmp.resolve("src");
    Files.createDirectories(src.resolve("docs/deep"));
    Files.writeString(src.resolve("docs/a.txt"), "alpha");
    Files.writeString(src.resolve("docs/deep/ünïcode name with a very long name " + "x".repeat(120) + ".txt"), "long");
    Files.createLink(src.resolve("docs/a-hard.txt"), src.resolve("docs/a.txt"));
    Files.createSymbolicLink(src.resolve("docs/to-deep"), Path.of("deep"));
    Files.setPosixFilePermissions(src.resolve("docs/a.txt"), PosixFilePermissions.fromString("rw-r-----"));
    Files.setLastModifiedTime(src.resolve("docs/a.txt"), NANOS);
    Files.setLastModifiedTime(src.resolve("docs/deep"), NANOS);
  }

  private byte[] archive() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    DirectorySource.of(src).writeTo(out);
    return out.toByteArray();
  }

  private static boolean xattrs(Path p) {
    try {
      Files.getFileAttributeView(p, UserDefinedFileAttributeView.class).write("pledge.probe", ByteBuffer.wrap(new byte[] {1}));
      Files.getFileAttributeView(p, UserDefinedFileAttributeView.class).delete("pledge.probe");
      return true;
    } catch (IOException | UnsupportedOperationException e) {
      return false;
    }
  }

  private static byte[] xattr(Path p, String name) throws IOException {
    UserDefinedFileAttributeView v = Files.getFileAttributeView(p, UserDefinedFileAttributeView.class);
    ByteBuffer b = ByteBuffer.allocate(v.size(name));
    v.read(name, b);
    return b.array();
  }

  @Test
  void nanosecondTimesHardLinksOwnersAndAttributesRoundTrip() throws IOException {
    boolean attrs = xattrs(src);
    if (attrs) {
      UserDefinedFileAttributeView v = Files.getFileAttributeView(src.resolve("docs/a.txt"), UserDefinedFileAttributeView.class);
      v.write("checksum", StandardCharsets.UTF_8.encode("sha256:abc"));
      v.write("binary", ByteBuffer.wrap(new byte[] {0, (byte) 0xff, 10, 13}));
    }
    boolean root = ((Integer) Files.getAttribute(src, "unix:uid")) == 0;
    if (root) {
      Files.setAttribute(src.resolve("docs/a.txt"), "unix:uid", 1234);
      Files.setAttribute(src.resolve("docs/a.txt"), "unix:gid", 5678);
    }
    Path out = tmp.resolve("out");

    DirectoryTarget.of(out).restoreFrom(new ByteArrayInputStream(archive()));

    Path a = out.resolve("docs/a.txt");
    assertThat(a).hasContent("alpha");
    assertThat(Files.getLastModifiedTime(a)).isEqualTo(NANOS);
    assertThat(Files.getLastModifiedTime(out.resolve("docs/deep"))).isEqualTo(NANOS);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(a))).isEqualTo("rw-r-----");
    assertThat(Files.getAttribute(a, "unix:ino")).isEqualTo(Files.getAttribute(out.resolve("docs/a-hard.txt"), "unix:ino"));
    assertThat(Files.readSymbolicLink(out.resolve("docs/to-deep"))).isEqualTo(Path.of("deep"));
    try (Stream<Path> s = Files.list(out.resolve("docs/deep"))) {
      assertThat(s.map(p -> p.getFileName().toString()).toList()).containsExactly(
          "ünïcode name with a very long name " + "x".repeat(120) + ".txt");
    }
    if (attrs) {
      assertThat(new String(xattr(a, "checksum"), StandardCharsets.UTF_8)).isEqualTo("sha256:abc");
      assertThat(xattr(a, "binary")).containsExactly(0, 0xff, 10, 13);
    }
    if (root) {
      assertThat(Files.getAttribute(a, "unix:uid")).isEqualTo(1234);
      assertThat(Files.getAttribute(a, "unix:gid")).isEqualTo(5678);
    }
  }

  @Test
  void gnuTarExtractsTheArchiveWithTimesLinksAndAttributes() throws Exception {
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/tar")) || Files.isExecutable(Path.of("/bin/tar")),
        "GNU tar is not installed here");
    boolean attrs = xattrs(src);
    if (attrs) {
      Files.getFileAttributeView(src.resolve("docs/a.txt"), UserDefinedFileAttributeView.class)
          .write("origin", StandardCharsets.UTF_8.encode("shop"));
    }
    Path tar = tmp.resolve("backup.tar");
    Files.write(tar, archive());
    Path out = Files.createDirectories(tmp.resolve("gnu"));

    Process p = new ProcessBuilder("tar", "--xattrs", "--xattrs-include=user.*", "-xpf", tar.toString(), "-C", out.toString())
        .redirectErrorStream(true).start();
    String said = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as(said).isZero();

    Path a = out.resolve("docs/a.txt");
    assertThat(a).hasContent("alpha");
    assertThat(Files.getLastModifiedTime(a)).isEqualTo(NANOS);
    assertThat(Files.getAttribute(a, "unix:ino")).isEqualTo(Files.getAttribute(out.resolve("docs/a-hard.txt"), "unix:ino"));
    assertThat(Files.readSymbolicLink(out.resolve("docs/to-deep"))).isEqualTo(Path.of("deep"));
    if (attrs) {
      assertThat(new String(xattr(a, "origin"), StandardCharsets.UTF_8)).isEqualTo("shop");
    }
  }

  /** A hostile tar: each entry {name, type, link target}, type 'd', 'f', 'l' (symbolic) or 'h' (hard). */
  private static byte[] tar(String... entries) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    try (TarArchiveOutputStream t = new TarArchiveOutputStream(b)) {
      t.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      for (String e : entries) {
        String[] f = e.split(" ", 3);
        TarArchiveEntry te = switch (f[1]) {
          case "d" -> new TarArchiveEntry(f[0], TarConstants.LF_DIR);
          case "l" -> new TarArchiveEntry(f[0], TarConstants.LF_SYMLINK);
          case "h" -> new TarArchiveEntry(f[0], TarConstants.LF_LINK);
          default -> new TarArchiveEntry(f[0], TarConstants.LF_NORMAL);
        };
        byte[] content = "evil".getBytes(StandardCharsets.UTF_8);
        if (f[1].equals("f")) {
          te.setSize(content.length);
        } else if (!f[1].equals("d")) {
          te.setLinkName(f[2]);
        }
        t.putArchiveEntry(te);
        if (f[1].equals("f")) {
          t.write(content);
        }
        t.closeArchiveEntry();
      }
    }
    return b.toByteArray();
  }

  private void assertRefused(byte[] archive) throws IOException {
    Path target = tmp.resolve("victim/out");
    Files.createDirectories(target.getParent());
    assertThatThrownBy(() -> DirectoryTarget.of(target).restoreFrom(new ByteArrayInputStream(archive)))
        .isInstanceOf(IOException.class).hasMessageContaining("refused");
    assertThat(target).doesNotExist();
    try (Stream<Path> s = Files.list(target.getParent())) {
      assertThat(s).isEmpty();
    }
  }

  @Test
  void aLinkToTheRootThenALinkClimbingThroughItIsRefused() throws IOException {
    // textually a/b/../../outside stays inside; through a -> . it is the root's parent
    assertRefused(tar("./ d", "./a l .", "./a/b/p l ../../outside"));
    assertRefused(tar("./ d", "./a l .", "./c l a/.."));
    assertRefused(tar("./ d", "./c l a/..", "./a l ."));
    assertRefused(tar("./ d", "./x l y", "./y l z", "./z l ../outside"));
  }

  @Test
  void entriesThroughLinksLoopsAndStrayHardLinksAreRefused() throws IOException {
    assertRefused(tar("./ d", "./d l /tmp"));
    assertRefused(tar("./ d", "./in d", "./in/x l ../.."));
    assertRefused(tar("./ d", "./a l sub", "./a/file f"));
    assertRefused(tar("./ d", "./a/file f", "./a l sub"));
    assertRefused(tar("./ d", "./x l y", "./y l x", "./z l x/file"));
    assertRefused(tar("./ d", "./h h ../outside"));
    assertRefused(tar("./ d", "./h h missing"));
    assertRefused(tar("./ d", "./l l sub", "./h h l"));
    assertRefused(tar("../escaped f"));
  }

  @Test
  void chainsOfLinksThatStayInsideAreKept() throws IOException {
    Path out = tmp.resolve("ok");
    DirectoryTarget.of(out).restoreFrom(new ByteArrayInputStream(tar(
        "./ d", "./d/e/f.txt f", "./x l y", "./y l d/e", "./up l d/e/../../x/f.txt", "./dangling l nowhere/inside")));
    assertThat(out.resolve("x/f.txt")).hasContent("evil");
    assertThat(out.resolve("up")).hasContent("evil");
    assertThat(Files.isSymbolicLink(out.resolve("dangling"))).isTrue();
    assertThat(out.resolve("dangling").toRealPath(LinkOption.NOFOLLOW_LINKS).startsWith(out.toRealPath())).isTrue();
    assertThat(List.of(Files.readSymbolicLink(out.resolve("x")).toString())).containsExactly("y");
  }

  @Test
  void restoredEntriesAreAccessedWhenTheTargetsClockSaysTheyWereRestored() throws IOException {
    Instant restoredAt = Instant.parse("2026-11-21T03:13:45.123456789Z");
    Path out = tmp.resolve("clocked");
    DirectoryTarget.of(out, java.time.Clock.fixed(restoredAt, java.time.ZoneOffset.UTC))
        .restoreFrom(new ByteArrayInputStream(archive()));
    for (String rel : List.of("docs/a.txt", "docs/deep")) {
      java.nio.file.attribute.BasicFileAttributes a = Files.readAttributes(out.resolve(rel),
          java.nio.file.attribute.BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      assertThat(a.lastAccessTime()).as(rel).isEqualTo(FileTime.from(restoredAt));
      assertThat(a.lastModifiedTime()).as(rel).isEqualTo(NANOS);
    }
  }

  @Test
  void manySmallFilesGoToTheWritersAndAHardLinkWaitsForItsTarget() throws IOException {
    Path many = tmp.resolve("many");
    java.util.Random rnd = new java.util.Random(18);
    for (int i = 0; i < 300; i++) {
      Path f = many.resolve("d" + (i / 50) + "/f-" + i + ".txt");
      Files.createDirectories(f.getParent());
      byte[] body = new byte[i * 37];
      rnd.nextBytes(body);
      Files.write(f, body);
      Files.setLastModifiedTime(f, FileTime.fromMillis(1_600_000_000_000L + i * 1001L));
    }
    byte[] large = new byte[Extractor.SMALL * 3 + 5];
    rnd.nextBytes(large);
    Files.write(many.resolve("large.bin"), large);
    Files.createLink(many.resolve("zz-hard.txt"), many.resolve("d5/f-299.txt"));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    DirectorySource.of(many).writeTo(out);

    Path restored = tmp.resolve("restored");
    DirectoryTarget.of(restored).restoreFrom(new ByteArrayInputStream(out.toByteArray()));

    for (int i = 0; i < 300; i++) {
      String rel = "d" + (i / 50) + "/f-" + i + ".txt";
      assertThat(Files.readAllBytes(restored.resolve(rel))).as(rel).isEqualTo(Files.readAllBytes(many.resolve(rel)));
      assertThat(Files.getLastModifiedTime(restored.resolve(rel))).as(rel).isEqualTo(FileTime.fromMillis(1_600_000_000_000L + i * 1001L));
    }
    assertThat(Files.readAllBytes(restored.resolve("large.bin"))).isEqualTo(large);
    assertThat(Files.isSameFile(restored.resolve("zz-hard.txt"), restored.resolve("d5/f-299.txt"))).isTrue();
  }

  @Test
  void aFileAWriterCannotStampFailsTheRestoreAndLeavesNothing() throws IOException {
    assumeTrue(xattrs(tmp), "the temporary folder's file system keeps no user extended attributes");
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    try (TarArchiveOutputStream t = new TarArchiveOutputStream(b)) {
      t.putArchiveEntry(new TarArchiveEntry("./", TarConstants.LF_DIR));
      t.closeArchiveEntry();
      for (int i = 0; i < 50; i++) {
        TarArchiveEntry e = new TarArchiveEntry("./f-" + i + ".txt", TarConstants.LF_NORMAL);
        if (i == 7) {
          // Linux refuses attribute names over 255 bytes, on the writer thread that stamps the file
          e.addPaxHeader("SCHILY.xattr.user." + "n".repeat(300), "v");
        }
        e.setSize(4);
        t.putArchiveEntry(e);
        t.write("body".getBytes(StandardCharsets.UTF_8));
        t.closeArchiveEntry();
      }
    }
    Path target = tmp.resolve("victim/out");
    Files.createDirectories(target.getParent());
    assertThatThrownBy(() -> DirectoryTarget.of(target).restoreFrom(new ByteArrayInputStream(b.toByteArray())))
        .isInstanceOf(IOException.class);
    assertThat(target).doesNotExist();
    try (Stream<Path> s = Files.list(target.getParent())) {
      assertThat(s).isEmpty();
    }
  }
}
