package dev.pledge.backup.store;

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
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/** Adobe S3Mock's exec jar, started as a separate JVM on a free port (once per test class). */
final class S3MockServer implements AutoCloseable {
  final int port;
  final Process process;
  final Path root;
  final Path log;

  private S3MockServer(int port, Process process, Path root, Path log) {
    this.port = port;
    this.process = process;
    this.root = root;
    this.log = log;
  }

  static Optional<Path> jar() {
    String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path", ""));
    Optional<Path> onPath = Arrays.stream(cp.split(File.pathSeparator)).filter(p -> p.contains("s3mock") && p.endsWith("-exec.jar"))
        .map(Path::of).filter(Files::isRegularFile).findFirst();
    if (onPath.isPresent()) {
      return onPath;
    }
    Path m2 = Path.of(System.getProperty("user.home"), ".m2/repository/com/adobe/testing/s3mock/4.12.4/s3mock-4.12.4-exec.jar");
    return Files.isRegularFile(m2) ? Optional.of(m2) : Optional.empty();
  }

  static S3MockServer start(String... buckets) throws IOException {
    Optional<Path> jar = jar();
    if (jar.isEmpty()) {
      Requirements.missing("the S3Mock exec jar (com.adobe.testing:s3mock:4.12.4:exec; run the build online once)");
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
    long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    while (System.nanoTime() < deadline) {
      if (!p.isAlive()) {
        throw new IllegalStateException("S3Mock exited: " + Files.readString(log));
      }
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return new S3MockServer(port, p, root, log);
      } catch (IOException notYet) {
        try {
          p.waitFor(250, TimeUnit.MILLISECONDS); // a real server forcing a wait: bounded poll
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
      }
    }
    p.destroyForcibly();
    throw new IllegalStateException("S3Mock did not listen on " + port + " within 120 s");
  }

  URI endpoint() {
    return URI.create("http://127.0.0.1:" + port);
  }

  S3Client client() {
    return S3Client.builder().region(Region.EU_WEST_2).endpointOverride(endpoint()).forcePathStyle(true)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
        .httpClientBuilder(UrlConnectionHttpClient.builder()).build();
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
