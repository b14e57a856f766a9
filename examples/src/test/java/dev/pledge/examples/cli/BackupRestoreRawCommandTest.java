package dev.pledge.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code backup restore --raw}: the decrypted backup itself, which for a directory is a tar GNU tar extracts. */
class BackupRestoreRawCommandTest {
  @TempDir Path tmp;
  private String key;
  private String store;
  private Path site;

  @BeforeEach
  void setUp() throws IOException {
    key = tmp.resolve("master.key").toString();
    store = "file:" + tmp.resolve("store");
    site = tmp.resolve("site");
    Files.createDirectories(site.resolve("docs/deep"));
    Files.writeString(site.resolve("docs/a.txt"), "alpha");
    byte[] blob = new byte[200_000];
    new Random(3).nextBytes(blob);
    Files.write(site.resolve("docs/deep/blob.bin"), blob);
    Files.createSymbolicLink(site.resolve("docs/to-deep"), Path.of("deep"));
    Files.setPosixFilePermissions(site.resolve("docs/a.txt"), PosixFilePermissions.fromString("rw-r-----"));
    Files.setLastModifiedTime(site.resolve("docs/a.txt"), FileTime.from(Instant.parse("2025-01-02T03:04:05.678901234Z")));
    assertThat(CliRun.of("backup", "keygen", "--out", key).exitCode()).isZero();
  }

  private String backup(String now) {
    CliRun r = CliRun.of("backup", "run", "--source", "dir:" + site, "--store", store, "--key-file", key,
        "--site", "shop", "--env", "production", "--now", now);
    assertThat(r.exitCode()).as(r.err()).isZero();
    return r.out().trim();
  }

  /** Type, mode, mtime and content hash (or link target) of every path: what GNU tar must give back, owner aside. */
  private static TreeMap<String, String> tree(Path root) throws Exception {
    TreeMap<String, String> tree = new TreeMap<>();
    try (Stream<Path> all = Files.walk(root)) {
      for (Path p : all.filter(p -> !p.equals(root)).toList()) {
        String rel = root.relativize(p).toString();
        if (Files.isSymbolicLink(p)) {
          tree.put(rel, "link " + Files.readSymbolicLink(p));
        } else if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
          tree.put(rel, "dir " + PosixFilePermissions.toString(Files.getPosixFilePermissions(p)));
        } else {
          tree.put(rel, "file " + PosixFilePermissions.toString(Files.getPosixFilePermissions(p)) + " "
              + Files.getLastModifiedTime(p) + " "
              + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p))));
        }
      }
    }
    return tree;
  }

  private static void untar(Path archive, Path into) throws Exception {
    Files.createDirectories(into);
    Process p = new ProcessBuilder("tar", "-xpf", archive.toString(), "-C", into.toString()).redirectErrorStream(true).start();
    String said = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as("tar said: %s", said).isZero();
  }

  @Test
  void restoreRawWritesATarThatGnuTarExtractsToTheOriginalTree() throws Exception {
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/tar")) || Files.isExecutable(Path.of("/bin/tar")),
        "GNU tar is not installed here (it checks what --raw wrote)");
    String id = backup("2026-11-01T06:30:00Z");
    Path raw = tmp.resolve("raw/site.tar");

    CliRun r = CliRun.of("backup", "restore", "--store", store, "--id", id, "--to", "file:" + raw, "--key-file", key,
        "--raw", "--json");

    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.json().get("restored").asText()).isEqualTo(id);
    assertThat(r.json().get("target").asText()).isEqualTo("file:" + raw);
    Path out = tmp.resolve("untarred");
    untar(raw, out);
    assertThat(tree(out)).isEqualTo(tree(site));
  }

  @Test
  void restoreRawToStandardOutputGivesTheSameBytesAndReportsOnStandardError() throws IOException {
    String id = backup("2026-11-01T06:30:00Z");
    Path raw = tmp.resolve("site.tar");
    assertThat(CliRun.of("backup", "restore", "--store", store, "--id", id, "--to", "file:" + raw, "--key-file", key,
        "--raw").exitCode()).isZero();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();

    int code = PledgeCli.run(new String[] {"backup", "restore", "--store", store, "--id", id, "--to", "-", "--key-file", key, "--raw"},
        new ByteArrayInputStream(new byte[0]), new PrintStream(out, true), new PrintStream(err, true, StandardCharsets.UTF_8));

    assertThat(code).as(err.toString(StandardCharsets.UTF_8)).isZero();
    assertThat(out.toByteArray()).isEqualTo(Files.readAllBytes(raw));
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("restored " + id + " into stdout");
  }

  @Test
  void restoreRawAtAnInstantWritesTheNewestDirectoryBackupCompleteByThen() throws IOException {
    String first = backup("2026-11-01T06:30:00Z");
    Files.writeString(site.resolve("docs/a.txt"), "changed");
    String second = backup("2026-11-02T06:30:00Z");
    Path raw = tmp.resolve("at.tar");

    CliRun r = CliRun.of("backup", "restore", "--store", store, "--at", "2026-11-01T12:00:00Z", "--to", "file:" + raw,
        "--key-file", key, "--raw", "--json");

    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.json().get("restored").asText()).isEqualTo(first).isNotEqualTo(second);
    assertThat(new String(Files.readAllBytes(raw), StandardCharsets.ISO_8859_1)).contains("alpha").doesNotContain("changed");
  }

  @Test
  void restoreRawRefusesTargetsItCannotWriteWithExitTwo() throws IOException {
    String id = backup("2026-11-01T06:30:00Z");
    Path existing = Files.writeString(tmp.resolve("keep.tar"), "mine");
    String[][] bad = {
        {"--to", "dir:" + tmp.resolve("d"), "--raw"},
        {"--to", "file:" + existing, "--raw"},
        {"--to", "-", "--raw", "--json"},
    };
    String[] says = {"file:/path", "already exists", "--json"};
    for (int i = 0; i < bad.length; i++) {
      String[] args = new String[] {"backup", "restore", "--store", store, "--id", id, "--key-file", key};
      CliRun r = CliRun.of(concat(args, bad[i]));
      assertThat(r.exitCode()).as(r.err()).isEqualTo(2);
      assertThat(r.err()).contains(says[i]);
      assertThat(r.out()).isEmpty();
    }
    assertThat(existing).hasContent("mine");
    CliRun noDirs = CliRun.of("backup", "restore", "--store", "file:" + Files.createDirectories(tmp.resolve("empty")),
        "--at", "2026-11-01T12:00:00Z", "--to", "file:" + tmp.resolve("x.tar"), "--key-file", key, "--raw");
    assertThat(noDirs.exitCode()).isEqualTo(2);
    assertThat(noDirs.err()).contains("holds no directory backups");
  }

  @Test
  void restoreRawFromAStoreThatDoesNotExistExitsTwoNamingIt() {
    String missing = "file:" + tmp.resolve("no/such");
    List<String[]> runs = List.of(
        new String[] {"--id", "20261101T063000Z-0000aaaa", "--to", "file:" + tmp.resolve("c.tar"), "--raw"},
        new String[] {"--at", "2026-11-01T12:00:00Z", "--to", "file:" + tmp.resolve("d.tar"), "--raw"});
    for (String[] extra : runs) {
      CliRun r = CliRun.of(concat(new String[] {"backup", "restore", "--store", missing, "--key-file", key}, extra));
      assertThat(r.exitCode()).as(String.join(" ", extra) + ": " + r.err()).isEqualTo(2);
      assertThat(r.err()).contains(tmp.resolve("no/such").toString());
    }
    assertThat(tmp.resolve("no")).doesNotExist();
    assertThat(tmp.resolve("c.tar")).doesNotExist();
    assertThat(tmp.resolve("d.tar")).doesNotExist();
  }

  private static String[] concat(String[] a, String[] b) {
    String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }
}
