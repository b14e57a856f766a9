package dev.pledge.benchmarks;

import dev.pledge.backup.s3.S3Store;
import dev.pledge.backup.store.BackupStore;
import dev.pledge.backup.store.FileStore;
import dev.pledge.backup.store.S3Location;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Writing one {@code sizeMiB} object of incompressible bytes (what the engine hands a store: encrypted
 * data) through {@code BackupStore.create(...).stream()} and committing it: into the file store
 * ({@code file}), and into S3Store against a local S3Mock server with one part in flight ({@code
 * s3-1}, the old behaviour) and four ({@code s3-4}, the default). S3Mock runs in its own JVM on the
 * same machine, so the S3 figures include the server's own work (checksums, writing each part, then
 * concatenating them on completion). The S3Mock exec jar comes from {@code -Ds3mock.jar=PATH}, else
 * from the local Maven repository (the backup-s3 tests put it there). Single-shot: the score is
 * milliseconds per object; throughput is size / score.
 */
@State(org.openjdk.jmh.annotations.Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2)
@Measurement(iterations = 5)
@Fork(value = 1, jvmArgsAppend = {"-Xmx512m"})
public class S3StoreBenchmark {
  @Param({"file", "s3-1", "s3-4"})
  public String store;

  @Param({"256"})
  public int sizeMiB;

  private Path dir;
  private Process s3mock;
  private BackupStore target;
  private final byte[] chunk = new byte[1 << 20];
  private int objects;
  private String lastKey;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    new Random(1).nextBytes(chunk);
    dir = Files.createTempDirectory("pledge-s3-bench");
    if (store.equals("file")) {
      target = FileStore.at(dir.resolve("store"));
      return;
    }
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    String jar = System.getProperty("s3mock.jar", Path.of(System.getProperty("user.home"),
        ".m2/repository/com/adobe/testing/s3mock/4.12.4/s3mock-4.12.4-exec.jar").toString());
    if (!Files.isRegularFile(Path.of(jar))) {
      throw new IllegalStateException("no S3Mock exec jar at " + jar + "; pass -Ds3mock.jar=PATH");
    }
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    s3mock = new ProcessBuilder(List.of(java, "-Xmx512m", "-jar", jar, "--server.port=0",
        "--com.adobe.testing.s3mock.http-port=" + port, "--com.adobe.testing.s3mock.store.root=" + dir.resolve("s3"),
        "--com.adobe.testing.s3mock.store.region=eu-west-2", "--com.adobe.testing.s3mock.store.initial-buckets=bench"))
        .redirectErrorStream(true).redirectOutput(dir.resolve("s3mock.log").toFile()).start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
    while (true) {
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 200);
        break;
      } catch (IOException notYet) {
        if (!s3mock.isAlive() || System.nanoTime() > deadline) {
          throw new IllegalStateException("S3Mock did not start; see " + dir.resolve("s3mock.log"));
        }
        s3mock.waitFor(250, TimeUnit.MILLISECONDS);
      }
    }
    int inFlight = Integer.parseInt(store.substring("s3-".length()));
    target = S3Store.builder(S3Location.parse("s3://bench/p?region=eu-west-2&endpoint=http://127.0.0.1:" + port))
        .partsInFlight(inFlight).build();
  }

  @Benchmark
  public String writeOneObject() throws IOException {
    lastKey = "shop/production/object-" + objects++ + ".data";
    try (BackupStore.PendingObject p = target.create(lastKey)) {
      OutputStream out = p.stream();
      for (int i = 0; i < sizeMiB; i++) {
        out.write(chunk);
      }
      p.commit();
    }
    return lastKey;
  }

  /** Keeps the server's (and the file store's) disk use to one object. */
  @TearDown(Level.Invocation)
  public void deleteObject() throws IOException {
    if (lastKey != null) {
      target.delete(lastKey);
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() throws Exception {
    if (target instanceof AutoCloseable c) {
      c.close();
    }
    if (s3mock != null) {
      s3mock.destroy();
      if (!s3mock.waitFor(10, TimeUnit.SECONDS)) {
        s3mock.destroyForcibly();
      }
    }
    try (Stream<Path> all = Files.walk(dir)) {
      all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
