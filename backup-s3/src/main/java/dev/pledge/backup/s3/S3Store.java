package dev.pledge.backup.s3;

import dev.pledge.backup.store.BackupStore;
import dev.pledge.backup.store.S3Location;
import dev.pledge.backup.store.StoreIOException;
import dev.pledge.backup.store.StorePosture;

import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
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
 * Large objects stream as multipart uploads, each part carrying a CRC32 checksum the server verifies;
 * small objects go in one PUT. An object becomes visible only when its upload completes; {@link
 * #cleanUpIncomplete()} aborts unfinished uploads older than {@link Builder#incompleteUploadAge(Duration)}
 * (default 24 h), so it never disturbs a live upload from another node. With an {@code endpoint},
 * path-style access is used.
 *
 * <p>Objects of any size S3 accepts (5 TiB): a backup is a stream of unknown length, so part sizes
 * grow as the part count rises: 8 MiB parts, doubling every 800 parts up to 1 GiB, which reaches 5 TiB
 * before the 10,000th part (the table is in the package's part plan; the alternative, spooling the
 * whole object to a local file to learn its size first, would need as much local disk as the backup).
 * Up to {@link Builder#partsInFlight(int)} parts (default 4) upload at once while the next one fills;
 * when all are in flight the writer waits. Memory per pending object is therefore at most {@code
 * partsInFlight} part buffers: 32 MiB for objects up to 6.25 GiB, 64 MiB up to 18.75 GiB; larger parts
 * (over {@link Builder#maxMemoryPart(long)}, default 16 MiB) are spilled to temporary files in {@link
 * Builder#spillDirectory(Path)} instead, at most {@code partsInFlight} of them (4 GiB of disk at the
 * 1 GiB parts of objects over 794 GiB), deleted as the object commits or aborts. An object that would
 * need more than 10,000 parts fails with an error saying so, and its upload is aborted.
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

  private final S3Location location;
  private final S3Client s3;
  private final boolean ownsClient;
  private final Retry retry;
  private final Clock clock;
  private final Duration incompleteUploadAge;
  private final PartPlan partPlan;
  private final int partsInFlight;
  private final long maxMemoryPart;
  private final Path spillDirectory;
  private final ExecutorService uploads;

  private S3Store(Builder b, S3Client s3) {
    this.location = b.location;
    this.s3 = Objects.requireNonNull(s3, "s3");
    this.ownsClient = b.client == null;
    this.clock = b.clock;
    this.incompleteUploadAge = b.incompleteUploadAge;
    this.partPlan = b.partPlan;
    this.partsInFlight = b.partsInFlight;
    this.maxMemoryPart = b.maxMemoryPart;
    this.spillDirectory = b.spillDirectory;
    AtomicInteger threads = new AtomicInteger();
    this.uploads = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "pledge-s3-upload-" + threads.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
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

  /**
   * One part's bytes: in memory while parts are at most {@link Builder#maxMemoryPart} bytes, else in a
   * temporary file of the spill directory, so that the large parts of a very large object (up to 1 GiB
   * each, see {@link PartPlan}) cost disk rather than heap. Re-readable for every attempt. Used by one
   * thread at a time: the writer while it fills it, then the upload task.
   */
  private final class PartBuffer {
    private byte[] memory;
    private Path file;
    private OutputStream fileOut;
    private long capacity;
    private long filled;

    /** Empties the buffer for a part of {@code size} bytes. */
    void prepare(long size) throws IOException {
      capacity = size;
      filled = 0;
      if (size <= maxMemoryPart) {
        dropFile();
        if (memory == null || memory.length < size) {
          memory = null; // let the smaller array go before the larger one is allocated
          memory = new byte[(int) size];
        }
      } else {
        memory = null;
        if (file == null) {
          file = Files.createTempFile(spillDirectory, "pledge-s3-part-", ".tmp");
        }
        fileOut = new BufferedOutputStream(Files.newOutputStream(file, StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING), 1 << 16);
      }
    }

    /** Copies up to the part's remaining room from {@code b}; returns how many bytes it took. */
    int write(byte[] b, int off, int len) throws IOException {
      int n = (int) Math.min(len, capacity - filled);
      if (memory != null) {
        System.arraycopy(b, off, memory, (int) filled, n);
      } else {
        fileOut.write(b, off, n);
      }
      filled += n;
      return n;
    }

    boolean full() {
      return filled == capacity;
    }

    /** The bytes written, as a body the SDK can re-read on each attempt without copying them. */
    RequestBody body() throws IOException {
      long n = filled;
      if (memory != null) {
        byte[] bytes = memory;
        return RequestBody.fromContentProvider(() -> new ByteArrayInputStream(bytes, 0, (int) n), n, OCTETS);
      }
      fileOut.flush();
      Path f = file;
      return RequestBody.fromContentProvider(() -> {
        try {
          return Files.newInputStream(f);
        } catch (IOException e) {
          throw new java.io.UncheckedIOException("cannot read the spilled part " + f, e);
        }
      }, n, OCTETS);
    }

    private void dropFile() {
      if (fileOut != null) {
        try {
          fileOut.close();
        } catch (IOException ignored) {
          // the file is deleted next
        }
        fileOut = null;
      }
      if (file != null) {
        try {
          Files.deleteIfExists(file);
        } catch (IOException ignored) {
          // a temporary file; nothing else can be done with it
        }
        file = null;
      }
    }

    /** Frees the memory and deletes the spill file. */
    void release() {
      memory = null;
      dropFile();
    }
  }

  private static final String OCTETS = "application/octet-stream";

  /**
   * One object being written. The first part's bytes wait in a buffer: an object that ends within it
   * goes up in one PUT. Otherwise a multipart upload starts, and each full part is handed to an upload
   * task while the writer fills the next, with up to {@link Builder#partsInFlight} parts (buffers) at
   * once; when all are taken the writer waits for one to come back (back-pressure), so memory stays at
   * {@code partsInFlight} buffers. Part sizes follow {@link PartPlan}. The first failed part fails the
   * writer's next call; commit waits for every part and completes the upload in part order; abort
   * waits for the parts in flight to end, then aborts the upload, so no part lands after it.
   */
  private final class MultipartObject implements PendingObject {
    private final String key;
    private final String objectKey;
    private final ArrayBlockingQueue<PartBuffer> free = new ArrayBlockingQueue<>(partsInFlight);
    private final Map<Integer, CompletedPart> completed = new ConcurrentSkipListMap<>();
    private final AtomicReference<IOException> failure = new AtomicReference<>();
    private volatile boolean aborted;
    private int created;
    private PartBuffer current;
    private int number = 1;
    private long total;
    private String uploadId;
    private boolean done;
    private boolean drained;
    private final OutputStream out = new OutputStream() {
      @Override
      public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
      }

      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        if (done || drained) {
          throw new IllegalStateException("object " + key + " already committed or aborted");
        }
        while (len > 0) {
          if (current == null) {
            current = acquire();
          }
          int n = current.write(b, off, len);
          off += n;
          len -= n;
          if (current.full()) {
            submit();
          }
        }
      }
    };

    MultipartObject(String key, String objectKey) {
      this.key = key;
      this.objectKey = objectKey;
    }

    private void throwIfFailed() throws IOException {
      IOException e = failure.get();
      if (e != null) {
        throw e;
      }
    }

    /** A free buffer prepared for part {@code number}; waits while every buffer is in flight. */
    private PartBuffer acquire() throws IOException {
      throwIfFailed();
      if (number > PartPlan.MAX_PARTS) {
        throw new StoreIOException("upload of " + objectKey + " to " + location() + " failed: the object is larger than "
            + partPlan.capacity(PartPlan.MAX_PARTS) + " bytes, more than S3 holds in " + PartPlan.MAX_PARTS
            + " parts (an object may be at most 5 TiB)", null);
      }
      PartBuffer b = free.poll();
      if (b == null && created < partsInFlight) {
        b = new PartBuffer();
        created++;
      } else if (b == null) {
        try {
          b = free.take();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new java.io.InterruptedIOException("interrupted while waiting for a part of " + objectKey + " to upload");
        }
      }
      try {
        throwIfFailed();
        b.prepare(partPlan.size(number));
      } catch (IOException | RuntimeException e) {
        free.add(b);
        throw e;
      }
      return b;
    }

    /** Hands the full current part to an upload task, starting the multipart upload first if needed. */
    private void submit() throws IOException {
      throwIfFailed();
      if (uploadId == null) {
        try {
          uploadId = startUpload();
        } catch (SdkException e) {
          throw new StoreIOException("upload of " + objectKey + " to " + location() + " failed: " + describe(e), e);
        }
      }
      PartBuffer part = current;
      int n = number;
      RequestBody body = part.body();
      total += part.filled;
      current = null;
      number++;
      try {
        uploads.execute(() -> upload(part, n, body));
      } catch (java.util.concurrent.RejectedExecutionException e) {
        free.add(part);
        throw new StoreIOException("upload of " + objectKey + " to " + location() + " failed: the store is closed", e);
      }
    }

    /** An upload task: one part, retried; its buffer goes back to the pool whatever happens. */
    private void upload(PartBuffer part, int n, RequestBody body) {
      try {
        if (aborted || failure.get() != null) {
          return;
        }
        UploadPartResponse r = retried(() -> {
          if (aborted) {
            throw new java.util.concurrent.CancellationException("aborted");
          }
          return s3.uploadPart(b -> b.bucket(location.bucket()).key(objectKey).uploadId(uploadId).partNumber(n)
              .checksumAlgorithm(ChecksumAlgorithm.CRC32), body);
        });
        completed.put(n, CompletedPart.builder().partNumber(n).eTag(r.eTag()).checksumCRC32(r.checksumCRC32()).build());
      } catch (RuntimeException e) {
        String why = e instanceof SdkException s ? describe(s) : String.valueOf(e.getMessage());
        failure.compareAndSet(null, new StoreIOException("upload of " + objectKey + " part " + n + " to " + location()
            + " failed: " + why, e));
      } finally {
        free.add(part);
      }
    }

    /**
     * Waits until no part is in flight (each attempt is bounded by the client's timeouts), then frees
     * every buffer. After this nothing more can be written.
     */
    private void drain() {
      if (drained) {
        return;
      }
      drained = true;
      List<PartBuffer> back = new ArrayList<>();
      if (current != null) {
        back.add(current);
        current = null;
      }
      boolean interrupted = false;
      while (back.size() < created) {
        try {
          back.add(free.take());
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
      back.forEach(PartBuffer::release);
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }

    @Override
    public OutputStream stream() {
      return out;
    }

    @Override
    public void commit() throws IOException {
      if (done || drained) {
        throw new IllegalStateException("object " + key + " already committed or aborted");
      }
      try {
        if (uploadId == null) {
          RequestBody body = current == null ? RequestBody.empty() : current.body();
          retried(() -> s3.putObject(b -> b.bucket(location.bucket()).key(objectKey)
              .checksumAlgorithm(ChecksumAlgorithm.CRC32), body));
          drain();
        } else {
          if (current != null && current.filled > 0) {
            submit();
          }
          drain();
          throwIfFailed();
          if (completed.size() != number - 1) {
            throw new StoreIOException("upload of " + objectKey + " to " + location() + " failed: "
                + completed.size() + " of " + (number - 1) + " parts uploaded", null);
          }
          complete();
        }
        done = true;
      } catch (SdkException e) {
        throw new StoreIOException("completing " + objectKey + " in " + location() + " failed: " + describe(e), e);
      }
    }

    private void complete() {
      List<CompletedPart> parts = new ArrayList<>(completed.values());
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
      aborted = true;
      drain();
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
   * still running on another node and are left alone. Returns how many old uploads this call found
   * and left gone: an abort whose retry finds the upload already removed counts, so two nodes cleaning
   * up at once may both count the same upload.
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
          // gone either way: most often the SDK's retry of our own abort, whose first attempt removed
          // it but answered with an error or not at all; else another node's cleanup. Its parts are
          // released, which is what the count reports
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
    private int partsInFlight = 4;
    private long maxMemoryPart = 16L << 20;
    private Path spillDirectory = Path.of(System.getProperty("java.io.tmpdir"));
    private PartPlan partPlan = PartPlan.DEFAULT;

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

    /** How long one attempt (one request and its answer, such as one part) may take in all (default 2 min). */
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

    /**
     * How many parts of one object upload at once, 1..16 (default 4). Each takes a part buffer, so
     * memory per pending object is this many parts (see {@link #maxMemoryPart(long)}).
     */
    public Builder partsInFlight(int parts) {
      if (parts < 1 || parts > 16) {
        throw new IllegalArgumentException("partsInFlight must be 1..16, got " + parts);
      }
      this.partsInFlight = parts;
      return this;
    }

    /**
     * The largest part held in memory, in bytes, 5 MiB..1 GiB (default 16 MiB); larger parts, which
     * only objects over 18.75 GiB have, are written to temporary files in {@link #spillDirectory(Path)}.
     */
    public Builder maxMemoryPart(long bytes) {
      if (bytes < PartPlan.MIN_PART || bytes > (1L << 30)) {
        throw new IllegalArgumentException("maxMemoryPart must be 5 MiB..1 GiB (5242880..1073741824 bytes), got " + bytes);
      }
      this.maxMemoryPart = bytes;
      return this;
    }

    /** Where parts larger than {@link #maxMemoryPart(long)} wait for their upload (default: {@code java.io.tmpdir}). */
    public Builder spillDirectory(Path directory) {
      this.spillDirectory = Objects.requireNonNull(directory, "spillDirectory");
      return this;
    }

    /** The part sizes; tests use small plans to cross part-size steps with little data. */
    Builder partPlan(PartPlan plan) {
      this.partPlan = Objects.requireNonNull(plan, "partPlan");
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
   * passed in is the caller's to close. Stops the part upload threads (an object still being written
   * fails). Idempotent.
   */
  @Override
  public void close() {
    uploads.shutdown();
    if (ownsClient) {
      s3.close();
    }
  }

  @Override
  public String toString() {
    return "S3Store[" + location() + "]";
  }
}
