package dev.pledge.backup.s3;

import dev.pledge.backup.store.BackupStore;
import dev.pledge.backup.store.S3Location;
import dev.pledge.backup.store.StoreIOException;
import dev.pledge.backup.store.StorePosture;

import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.function.Supplier;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.exception.SdkServiceException;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.SdkPlugin;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.NoSuchUploadException;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;

/**
 * A store in Amazon S3 or an S3-compatible server ({@code s3://bucket/prefix?region=eu-west-2}).
 * Large objects stream as multipart uploads of {@value #PART_SIZE_MIB} MiB parts (memory per pending
 * object is one part buffer), each part carrying a CRC32 checksum the server verifies; small objects go
 * in one PUT. An object becomes visible only when its upload completes; {@link #cleanUpIncomplete()}
 * aborts unfinished uploads older than {@link Builder#incompleteUploadAge(Duration)} (default 24 h), so
 * it never disturbs a live upload from another node. With an {@code endpoint}, path-style access is used.
 *
 * <p>Failures: every request is retried by the SDK's standard retry strategy, and on top of that by a
 * resilience4j {@link Retry} with exponential backoff, since the SDK gives up after its own few
 * attempts and does not know that completing a multipart upload is safe to repeat. A completion
 * whose response was lost is recognised (the retry finds the upload gone and the object in place). When
 * the store builds its own client, each attempt is bounded by a socket timeout and an attempt timeout,
 * so a stalled server ends in an error instead of a hang. Only transient failures (I/O, timeouts, 5xx,
 * throttling) are retried; a 4xx answer fails at once. A download cut off midway resumes from the byte
 * it reached with a ranged GET. Thread-safe. P8, P10.
 */
public final class S3Store implements BackupStore, AutoCloseable {
  static final int PART_SIZE_MIB = 8;
  private static final int PART_SIZE = PART_SIZE_MIB << 20;

  private final S3Location location;
  private final S3Client s3;
  private final boolean ownsClient;
  private final Retry retry;
  private final Clock clock;
  private final Duration incompleteUploadAge;

  private S3Store(Builder b, S3Client s3) {
    this.location = b.location;
    this.s3 = Objects.requireNonNull(s3, "s3");
    this.ownsClient = b.client == null;
    this.clock = b.clock;
    this.incompleteUploadAge = b.incompleteUploadAge;
    this.retry = Retry.of("s3-" + location.bucket(), RetryConfig.custom()
        .maxAttempts(b.retryAttempts)
        .intervalFunction(IntervalFunction.ofExponentialBackoff(b.retryBackoff, 2.0))
        .retryOnException(TRANSIENT)
        .build());
  }

  /** Turns the SDK's own retries off for one request, where a retry must first look what the last attempt did. */
  private static final SdkPlugin ONE_ATTEMPT = config -> config.overrideConfiguration(
      config.overrideConfiguration().toBuilder().retryStrategy(AwsRetryStrategy.doNotRetry()).build());

  /** A failure worth another attempt: no answer, a timeout, a server error or throttling. */
  private static final Predicate<Throwable> TRANSIENT = e -> {
    if (e instanceof SdkClientException) {
      return true;
    }
    if (e instanceof SdkServiceException s) {
      return s.statusCode() >= 500 || s.statusCode() == 429 || s.statusCode() == 408 || s.isThrottlingException();
    }
    return false;
  };

  /**
   * A store at {@code location} with a client of its own: credentials from the default AWS chain
   * (environment, profile, instance role); against a custom endpoint without {@code AWS_ACCESS_KEY_ID}
   * set, a fixed local credential is used, as S3-compatible test servers accept any.
   */
  public static S3Store create(S3Location location) {
    return builder(location).build();
  }

  /** A store at {@code location} using the caller's {@code client} (the caller closes it). */
  public static S3Store create(S3Location location, S3Client client) {
    return builder(location).client(client).build();
  }

  /** A builder for a store at {@code location}. */
  public static Builder builder(S3Location location) {
    return new Builder(location);
  }

  private <T> T retried(Supplier<T> call) {
    return Retry.decorateSupplier(retry, call).get();
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
    return new MultipartObject(key, location.objectKey(key));
  }

  /** One object being written: a fixed part buffer, uploaded part by part once it spans more than one. */
  private final class MultipartObject implements PendingObject {
    private final String key;
    private final String objectKey;
    private final byte[] part = new byte[PART_SIZE];
    private int filled;
    private long total;
    private final List<CompletedPart> parts = new ArrayList<>();
    private String uploadId;
    private boolean done;
    private final OutputStream out = new OutputStream() {
      @Override
      public void write(int b) throws IOException {
        part[filled++] = (byte) b;
        if (filled == PART_SIZE) {
          flushPart();
        }
      }

      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        while (len > 0) {
          int n = Math.min(len, PART_SIZE - filled);
          System.arraycopy(b, off, part, filled, n);
          filled += n;
          off += n;
          len -= n;
          if (filled == PART_SIZE) {
            flushPart();
          }
        }
      }
    };

    MultipartObject(String key, String objectKey) {
      this.key = key;
      this.objectKey = objectKey;
    }

    /** The buffered bytes as a body the SDK can re-read on each attempt, without copying them. */
    private RequestBody body() {
      int n = filled;
      return RequestBody.fromContentProvider(() -> new ByteArrayInputStream(part, 0, n), n, "application/octet-stream");
    }

    private void flushPart() throws IOException {
      if (done) {
        throw new IllegalStateException("object " + key + " already committed or aborted");
      }
      try {
        if (uploadId == null) {
          uploadId = startUpload();
        }
        int number = parts.size() + 1;
        RequestBody body = body();
        UploadPartResponse r = retried(() -> s3.uploadPart(b -> b.bucket(location.bucket())
            .key(objectKey).uploadId(uploadId).partNumber(number).checksumAlgorithm(ChecksumAlgorithm.CRC32), body));
        parts.add(CompletedPart.builder().partNumber(number).eTag(r.eTag()).checksumCRC32(r.checksumCRC32()).build());
        total += filled;
        filled = 0;
      } catch (SdkException e) {
        throw new StoreIOException("upload of " + objectKey + " to " + location() + " failed: " + describe(e), e);
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
          RequestBody body = body();
          retried(() -> s3.putObject(b -> b.bucket(location.bucket()).key(objectKey)
              .checksumAlgorithm(ChecksumAlgorithm.CRC32), body));
        } else {
          if (filled > 0) {
            flushPart();
          }
          complete();
        }
        done = true;
      } catch (SdkException e) {
        throw new StoreIOException("completing " + objectKey + " in " + location() + " failed: " + describe(e), e);
      }
    }

    private void complete() {
      retried(() -> {
        try {
          return s3.completeMultipartUpload(b -> b.bucket(location.bucket()).key(objectKey).uploadId(uploadId)
              .multipartUpload(m -> m.parts(parts)));
        } catch (SdkServiceException e) {
          // a repeated completion (the SDK's retry or ours) finds the upload gone when an earlier one
          // succeeded but its answer was lost: the object is then in place with this upload's size
          if (e.statusCode() == 404 && completedEarlier()) {
            return null;
          }
          throw e;
        }
      });
    }

    /**
     * Starts this object's multipart upload. When an attempt's answer is lost, the server may have
     * started the upload all the same; the key is this backup's own, so an upload of it found open on
     * a later attempt is that one and is taken over rather than a second started beside it. (A second
     * upload would hold its parts until {@link #cleanUpIncomplete()}, and some S3-compatible servers
     * drop a key's completed object when an upload of that key is aborted.)
     */
    private String startUpload() {
      boolean[] attempted = {false};
      return retried(() -> {
        if (attempted[0]) {
          Optional<String> open = s3.listMultipartUploads(b -> b.bucket(location.bucket()).prefix(objectKey)).uploads()
              .stream().filter(u -> objectKey.equals(u.key())).map(MultipartUpload::uploadId).findFirst();
          if (open.isPresent()) {
            return open.get();
          }
        }
        attempted[0] = true;
        // one attempt per round: the SDK's own retry would start a second upload behind this check
        return s3.createMultipartUpload(b -> b.bucket(location.bucket()).key(objectKey)
            .checksumAlgorithm(ChecksumAlgorithm.CRC32).overrideConfiguration(o -> o.addPlugin(ONE_ATTEMPT))).uploadId();
      });
    }

    /** Whether the object is in place with this upload's size, and the upload no longer exists. */
    private boolean completedEarlier() {
      try {
        long size = s3.headObject(b -> b.bucket(location.bucket()).key(objectKey)).contentLength();
        boolean pending = s3.listMultipartUploads(b -> b.bucket(location.bucket()).prefix(objectKey)).uploads()
            .stream().anyMatch(u -> uploadId.equals(u.uploadId()));
        return size == total && !pending;
      } catch (SdkException e) {
        return false;
      }
    }

    @Override
    public void abort() {
      if (done) {
        return;
      }
      done = true;
      filled = 0;
      if (uploadId != null) {
        try {
          retried(() -> s3.abortMultipartUpload(b -> b.bucket(location.bucket()).key(objectKey).uploadId(uploadId)));
        } catch (SdkException ignored) {
          // left for cleanUpIncomplete()
        }
      }
    }
  }

  @Override
  public void put(String key, byte[] bytes) throws IOException {
    try {
      retried(() -> s3.putObject(b -> b.bucket(location.bucket()).key(location.objectKey(key))
          .checksumAlgorithm(ChecksumAlgorithm.CRC32), RequestBody.fromBytes(bytes)));
    } catch (SdkException e) {
      throw new StoreIOException("writing " + key + " to " + location() + " failed: " + describe(e), e);
    }
  }

  /**
   * Opens the object for reading. A read that fails or ends before the object's length (a dropped or
   * cut connection) resumes from the byte it reached with a ranged GET, up to {@value #MAX_RESUMES}
   * times, so a flaky network is neither mistaken for a truncated backup nor fatal to a restore.
   */
  @Override
  public InputStream open(String key) throws IOException {
    String objectKey = location.objectKey(key);
    ResponseInputStream<GetObjectResponse> first;
    try {
      first = retried(() -> s3.getObject(b -> b.bucket(location.bucket()).key(objectKey)));
    } catch (NoSuchKeyException e) {
      throw new java.nio.file.NoSuchFileException(location() + "/" + key);
    } catch (SdkException e) {
      throw new StoreIOException("reading " + key + " from " + location() + " failed: " + describe(e), e);
    }
    Long length = first.response().contentLength();
    return new ResumingStream(key, objectKey, first, length == null ? -1 : length);
  }

  static final int MAX_RESUMES = 10;

  /** An object's bytes that survive a broken connection by resuming where they stopped. */
  private final class ResumingStream extends InputStream {
    private final String key;
    private final String objectKey;
    private final long length;
    private InputStream current;
    private long position;
    private int resumes;

    ResumingStream(String key, String objectKey, InputStream first, long length) {
      this.key = key;
      this.objectKey = objectKey;
      this.current = first;
      this.length = length;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      int n = read(one, 0, 1);
      return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (len == 0) {
        return 0;
      }
      while (true) {
        try {
          int n = current.read(b, off, len);
          if (n < 0) {
            if (length < 0 || position >= length) {
              return -1;
            }
            throw new java.io.EOFException("the connection ended at byte " + position + " of " + length);
          }
          position += n;
          return n;
        } catch (IOException | SdkException e) {
          resume(e);
        }
      }
    }

    private void resume(Exception cause) throws IOException {
      if (length < 0 || ++resumes > MAX_RESUMES) {
        throw new StoreIOException("reading " + key + " from " + location() + " failed at byte " + position
            + (resumes > MAX_RESUMES ? " after " + MAX_RESUMES + " resumptions" : "") + ": " + cause.getMessage(), cause);
      }
      try {
        current.close();
      } catch (IOException | SdkException ignored) {
        // the broken stream is dropped either way
      }
      long from = position;
      try {
        current = retried(() -> s3.getObject(b -> b.bucket(location.bucket()).key(objectKey).range("bytes=" + from + "-")));
      } catch (SdkException e) {
        throw new StoreIOException("reading " + key + " from " + location() + " failed at byte " + from + ": " + describe(e), e);
      }
    }

    @Override
    public void close() throws IOException {
      try {
        current.close();
      } catch (SdkException ignored) {
        // closing a broken connection
      }
    }
  }

  @Override
  public List<String> list(String prefix) throws IOException {
    String full = location.objectKey(prefix);
    String strip = location.prefix().isEmpty() ? "" : location.prefix() + "/";
    try {
      return retried(() -> {
        List<String> keys = new ArrayList<>();
        for (S3Object o : s3.listObjectsV2Paginator(b -> b.bucket(location.bucket()).prefix(full)).contents()) {
          keys.add(o.key().substring(strip.length()));
        }
        keys.sort(null);
        return keys;
      });
    } catch (SdkException e) {
      throw new StoreIOException("listing " + location() + " failed: " + describe(e), e);
    }
  }

  @Override
  public void delete(String key) throws IOException {
    try {
      retried(() -> s3.deleteObject(b -> b.bucket(location.bucket()).key(location.objectKey(key))));
    } catch (SdkException e) {
      throw new StoreIOException("deleting " + key + " from " + location() + " failed: " + describe(e), e);
    }
  }

  /**
   * Aborts the unfinished multipart uploads under this store's prefix that were started more than
   * {@link Builder#incompleteUploadAge(Duration)} ago by the store's clock (objects in S3 only appear
   * once complete, so there are no partial objects to delete). Younger uploads may belong to a backup
   * still running on another node and are left alone.
   */
  @Override
  public int cleanUpIncomplete() throws IOException {
    Instant cutoff = clock.instant().minus(incompleteUploadAge);
    int n = 0;
    try {
      String prefix = location.prefix().isEmpty() ? "" : location.prefix() + "/";
      List<MultipartUpload> uploads = new ArrayList<>();
      for (var page : s3.listMultipartUploadsPaginator(b -> b.bucket(location.bucket()).prefix(prefix))) {
        uploads.addAll(page.uploads());
      }
      for (MultipartUpload u : uploads) {
        if (u.initiated() == null || !u.initiated().isBefore(cutoff)) {
          continue; // young, or of unknown age: it may be a live upload
        }
        try {
          retried(() -> s3.abortMultipartUpload(b -> b.bucket(location.bucket()).key(u.key()).uploadId(u.uploadId())));
        } catch (NoSuchUploadException gone) {
          continue; // finished or aborted meanwhile
        }
        n++;
      }
    } catch (SdkException e) {
      throw new StoreIOException("cleaning up " + location() + " failed: " + describe(e), e);
    }
    return n;
  }

  private static String describe(SdkException e) {
    if (e instanceof SdkServiceException s && s.getMessage() != null) {
      return s.getMessage();
    }
    return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
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

  /** This bucket's {@link #posture()}, read from the server on every call. */
  @Override
  public java.util.Optional<StorePosture> reportedPosture() {
    return java.util.Optional.of(posture());
  }

  private static boolean probe(java.util.function.BooleanSupplier check) {
    try {
      return check.getAsBoolean();
    } catch (SdkException e) {
      return false;
    }
  }

  /**
   * Configures an {@link S3Store}. Not thread-safe; the store it builds is.
   *
   * <pre>{@code
   * S3Store store = S3Store.builder(S3Location.parse("s3://zaltek-backups/pledge?region=eu-west-2"))
   *     .incompleteUploadAge(Duration.ofHours(24)).socketTimeout(Duration.ofSeconds(30)).build();
   * }</pre>
   */
  public static final class Builder {
    private final S3Location location;
    private S3Client client;
    private Clock clock = Clock.systemUTC();
    private Duration incompleteUploadAge = Duration.ofHours(24);
    private Duration socketTimeout = Duration.ofSeconds(30);
    private Duration attemptTimeout = Duration.ofMinutes(2);
    private int retryAttempts = 5;
    private Duration retryBackoff = Duration.ofMillis(200);

    private Builder(S3Location location) {
      this.location = Objects.requireNonNull(location, "location");
    }

    /** The caller's own client, which the caller closes; timeouts set here then do not apply. */
    public Builder client(S3Client client) {
      this.client = Objects.requireNonNull(client, "client");
      return this;
    }

    /** The clock {@link S3Store#cleanUpIncomplete()} measures upload ages by (default: system UTC). */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** How old an unfinished upload must be before cleanup aborts it (default 24 h; zero aborts all). */
    public Builder incompleteUploadAge(Duration age) {
      if (age == null || age.isNegative()) {
        throw new IllegalArgumentException("incompleteUploadAge must be zero or positive, got " + age);
      }
      this.incompleteUploadAge = age;
      return this;
    }

    /** How long one attempt may wait for the server's next bytes before it fails and is retried (default 30 s). */
    public Builder socketTimeout(Duration timeout) {
      this.socketTimeout = positive("socketTimeout", timeout);
      return this;
    }

    /** How long one attempt (one request and its answer, such as an 8 MiB part) may take in all (default 2 min). */
    public Builder attemptTimeout(Duration timeout) {
      this.attemptTimeout = positive("attemptTimeout", timeout);
      return this;
    }

    /** Attempts per operation on top of the SDK's own retries, 1..20 (default 5). */
    public Builder retryAttempts(int attempts) {
      if (attempts < 1 || attempts > 20) {
        throw new IllegalArgumentException("retryAttempts must be 1..20, got " + attempts);
      }
      this.retryAttempts = attempts;
      return this;
    }

    /** The first backoff between those attempts, doubling each time (default 200 ms). */
    public Builder retryBackoff(Duration backoff) {
      this.retryBackoff = positive("retryBackoff", backoff);
      return this;
    }

    private static Duration positive(String name, Duration d) {
      if (d == null || d.isZero() || d.isNegative()) {
        throw new IllegalArgumentException(name + " must be positive, got " + d);
      }
      return d;
    }

    /** The store. */
    public S3Store build() {
      return new S3Store(this, client != null ? client : newClient());
    }

    private S3Client newClient() {
      AwsCredentialsProvider credentials = location.endpoint() != null && System.getenv("AWS_ACCESS_KEY_ID") == null
          ? StaticCredentialsProvider.create(AwsBasicCredentials.create("pledge-local", "pledge-local"))
          : DefaultCredentialsProvider.builder().build();
      var builder = S3Client.builder()
          .region(Region.of(location.region()))
          .credentialsProvider(credentials)
          .overrideConfiguration(o -> o.retryStrategy(RetryMode.STANDARD).apiCallAttemptTimeout(attemptTimeout))
          .httpClientBuilder(UrlConnectionHttpClient.builder()
              .connectionTimeout(Duration.ofSeconds(Math.min(10, socketTimeout.toSeconds() + 1)))
              .socketTimeout(socketTimeout));
      if (location.endpoint() != null) {
        builder.endpointOverride(location.endpoint()).forcePathStyle(true);
      }
      return builder.build();
    }
  }

  /**
   * Closes the client this store created (its connection pool and threads); a client the caller
   * passed in is the caller's to close. Idempotent.
   */
  @Override
  public void close() {
    if (ownsClient) {
      s3.close();
    }
  }

  @Override
  public String toString() {
    return "S3Store[" + location() + "]";
  }
}
