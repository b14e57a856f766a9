package dev.pledge.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pledge.core.internal.Json;
import dev.pledge.core.testing.Requirements;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code ./pledge} launcher's class-data sharing archive: the first run of a command dumps it
 * without a word on stdout, the second maps it, and a damaged one is dumped again instead of failing
 * the command.
 *
 * <p>The launcher runs from a copy of the repository's script beside a {@code pledge.jar} this test
 * makes from its own class path (the shaded jar is only built after the tests): the classes of the
 * project's modules packed into one jar whose manifest names the dependencies' jars, since the JVM
 * archives classes from jars only.
 */
class LauncherClassSharingTest {
  @TempDir
  Path tmp;

  private Path launcher;
  private Path cds;

  @BeforeEach
  void copyTheLauncher() throws IOException {
    Requirements.requireCommand("bash", "apt-get install bash");
    Path script = Path.of("").toAbsolutePath().getParent().resolve("pledge");
    assertThat(script).as("the repository's launcher").exists();
    Path repo = tmp.resolve("repo");
    Files.createDirectories(repo.resolve("examples/target"));
    launcher = Files.copy(script, repo.resolve("pledge"), StandardCopyOption.COPY_ATTRIBUTES);
    packJar(repo.resolve("examples/target/pledge.jar"));
    cds = repo.resolve("examples/target/cds");
  }

  @Test
  void theSecondRunMapsTheArchiveTheFirstDumpedAndStdoutStaysOneJsonDocument() throws Exception {
    Path key = tmp.resolve("key");
    assertThat(CliRun.of("backup", "keygen", "--out", key.toString()).exitCode()).isZero();
    Path site = Files.createDirectories(tmp.resolve("site"));
    Files.writeString(site.resolve("a.txt"), "alpha\n");
    String store = "file:" + tmp.resolve("store");
    List<String> backup = List.of("backup", "run", "--site", "shop", "--source", "dir:" + site, "--store", store,
        "--key-file", key.toString(), "--json");

    Run first = launch(backup, null);
    assertThat(first.exit()).as(first.err()).isZero();
    assertThat(first.json().get("id").asText()).as(first.out()).isNotEmpty();
    assertThat(archives()).as("dumped by the first run of 'backup run'").hasSize(1);
    assertThat(archives().get(0).getFileName().toString()).startsWith("pledge-backup-run-");
    try (Stream<Path> left = Files.list(cds)) {
      assertThat(left.filter(p -> p.toString().endsWith(".tmp"))).as("no half-written archive left").isEmpty();
    }

    Path classLog = tmp.resolve("classes.log");
    Run second = launch(backup, "-XX:+UseSerialGC -Xlog:class+load=info:file=" + classLog);
    assertThat(second.exit()).as(second.err()).isZero();
    assertThat(second.json().get("id").asText()).isNotEqualTo(first.json().get("id").asText());
    String loaded = Files.readString(classLog);
    assertThat(loaded).as("the CLI's classes come from the dynamic archive")
        .contains("dev.pledge.examples.cli.PledgeCli source: shared objects file (top)");

    // cut short, as a full disk or an interrupted copy would leave it: the JVM would die of SIGBUS
    // mapping it, so the launcher dumps it again and the command runs as usual
    Path archive = archives().get(0);
    archive.toFile().setWritable(true);
    try (var ch = java.nio.channels.FileChannel.open(archive, java.nio.file.StandardOpenOption.WRITE)) {
      ch.truncate(ch.size() / 3);
    }
    Run third = launch(backup, null);
    assertThat(third.exit()).as(third.err()).isZero();
    assertThat(third.json().get("id").asText()).isNotEmpty();
    assertThat(third.err()).doesNotContain("fatal error");

    // of the size recorded but not an archive: the JVM's own checks refuse it and the command runs
    Path again = archives().get(0);
    again.toFile().setWritable(true);
    byte[] noise = new byte[(int) Files.size(again)];
    new java.util.Random(18).nextBytes(noise);
    Files.write(again, noise);
    Run fourth = launch(backup, null);
    assertThat(fourth.exit()).as(fourth.err()).isZero();
    assertThat(fourth.json().get("id").asText()).isNotEmpty();
  }

  @Test
  void aCommandReadsItsStandardInputWhileTheArchiveIsDumped() throws Exception {
    ProcessBuilder pb = new ProcessBuilder("bash", launcher.toString(), "password", "check", "--json");
    Process p = start(pb, null);
    try (OutputStream in = p.getOutputStream()) {
      in.write("a".getBytes(StandardCharsets.UTF_8));
    }
    Run run = finish(p, "password check");
    assertThat(run.exit()).as(run.err()).isEqualTo(1);
    assertThat(run.json().get("valid").asBoolean()).isFalse();
    assertThat(archives()).hasSize(1);
  }

  private List<Path> archives() throws IOException {
    if (!Files.isDirectory(cds)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(cds)) {
      return files.filter(p -> p.toString().endsWith(".jsa")).sorted().toList();
    }
  }

  private Run launch(List<String> args, String javaOpts) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("bash", launcher.toString()));
    cmd.addAll(args);
    Process p = start(new ProcessBuilder(cmd), javaOpts);
    p.getOutputStream().close();
    return finish(p, String.join(" ", args));
  }

  private Process start(ProcessBuilder pb, String javaOpts) throws IOException {
    // the java of this test, first on the PATH the launcher searches
    Path javaBin = Path.of(System.getProperty("java.home"), "bin");
    pb.environment().put("PATH", javaBin + File.pathSeparator + System.getenv("PATH"));
    pb.environment().remove("PLEDGE_CDS");
    if (javaOpts == null) {
      pb.environment().remove("PLEDGE_JAVA_OPTS");
    } else {
      pb.environment().put("PLEDGE_JAVA_OPTS", javaOpts);
    }
    pb.redirectOutput(tmp.resolve("out.txt").toFile()).redirectError(tmp.resolve("err.txt").toFile());
    return pb.start();
  }

  private Run finish(Process p, String what) throws Exception {
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("pledge " + what + " did not finish within 120 s");
    }
    return new Run(p.exitValue(), Files.readString(tmp.resolve("out.txt")), Files.readString(tmp.resolve("err.txt")));
  }

  /** One launcher run: exit status, stdout, stderr. */
  private record Run(int exit, String out, String err) {
    JsonNode json() {
      try {
        return Json.mapper().readTree(out);
      } catch (IOException e) {
        throw new AssertionError("stdout is not one JSON document: " + out + "\nstderr: " + err, e);
      }
    }
  }

  /**
   * The class path's folders packed into {@code jar} (service files of the same name concatenated),
   * its jars named by the manifest's Class-Path.
   */
  private static void packJar(Path jar) throws IOException {
    Manifest manifest = new Manifest();
    Attributes main = manifest.getMainAttributes();
    main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
    main.put(Attributes.Name.MAIN_CLASS, PledgeCli.class.getName());
    List<String> classPath = new ArrayList<>();
    List<Path> folders = new ArrayList<>();
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      Path p = Path.of(entry).toAbsolutePath();
      if (Files.isDirectory(p)) {
        folders.add(p);
      } else if (Files.isRegularFile(p)) {
        classPath.add(p.toUri().toString());
      }
    }
    main.put(Attributes.Name.CLASS_PATH, String.join(" ", classPath));
    Map<String, byte[]> entries = new LinkedHashMap<>();
    for (Path folder : folders) {
      try (Stream<Path> files = Files.walk(folder)) {
        for (Path f : files.filter(Files::isRegularFile).toList()) {
          String name = folder.relativize(f).toString().replace(File.separatorChar, '/');
          if (name.equals("module-info.class") || name.equals("META-INF/MANIFEST.MF")) {
            continue;
          }
          byte[] bytes = Files.readAllBytes(f);
          if (name.startsWith("META-INF/services/") && entries.containsKey(name)) {
            byte[] before = entries.get(name);
            byte[] both = new byte[before.length + 1 + bytes.length];
            System.arraycopy(before, 0, both, 0, before.length);
            both[before.length] = '\n';
            System.arraycopy(bytes, 0, both, before.length + 1, bytes.length);
            entries.put(name, both);
          } else {
            entries.putIfAbsent(name, bytes);
          }
        }
      }
    }
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), manifest)) {
      for (Map.Entry<String, byte[]> e : entries.entrySet()) {
        out.putNextEntry(new JarEntry(e.getKey()));
        out.write(e.getValue());
        out.closeEntry();
      }
    }
  }
}
