package dev.pledge.backup.retention;

import dev.pledge.core.testing.Requirements;
import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A real S3 API server for the retention and point-in-time tests: Adobe S3Mock's exec jar (the one
 * the backup module's test class path carries) in its own JVM on a free port.
 */
public final class S3MockProcess implements AutoCloseable {
  private final int port;
  private final Process process;
  private final Path log;

  private S3MockProcess(int port, Process process, Path log) {
    this.port = port;
    this.process = process;
    this.log = log;
  }

  /** Starts the server with {@code buckets} created; skips the test (fails under CI) without the jar. */
  public static S3MockProcess start(String... buckets) throws IOException {
    String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path", ""));
    Optional<Path> jar = Arrays.stream(cp.split(File.pathSeparator))
        .filter(p -> p.contains("s3mock") && p.endsWith("-exec.jar")).map(Path::of).filter(Files::isRegularFile).findFirst();
    if (jar.isEmpty()) {
      Requirements.missing("the S3Mock exec jar (com.adobe.testing:s3mock:exec on the test class path)");
    }
    Assumptions.assumeTrue(jar.isPresent());
    int port = Requirements.freePort();
    Path root = Files.createTempDirectory("s3mock-retention");
    Path log = Files.createTempFile("s3mock-retention", ".log");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p = new ProcessBuilder(List.of(java, "-Xmx384m", "-XX:TieredStopAtLevel=1", "-jar", jar.get().toString(),
        "--server.port=0", "--com.adobe.testing.s3mock.http-port=" + port,
        "--com.adobe.testing.s3mock.store.root=" + root, "--com.adobe.testing.s3mock.store.region=eu-west-2",
        "--com.adobe.testing.s3mock.store.initial-buckets=" + String.join(",", buckets)))
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (System.nanoTime() < deadline) {
      if (!p.isAlive()) {
        throw new IllegalStateException("S3Mock exited: " + Files.readString(log));
      }
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return new S3MockProcess(port, p, log);
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
    throw new IllegalStateException("S3Mock did not listen on " + port + " within 120 s");
  }

  /** The server's endpoint. */
  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + port);
  }

  /** A client for the server (the caller closes it). */
  public S3Client client() {
    return S3Client.builder().region(Region.EU_WEST_2).endpointOverride(endpoint()).forcePathStyle(true)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
        .httpClientBuilder(UrlConnectionHttpClient.builder()).build();
  }

  /** The server's log, for failure messages. */
  public String log() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "(unreadable: " + e.getMessage() + ")";
    }
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
