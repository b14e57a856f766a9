package dev.pledge.backup.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pledge.backup.store.BackupStore;
import dev.pledge.backup.store.S3Location;
import dev.pledge.backup.store.StoreIOException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Multipart uploads on S3Mock with growing parts, several in flight, and parts spilled to disk; a
 * small plan (5 MiB parts doubling every 2 parts) crosses the size steps with tens of MiB.
 */
class S3MultipartUploadTest {
  private static final long MIB = 1L << 20;
  private static final long GIB = 1L << 30;
  private static final PartPlan SMALL_STEPS = new PartPlan(5 * MIB, 2, 5 * GIB);
  private static S3MockServer server;
  private static S3Client client;

  @TempDir Path spill;

  @BeforeAll
  static void startServer() throws IOException {
    server = S3MockServer.start("parts");
    client = server.client();
  }

  @AfterAll
  static void stopServer() {
    if (client != null) {
      client.close();
    }
    if (server != null) {
      server.close();
    }
  }

  private S3Store.Builder store(java.net.URI endpoint, String prefix) {
    return S3Store.builder(S3Location.parse("s3://parts/" + prefix + "?region=eu-west-2&endpoint=" + endpoint))
        .partPlan(SMALL_STEPS).partsInFlight(4).maxMemoryPart(5 * MIB).spillDirectory(spill)
        .retryBackoff(Duration.ofMillis(20));
  }

  /** Writes {@code content} in writes of varied sizes, as the engine's compressor does. */
  private static void writeInPieces(OutputStream out, byte[] content) throws IOException {
    Random sizes = new Random(5);
    int off = 0;
    while (off < content.length) {
      int n = Math.min(content.length - off, 1 + sizes.nextInt(3 << 20));
      out.write(content, off, n);
      off += n;
    }
  }

  @Test
  void partsOfGrowingSizeUploadSeveralAtOnceAndTheObjectReadsBackByteIdentical() throws IOException {
    // 5 + 5 + 10 + 10 + 15 MiB: five parts, the last one of the 20 MiB step; the 10 and 20 MiB ones spill to files
    byte[] content = new byte[(int) (45 * MIB) + 12_345];
    new Random(77).nextBytes(content);
    try (FaultyProxy counting = new FaultyProxy(server.endpoint(), 1L, 0.0, 10_000);
         S3Store store = store(counting.endpoint(), "grow").build()) {
      BackupStore.PendingObject p = store.create("shop/production/big.data");
      writeInPieces(p.stream(), content);
      p.commit();

      assertThat(counting.mostConcurrent()).as("parts in flight at once").isBetween(2, 4);
      try (InputStream in = store.open("shop/production/big.data")) {
        assertThat(in.readAllBytes()).isEqualTo(content);
      }
      String etag = client.headObject(b -> b.bucket("parts").key("grow/shop/production/big.data")).eTag();
      assertThat(etag).as("a multipart object's ETag counts its parts").endsWith("-5\"");
      assertThat(client.listMultipartUploads(b -> b.bucket("parts").prefix("grow/")).uploads()).isEmpty();
      try (Stream<Path> left = Files.list(spill)) {
        assertThat(left).as("spilled parts are deleted").isEmpty();
      }
    }
  }

  @Test
  void anObjectThatEndsWithinItsFirstPartGoesUpInOnePut() throws IOException {
    try (S3Store store = store(server.endpoint(), "small").build()) {
      BackupStore.PendingObject p = store.create("a.data");
      p.stream().write(new byte[] {1, 2, 3});
      p.commit();
      BackupStore.PendingObject empty = store.create("empty.data");
      empty.commit();

      assertThat(client.headObject(b -> b.bucket("parts").key("small/a.data")).eTag()).doesNotContain("-");
      try (InputStream in = store.open("a.data")) {
        assertThat(in.readAllBytes()).containsExactly(1, 2, 3);
      }
      try (InputStream in = store.open("empty.data")) {
        assertThat(in.readAllBytes()).isEmpty();
      }
    }
  }

  @Test
  void aPartThatKeepsFailingFailsTheObjectAndAbortLeavesNoObjectNoUploadNoSpill() throws IOException {
    byte[] content = new byte[(int) (60 * MIB)];
    new Random(3).nextBytes(content);
    try (FaultyProxy proxy = new FaultyProxy(server.endpoint(), 1L, 0.0, 10_000)) {
      // the third part (10 MiB, spilled) is refused with 500 on every attempt
      proxy.rule(line -> line.startsWith("PUT ") && line.contains("partNumber=3&") || line.matches("PUT .*[?&]partNumber=3( |&).*")
          ? FaultyProxy.Fault.ERROR_500 : null);
      try (S3Store store = store(proxy.endpoint(), "fail").retryAttempts(2).build()) {
        BackupStore.PendingObject p = store.create("shop/production/failing.data");

        assertThatThrownBy(() -> {
          writeInPieces(p.stream(), content);
          p.commit();
        }).isInstanceOf(StoreIOException.class).hasMessageContaining("part 3").hasMessageContaining("fail/shop/production/failing.data");
        p.abort();

        assertThat(proxy.injected()).containsKey(FaultyProxy.Fault.ERROR_500);
        assertThat(client.listObjectsV2(b -> b.bucket("parts").prefix("fail/")).contents()).isEmpty();
        assertThat(client.listMultipartUploads(b -> b.bucket("parts").prefix("fail/")).uploads()).isEmpty();
        try (Stream<Path> left = Files.list(spill)) {
          assertThat(left).isEmpty();
        }
        assertThatThrownBy(() -> p.stream().write(1)).isInstanceOf(IllegalStateException.class);
      }
    }
  }
}
