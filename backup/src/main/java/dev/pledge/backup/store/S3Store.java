package dev.pledge.backup.store;

import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;

/**
 * A store in Amazon S3 or an S3-compatible server ({@code s3://bucket/prefix?region=eu-west-2}).
 * Large objects stream as multipart uploads of {@value #PART_SIZE_MIB} MiB parts (memory per pending
 * object is one part), each part carrying a CRC32 checksum the server verifies; small objects go in one
 * PUT. Each part upload is retried with exponential backoff by a resilience4j {@link Retry} on top of
 * the SDK's own retries, since a part's bytes are held and can be re-sent. An object becomes visible
 * only when the upload completes; {@link #cleanUpIncomplete()} aborts unfinished uploads. With an
 * {@code endpoint}, path-style access is used. Thread-safe. P8, P10.
 */
public final class S3Store implements BackupStore {
  static final int PART_SIZE_MIB = 8;
  private static final int PART_SIZE = PART_SIZE_MIB << 20;

  private final S3Location location;
  private final S3Client s3;
  private final Retry retry;

  private S3Store(S3Location location, S3Client s3) {
    this.location = Objects.requireNonNull(location, "location");
    this.s3 = Objects.requireNonNull(s3, "s3");
    this.retry = Retry.of("s3-" + location.bucket(), RetryConfig.custom()
        .maxAttempts(4)
        .intervalFunction(IntervalFunction.ofExponentialBackoff(Duration.ofMillis(200), 2.0))
        .retryExceptions(SdkException.class)
        .build());
  }

  /**
   * A store at {@code location} with a client of its own: credentials from the default AWS chain
   * (environment, profile, instance role); against a custom endpoint without {@code AWS_ACCESS_KEY_ID}
   * set, a fixed local credential is used, as S3-compatible test servers accept any.
   */
  public static S3Store create(S3Location location) {
    AwsCredentialsProvider credentials = location.endpoint() != null && System.getenv("AWS_ACCESS_KEY_ID") == null
        ? StaticCredentialsProvider.create(AwsBasicCredentials.create("pledge-local", "pledge-local"))
        : DefaultCredentialsProvider.builder().build();
    var builder = S3Client.builder()
        .region(Region.of(location.region()))
        .credentialsProvider(credentials)
        .httpClientBuilder(UrlConnectionHttpClient.builder()
            .connectionTimeout(Duration.ofSeconds(10)).socketTimeout(Duration.ofSeconds(30)));
    if (location.endpoint() != null) {
      builder.endpointOverride(location.endpoint()).forcePathStyle(true);
    }
    return new S3Store(location, builder.build());
  }

  /** A store at {@code location} using the caller's {@code client} (the caller closes it). */
  public static S3Store create(S3Location location, S3Client client) {
    return new S3Store(location, client);
  }

  @Override
  public String location() {
    return location.toString();
  }

  @Override
  public Optional<String> region() {
    return Optional.of(location.region());
  }

  @Override
  public PendingObject create(String key) {
    String objectKey = location.objectKey(key);
    return new PendingObject() {
      private final ByteArrayOutputStream buffer = new ByteArrayOutputStream(1 << 16);
      private final List<CompletedPart> parts = new ArrayList<>();
      private String uploadId;
      private boolean done;
      private final OutputStream out = new OutputStream() {
        @Override
        public void write(int b) throws IOException {
          buffer.write(b);
          if (buffer.size() >= PART_SIZE) {
            flushPart();
          }
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
          while (len > 0) {
            int n = Math.min(len, PART_SIZE - buffer.size());
            buffer.write(b, off, n);
            off += n;
            len -= n;
            if (buffer.size() >= PART_SIZE) {
              flushPart();
            }
          }
        }
      };

      private void flushPart() throws IOException {
        byte[] part = buffer.toByteArray();
        buffer.reset();
        try {
          if (uploadId == null) {
            uploadId = s3.createMultipartUpload(b -> b.bucket(location.bucket()).key(objectKey)
                .checksumAlgorithm(ChecksumAlgorithm.CRC32)).uploadId();
          }
          int number = parts.size() + 1;
          UploadPartResponse r = Retry.decorateSupplier(retry, () -> s3.uploadPart(b -> b.bucket(location.bucket())
              .key(objectKey).uploadId(uploadId).partNumber(number).checksumAlgorithm(ChecksumAlgorithm.CRC32),
              RequestBody.fromBytes(part))).get();
          parts.add(CompletedPart.builder().partNumber(number).eTag(r.eTag()).checksumCRC32(r.checksumCRC32()).build());
        } catch (SdkException e) {
          throw new StoreIOException("upload of " + objectKey + " to " + location() + " failed: " + e.getMessage(), e);
        }
      }

      @Override
      public OutputStream stream() {
        return out;
      }

      @Override
      public void commit() throws IOException {
        if (done) {
          throw new IllegalStateException("object " + key + " already committed or aborted");
        }
        try {
          if (uploadId == null) {
            byte[] whole = buffer.toByteArray();
            Retry.decorateRunnable(retry, () -> s3.putObject(b -> b.bucket(location.bucket()).key(objectKey)
                .checksumAlgorithm(ChecksumAlgorithm.CRC32), RequestBody.fromBytes(whole))).run();
          } else {
            if (buffer.size() > 0) {
              flushPart();
            }
            s3.completeMultipartUpload(b -> b.bucket(location.bucket()).key(objectKey).uploadId(uploadId)
                .multipartUpload(m -> m.parts(parts)));
          }
          done = true;
        } catch (SdkException e) {
          throw new StoreIOException("completing " + objectKey + " in " + location() + " failed: " + e.getMessage(), e);
        }
      }

      @Override
      public void abort() {
        if (done) {
          return;
        }
        done = true;
        buffer.reset();
        if (uploadId != null) {
          try {
            s3.abortMultipartUpload(b -> b.bucket(location.bucket()).key(objectKey).uploadId(uploadId));
          } catch (SdkException ignored) {
            // left for cleanUpIncomplete()
          }
        }
      }
    };
  }

  @Override
  public void put(String key, byte[] bytes) throws IOException {
    try {
      Retry.decorateRunnable(retry, () -> s3.putObject(b -> b.bucket(location.bucket()).key(location.objectKey(key))
          .checksumAlgorithm(ChecksumAlgorithm.CRC32), RequestBody.fromBytes(bytes))).run();
    } catch (SdkException e) {
      throw new StoreIOException("writing " + key + " to " + location() + " failed: " + e.getMessage(), e);
    }
  }

  @Override
  public InputStream open(String key) throws IOException {
    String objectKey = location.objectKey(key);
    InputStream in;
    try {
      in = Retry.decorateSupplier(retry, () -> (InputStream) s3.getObject(b -> b.bucket(location.bucket()).key(objectKey))).get();
    } catch (NoSuchKeyException e) {
      throw new java.nio.file.NoSuchFileException(location() + "/" + key);
    } catch (SdkException e) {
      throw new StoreIOException("reading " + key + " from " + location() + " failed: " + e.getMessage(), e);
    }
    return new FilterInputStream(in) {
      @Override
      public int read() throws IOException {
        try {
          return super.read();
        } catch (IOException | SdkException e) {
          throw new StoreIOException("reading " + key + " from " + location() + " failed: " + e.getMessage(), e);
        }
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        try {
          return super.read(b, off, len);
        } catch (IOException | SdkException e) {
          throw new StoreIOException("reading " + key + " from " + location() + " failed: " + e.getMessage(), e);
        }
      }
    };
  }

  @Override
  public List<String> list(String prefix) throws IOException {
    String full = location.objectKey(prefix);
    String strip = location.prefix().isEmpty() ? "" : location.prefix() + "/";
    List<String> keys = new ArrayList<>();
    try {
      for (S3Object o : s3.listObjectsV2Paginator(b -> b.bucket(location.bucket()).prefix(full)).contents()) {
        keys.add(o.key().substring(strip.length()));
      }
    } catch (SdkException e) {
      throw new StoreIOException("listing " + location() + " failed: " + e.getMessage(), e);
    }
    keys.sort(null);
    return keys;
  }

  @Override
  public void delete(String key) throws IOException {
    try {
      s3.deleteObject(b -> b.bucket(location.bucket()).key(location.objectKey(key)));
    } catch (SdkException e) {
      throw new StoreIOException("deleting " + key + " from " + location() + " failed: " + e.getMessage(), e);
    }
  }

  @Override
  public int cleanUpIncomplete() throws IOException {
    int n = 0;
    try {
      String prefix = location.prefix().isEmpty() ? "" : location.prefix() + "/";
      for (MultipartUpload u : s3.listMultipartUploads(b -> b.bucket(location.bucket()).prefix(prefix)).uploads()) {
        s3.abortMultipartUpload(b -> b.bucket(location.bucket()).key(u.key()).uploadId(u.uploadId()));
        n++;
      }
    } catch (SdkException e) {
      throw new StoreIOException("cleaning up " + location() + " failed: " + e.getMessage(), e);
    }
    return n;
  }

  /**
   * The bucket's security posture (P10): whether public access is blocked, default encryption and
   * versioning are on, and a lifecycle rule exists. A setting the server does not report counts as off.
   */
  public StorePosture posture() {
    String b = location.bucket();
    boolean publicBlocked = probe(() -> {
      var c = s3.getPublicAccessBlock(r -> r.bucket(b)).publicAccessBlockConfiguration();
      return Boolean.TRUE.equals(c.blockPublicAcls()) && Boolean.TRUE.equals(c.blockPublicPolicy())
          && Boolean.TRUE.equals(c.ignorePublicAcls()) && Boolean.TRUE.equals(c.restrictPublicBuckets());
    });
    boolean encrypted = probe(() -> !s3.getBucketEncryption(r -> r.bucket(b))
        .serverSideEncryptionConfiguration().rules().isEmpty());
    boolean versioned = probe(() -> "Enabled".equals(s3.getBucketVersioning(r -> r.bucket(b)).statusAsString()));
    boolean lifecycle = probe(() -> !s3.getBucketLifecycleConfiguration(r -> r.bucket(b)).rules().isEmpty());
    return new StorePosture(location(), publicBlocked, encrypted, versioned, lifecycle);
  }

  private static boolean probe(java.util.function.BooleanSupplier check) {
    try {
      return check.getAsBoolean();
    } catch (SdkException e) {
      return false;
    }
  }

  @Override
  public String toString() {
    return "S3Store[" + location() + "]";
  }
}
