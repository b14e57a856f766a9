package dev.pledge.backup.s3;

import dev.pledge.core.testing.Requirements;
import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A real S3 API server for the backup module's tests: Adobe S3Mock's standalone exec jar, started in
 * its own JVM on a free port with the given buckets in region eu-west-2. The one helper every S3
 * test (stores, fault injection, retention, point-in-time restore) starts its server with.
 *
 * <p>Without the jar the test is skipped, or fails under {@code CI=true} ({@link Requirements}).
 * Closing stops the process and removes its storage directory.
 */
public final class S3MockServer implements AutoCloseable {
  private static final String VERSION = "4.12.4"; // the parent POM's s3mock.version, for the ~/.m2 fallback
  private static final Duration STARTUP = Duration.ofSeconds(120);

  private final int port;
  private final Process process;
  private final Path root;
  private final Path log;

  private S3MockServer(int port, Process process, Path root, Path log) {
    this.port = port;
    this.process = process;
    this.root = root;
    this.log = log;
  }

  /** The exec jar: from the test class path, else from the local Maven repository. */
  public static Optional<Path> jar() {
    String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path", ""));
    Optional<Path> onPath = Arrays.stream(cp.split(File.pathSeparator))
        .filter(p -> p.contains("s3mock") && p.endsWith("-exec.jar"))
        .map(Path::of).filter(Files::isRegularFile).findFirst();
    if (onPath.isPresent()) {
      return onPath;
    }
    Path m2 = Path.of(System.getProperty("user.home"), ".m2/repository/com/adobe/testing/s3mock", VERSION,
        "s3mock-" + VERSION + "-exec.jar");
    return Files.isRegularFile(m2) ? Optional.of(m2) : Optional.empty();
  }

  /**
   * Starts a server with {@code buckets} created and waits (a bounded poll of the real process, at
   * most 120 s) until it accepts connections.
   *
   * @throws IllegalStateException with the server's log when it exits or never listens
   */
  public static S3MockServer start(String... buckets) throws IOException {
    Optional<Path> jar = jar();
    if (jar.isEmpty()) {
      Requirements.missing("the S3Mock exec jar (com.adobe.testing:s3mock:" + VERSION + ":exec; run the build online once)");
    }
    Assumptions.assumeTrue(jar.isPresent());
    int port = Requirements.freePort();
    Path root = Files.createTempDirectory("s3mock-root");
    Path log = Files.createTempFile("s3mock", ".log");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p = new ProcessBuilder(List.of(java, "-Xmx384m", "-XX:TieredStopAtLevel=1", "-jar", jar.get().toString(),
        "--server.port=0", "--com.adobe.testing.s3mock.http-port=" + port,
        "--com.adobe.testing.s3mock.store.root=" + root,
        "--com.adobe.testing.s3mock.store.region=eu-west-2",
        "--com.adobe.testing.s3mock.store.initial-buckets=" + String.join(",", buckets)))
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    long deadline = System.nanoTime() + STARTUP.toNanos();
    while (System.nanoTime() < deadline) {
      if (!p.isAlive()) {
        throw new IllegalStateException("S3Mock exited with " + p.exitValue() + ": " + Files.readString(log));
      }
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return new S3MockServer(port, p, root, log);
      } catch (IOException notYet) {
        try {
          p.waitFor(250, TimeUnit.MILLISECONDS); // the server starts at its own pace: bounded poll
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
      }
    }
    p.destroyForcibly();
    throw new IllegalStateException("S3Mock did not listen on " + port + " within " + STARTUP.toSeconds()
        + " s; its log: " + Files.readString(log));
  }

  /** The port the server listens on (127.0.0.1). */
  public int port() {
    return port;
  }

  /** The server's endpoint, {@code http://127.0.0.1:port}. */
  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + port);
  }

  /** A path-style client for the server in eu-west-2; the caller closes it. */
  public S3Client client() {
    return S3Client.builder().region(Region.EU_WEST_2).endpointOverride(endpoint()).forcePathStyle(true)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
        .httpClientBuilder(UrlConnectionHttpClient.builder()).build();
  }

  /** The server's output so far, for failure messages. */
  public String log() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "(unreadable: " + e.getMessage() + ")";
    }
  }

  /** Stops the server (forcibly after 10 s) and removes its storage directory and log. */
  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
    try (Stream<Path> files = Files.walk(root)) {
      files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    } catch (IOException ignored) {
      // a temp directory; what is left is harmless
    }
    log.toFile().delete();
  }
}
