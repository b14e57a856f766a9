package dev.pledge.backup.s3;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pledge.backup.store.S3Location;
import dev.pledge.core.PledgeException;
import dev.pledge.core.audit.AuditCheckpoint;
import dev.pledge.core.audit.CheckpointPublisher;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.Objects;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
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
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.ObjectLockMode;
import software.amazon.awssdk.services.s3.model.ObjectLockRetention;
import software.amazon.awssdk.services.s3.model.ObjectLockRetentionMode;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Publishes an audit trail's signed checkpoints to S3 (P14, P20): one object per checkpoint,
 * {@code PREFIX/checkpoints/SEQ.json} (the sequence number zero-padded to 20 digits, so keys sort in
 * chain order), each written with {@code If-None-Match: *} so that no checkpoint is ever replaced, and,
 * when a retention is set, under S3 Object Lock in compliance mode so that not even the account's root
 * user can delete it before the retention ends (the bucket must have Object Lock enabled).
 *
 * <p>Give the publisher to {@link dev.pledge.core.audit.ChainedAuditTrail.Builder#publishTo} when
 * writing and to {@link dev.pledge.core.audit.AuditVerifier#verify} when checking: a trail whose tail
 * was cut off after a checkpoint reached the bucket, or that was replaced whole, no longer matches the
 * published checkpoints, and the verifier names it ({@code TRUNCATED}, {@code EDITED}).
 *
 * <p>Thread-safe (the S3 client is). Messages name the bucket and key, never credentials.
 *
 * <pre>{@code
 * CheckpointPublisher s3 = S3CheckpointPublisher.builder(S3Location.parse("s3://audit-anchor/pledge?region=eu-west-2"))
 *     .retention(Duration.ofDays(400)).build();
 * ChainedAuditTrail trail = ChainedAuditTrail.builder(store).key(key).publishTo(s3).build();
 * }</pre>
 */
public final class S3CheckpointPublisher implements CheckpointPublisher, AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final S3Client s3;
  private final boolean ownsClient;
  private final String bucket;
  private final String prefix;
  private final Duration retention;
  private final Clock clock;

  private final Builder settings;

  private S3CheckpointPublisher(Builder b, S3Client s3, boolean ownsClient) {
    this.settings = new Builder(b);
    this.s3 = s3;
    this.ownsClient = ownsClient;
    this.bucket = b.location.bucket();
    this.prefix = (b.location.prefix().isEmpty() ? "" : b.location.prefix() + "/") + "checkpoints/";
    this.retention = b.retention;
    this.clock = b.clock;
  }

  /**
   * A publisher for {@code s3://bucket/prefix?region=...[&endpoint=URL]} with no Object Lock retention.
   *
   * @throws IllegalArgumentException naming what is wrong with the location
   */
  public static S3CheckpointPublisher create(String location) {
    return builder(S3Location.parse(location)).build();
  }

  /** A builder for a publisher to {@code location}. */
  public static Builder builder(S3Location location) {
    return new Builder(location);
  }

  /** The object key a checkpoint at {@code seq} is published under. */
  public String key(long seq) {
    return prefix + String.format("%020d", seq) + ".json";
  }

  @Override
  public void publish(AuditCheckpoint cp) {
    byte[] body = encode(cp);
    String key = key(cp.seq());
    PutObjectRequest.Builder put = PutObjectRequest.builder().bucket(bucket).key(key)
        .contentType("application/json").ifNoneMatch("*");
    if (retention != null) {
      // Object Lock needs an integrity checksum on the request; compliance mode cannot be shortened or lifted
      put.checksumAlgorithm(ChecksumAlgorithm.SHA256).objectLockMode(ObjectLockMode.COMPLIANCE)
          .objectLockRetainUntilDate(clock.instant().plus(retention));
    }
    try {
      s3.putObject(put.build(), RequestBody.fromBytes(body));
      if (retention != null) {
        lock(key, clock.instant().plus(retention));
      }
    } catch (S3Exception e) {
      if (e.statusCode() == 412 || e.statusCode() == 409) {
        // already there: fine when it is this very checkpoint (a retry after a lost answer), else refused
        AuditCheckpoint there = read(key);
        if (there != null && there.equals(cp)) {
          return;
        }
        throw new PledgeException("cannot publish audit checkpoint at seq " + cp.seq() + " to " + where(key)
            + ": a different checkpoint is already published there, and published checkpoints are never replaced");
      }
      throw new PledgeException("cannot publish audit checkpoint at seq " + cp.seq() + " to " + where(key) + ": "
          + describe(e), e);
    } catch (SdkException e) {
      throw new PledgeException("cannot publish audit checkpoint at seq " + cp.seq() + " to " + where(key) + ": "
          + describe(e), e);
    }
  }

  /**
   * Makes sure the object is locked in compliance mode: AWS applies the lock headers of the PUT, but
   * some S3-compatible servers ignore them, so the lock is read back and set explicitly when missing.
   */
  private void lock(String key, Instant until) {
    ObjectLockRetention current = null;
    try {
      current = s3.getObjectRetention(r -> r.bucket(bucket).key(key)).retention();
    } catch (S3Exception none) {
      // no retention on the object yet
    }
    if (current != null && current.mode() == ObjectLockRetentionMode.COMPLIANCE) {
      return;
    }
    try {
      s3.putObjectRetention(r -> r.bucket(bucket).key(key).retention(
          ObjectLockRetention.builder().mode(ObjectLockRetentionMode.COMPLIANCE).retainUntilDate(until).build()));
    } catch (SdkException e) {
      throw new PledgeException("published audit checkpoint " + where(key) + " but cannot lock it (is Object Lock"
          + " enabled on bucket " + bucket + "?): " + describe(e), e);
    }
  }

  /**
   * Every checkpoint in the bucket under the prefix, in sequence order, listed page by page and read
   * one object at a time. An object that does not parse counts as a missing checkpoint (the verifier
   * then reports the gap in the checkpoint chain).
   */
  @Override
  public Stream<AuditCheckpoint> published() {
    Iterator<S3Object> objects;
    try {
      objects = s3.listObjectsV2Paginator(r -> r.bucket(bucket).prefix(prefix)).contents().iterator();
    } catch (SdkException e) {
      throw new PledgeException("cannot list audit checkpoints in " + where(prefix) + ": " + describe(e), e);
    }
    Iterator<S3Object> guarded = new Iterator<>() {
      @Override
      public boolean hasNext() {
        try {
          return objects.hasNext();
        } catch (SdkException e) {
          throw new PledgeException("cannot list audit checkpoints in " + where(prefix) + ": " + describe(e), e);
        }
      }

      @Override
      public S3Object next() {
        return objects.next();
      }
    };
    return StreamSupport.stream(Spliterators.spliteratorUnknownSize(guarded, Spliterator.ORDERED), false)
        .filter(o -> o.key().endsWith(".json"))
        .map(o -> read(o.key()))
        .filter(Objects::nonNull);
  }

  /** The checkpoint stored under {@code key}, or null when it is missing or damaged. */
  private AuditCheckpoint read(String key) {
    byte[] bytes;
    try {
      bytes = s3.getObjectAsBytes(r -> r.bucket(bucket).key(key)).asByteArray();
    } catch (NoSuchKeyException e) {
      return null;
    } catch (SdkException e) {
      throw new PledgeException("cannot read audit checkpoint " + where(key) + ": " + describe(e), e);
    }
    try {
      JsonNode n = JSON.readTree(bytes);
      AuditCheckpoint cp = new AuditCheckpoint(n.get("checkpoint").asLong(), n.get("hash").asText(),
          n.get("previous").asLong(), Instant.parse(n.get("at").asText()), n.get("algorithm").asText(),
          n.get("keyId").asText(), n.get("signature").asText());
      return key.equals(key(cp.seq())) ? cp : null; // a checkpoint copied under another seq's key is not trusted
    } catch (IOException | RuntimeException damaged) {
      return null;
    }
  }

  static byte[] encode(AuditCheckpoint cp) {
    ObjectNode o = JSON.createObjectNode();
    o.put("checkpoint", cp.seq());
    o.put("hash", cp.hash());
    o.put("previous", cp.previous());
    o.put("at", cp.at().toString());
    o.put("algorithm", cp.algorithm());
    o.put("keyId", cp.keyId());
    o.put("signature", cp.signature());
    return (o.toString() + "\n").getBytes(StandardCharsets.UTF_8);
  }

  private String where(String key) {
    return "s3://" + bucket + "/" + key;
  }

  private static String describe(SdkException e) {
    if (e instanceof S3Exception s && s.awsErrorDetails() != null) {
      return s.awsErrorDetails().errorCode() + " (HTTP " + s.statusCode() + ")";
    }
    String m = e.getMessage();
    return m == null ? "the S3 request failed" : m;
  }

  @Override
  public String describe() {
    return where(prefix);
  }

  /** Closes the S3 client when this publisher made it; a client passed in is the caller's. Idempotent. */
  @Override
  public void close() {
    if (ownsClient) {
      s3.close();
    }
  }

  /**
   * A builder holding every setting of this publisher (location, client, retention, clock), to change
   * one; without a client given, {@code build()} makes a new one.
   */
  public Builder toBuilder() {
    return new Builder(settings);
  }

  /** Settings for an {@link S3CheckpointPublisher}. Not thread-safe. */
  public static final class Builder {
    private final S3Location location;
    private S3Client client;
    private Duration retention;
    private Clock clock = Clock.systemUTC();

    private Builder(S3Location location) {
      this.location = Objects.requireNonNull(location, "location");
    }

    /** The S3 client to use (the caller closes it); default: one made for the location's region and endpoint. */
    public Builder client(S3Client client) {
      this.client = Objects.requireNonNull(client, "client");
      return this;
    }

    /**
     * Lock every checkpoint object in Object Lock compliance mode for {@code retention} after it is
     * written (the bucket must have Object Lock enabled). Default: no retention.
     */
    public Builder retention(Duration retention) {
      if (retention == null || retention.isNegative() || retention.isZero()) {
        throw new IllegalArgumentException("checkpoint retention must be positive, got " + retention);
      }
      this.retention = retention;
      return this;
    }

    /** The clock the retention is counted from (default: the system clock). */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** The publisher. */
    public S3CheckpointPublisher build() {
      return client != null ? new S3CheckpointPublisher(this, client, false)
          : new S3CheckpointPublisher(this, newClient(location), true);
    }

    private static S3Client newClient(S3Location location) {
      AwsCredentialsProvider credentials = location.endpoint() != null && System.getenv("AWS_ACCESS_KEY_ID") == null
          ? StaticCredentialsProvider.create(AwsBasicCredentials.create("pledge-local", "pledge-local"))
          : DefaultCredentialsProvider.builder().build();
      var b = S3Client.builder().region(Region.of(location.region())).credentialsProvider(credentials)
          .httpClientBuilder(UrlConnectionHttpClient.builder());
      if (location.endpoint() != null) {
        b.endpointOverride(location.endpoint()).forcePathStyle(true);
      }
      return b.build();
    }

    /** A copy of {@code other}'s settings, for {@code toBuilder()}. */
    private Builder(Builder other) {
      this.location = other.location;
      this.client = other.client;
      this.retention = other.retention;
      this.clock = other.clock;
    }
  }
}
