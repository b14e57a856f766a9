package dev.pledge.backup.s3;

import dev.pledge.backup.retention.BackupDecision;
import dev.pledge.backup.retention.ColdStorageClass;
import dev.pledge.backup.retention.Decision;
import dev.pledge.backup.retention.RetentionException;
import dev.pledge.backup.retention.RetentionPlan;

import dev.pledge.backup.store.S3Location;
import dev.pledge.core.Scope;
import dev.pledge.core.audit.AuditOutcome;
import dev.pledge.core.audit.AuditRecord;
import dev.pledge.core.audit.AuditTrail;
import dev.pledge.core.internal.Redaction;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.Period;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketLifecycleConfiguration;
import software.amazon.awssdk.services.s3.model.Delete;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.MetadataDirective;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Error;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.StorageClass;

/**
 * Applies a {@link RetentionPlan} to backups in S3 (P12): archived backups' data objects are copied
 * in place into the cold class ({@code CopyObject} with the new storage class), deleted backups lose
 * their manifest and then their data in batched {@code DeleteObjects} requests of at most 1000 keys.
 *
 * <p>It reads each object's real storage class and age first ({@code HeadObject}) and refuses, naming
 * the reason, anything S3 would bill as early: deleting, or moving out of, an object that has not yet
 * stayed its class's minimum storage duration (30 days for the infrequent-access classes, 90 for
 * Glacier Instant and Flexible Retrieval, 180 for Deep Archive). Objects under 128 KiB are flagged:
 * S3 lifecycle rules would not move them, and for them the per-object overhead of a cold class can
 * outweigh the saving. An object over 5 GB is refused for transition, as a single {@code CopyObject}
 * cannot copy it (that needs a multipart {@code UploadPartCopy}, not done here).
 *
 * <p><b>Dry run by default</b>: {@link #apply} then reads, and returns the actions it would take,
 * changing nothing. With {@link Builder#dryRun(boolean) dryRun(false)} every applied deletion and
 * transition, and every refusal, is recorded in the {@link AuditTrail}.
 *
 * <p>Keys follow the backup engine's layout: {@code [prefix/]site/environment/ID.data} and
 * {@code ...ID.manifest.json}; manifests stay in hot storage so listing never touches a cold object.
 * Thread-safe; the caller owns and closes the {@link S3Client}.
 */
public final class S3RetentionExecutor {
  /** The most keys one {@code DeleteObjects} request takes. */
  public static final int MAX_DELETE_BATCH = 1000;
  /** The largest object one {@code CopyObject} copies: 5 GB. */
  public static final long MAX_COPY_BYTES = 5L * 1024 * 1024 * 1024;
  private static final Map<String, Integer> MINIMUM_DAYS = Map.of(
      "STANDARD_IA", 30, "ONEZONE_IA", 30, "GLACIER_IR", 90, "GLACIER", 90, "DEEP_ARCHIVE", 180);

  private final S3Client s3;
  private final S3Location location;
  private final Scope scope;
  private final ColdStorageClass coldClass;
  private final Clock clock;
  private final AuditTrail audit;
  private final String actor;
  private final boolean dryRun;
  private final int batchSize;

  private final Builder settings;

  private S3RetentionExecutor(Builder b) {
    this.settings = new Builder(b);
    this.s3 = b.s3;
    this.location = b.location;
    this.scope = b.scope;
    this.coldClass = b.coldClass;
    this.clock = b.clock;
    this.audit = b.audit;
    this.actor = b.actor;
    this.dryRun = b.dryRun;
    this.batchSize = b.batchSize;
  }

  /** An executor for the backups of {@code scope} in {@code location}, through {@code s3}; a dry run unless told. */
  public static Builder builder(S3Client s3, S3Location location, Scope scope) {
    return new Builder(s3, location, scope);
  }

  /** What the executor does, or would do, to one backup. */
  public enum ActionType {
    /** The data object moves to the cold class. */
    TRANSITION,
    /** The manifest and data objects are deleted. */
    DELETE,
    /** The plan asked for a change that was refused; the reason says why. */
    REFUSED,
    /** Nothing to do: kept, already in the class, or not in the bucket. */
    UNCHANGED
  }

  /**
   * One backup's action.
   *
   * @param backupId the backup
   * @param type what is (or would be) done
   * @param keys the object keys concerned
   * @param storageClass the data object's storage class before the action ({@code STANDARD} when S3 names none)
   * @param applied whether it was carried out (never in a dry run)
   * @param reason why: the plan's reasons, or the refusal's
   */
  public record Action(String backupId, ActionType type, List<String> keys, String storageClass, boolean applied,
      String reason) {
    /** Copies the keys. */
    public Action {
      keys = List.copyOf(keys);
    }
  }

  /**
   * What {@link #apply} did.
   *
   * @param dryRun whether nothing was changed
   * @param actions one per decision of the plan, in the plan's order
   * @param warnings small objects and other facts for the operator
   * @param deleteRequests how many {@code DeleteObjects} requests were sent
   */
  public record Result(boolean dryRun, List<Action> actions, List<String> warnings, int deleteRequests) {
    /** Copies the lists. */
    public Result {
      actions = List.copyOf(actions);
      warnings = List.copyOf(warnings);
    }

    /** The actions of {@code type}. */
    public List<Action> of(ActionType type) {
      return actions.stream().filter(a -> a.type() == type).toList();
    }
  }

  /**
   * Applies (or, in a dry run, describes) {@code plan}.
   *
   * @throws RetentionException when S3 fails other than for a missing object
   */
  public Result apply(RetentionPlan plan) {
    Instant now = clock.instant();
    List<Action> actions = new ArrayList<>();
    List<String> warnings = new ArrayList<>();
    Map<String, BackupDecision> deleting = new LinkedHashMap<>();
    Map<String, String> classes = new HashMap<>();
    for (BackupDecision d : plan.decisions()) {
      String id = d.backup().id();
      String dataKey = key(id, ".data");
      String manifestKey = key(id, ".manifest.json");
      String reasons = String.join(", ", d.reasons());
      Optional<HeadObjectResponse> head = head(dataKey);
      String current = head.map(h -> h.storageClassAsString() == null ? "STANDARD" : h.storageClassAsString()).orElse("ABSENT");
      classes.put(id, current);
      if (d.decision() == Decision.KEEP) {
        actions.add(new Action(id, ActionType.UNCHANGED, List.of(), current, false, "keep: " + reasons));
        continue;
      }
      if (head.isEmpty()) {
        if (d.decision() == Decision.DELETE) {
          deleting.put(id, d); // a manifest without data is still removed
        } else {
          actions.add(new Action(id, ActionType.UNCHANGED, List.of(dataKey), current, false, dataKey + " is not in the bucket"));
        }
        continue;
      }
      Optional<String> early = early(current, head.get().lastModified(), now);
      long size = head.get().contentLength() == null ? -1 : head.get().contentLength();
      if (d.decision() == Decision.ARCHIVE) {
        if (current.equals(coldClass.name())) {
          actions.add(new Action(id, ActionType.UNCHANGED, List.of(dataKey), current, false, "already in " + current));
        } else if (early.isPresent()) {
          actions.add(refuse(id, List.of(dataKey), current, "moving it to " + coldClass + " " + early.get()));
        } else if (MINIMUM_DAYS.containsKey(current) && !current.endsWith("_IA")) {
          actions.add(refuse(id, List.of(dataKey), current, "it is in " + current
              + ", which must be restored before it can be copied to " + coldClass));
        } else if (size > MAX_COPY_BYTES) {
          actions.add(refuse(id, List.of(dataKey), current, "it is " + size
              + " bytes, over the 5 GB a single CopyObject copies (a multipart UploadPartCopy is needed)"));
        } else {
          if (size >= 0 && size < ColdStorageClass.LIFECYCLE_MINIMUM_OBJECT_BYTES) {
            warnings.add(id + ": " + size + " bytes, under 128 KiB: S3 lifecycle rules would not move it, and in "
                + coldClass + " its per-object overhead may cost more than it saves");
          }
          boolean applied = false;
          if (!dryRun) {
            try {
              s3.copyObject(r -> r.sourceBucket(location.bucket()).sourceKey(dataKey)
                  .destinationBucket(location.bucket()).destinationKey(dataKey)
                  .storageClass(StorageClass.fromValue(coldClass.name())).metadataDirective(MetadataDirective.COPY));
            } catch (SdkException e) {
              throw new RetentionException("cannot move " + dataKey + " to " + coldClass + ": " + e.getMessage());
            }
            record("retention.archive", id, AuditOutcome.SUCCESS, Map.of("keys", dataKey, "from", current,
                "to", coldClass.name(), "reasons", reasons));
            applied = true;
          }
          actions.add(new Action(id, ActionType.TRANSITION, List.of(dataKey), current, applied, "archive: " + reasons));
        }
        continue;
      }
      if (early.isPresent()) {
        actions.add(refuse(id, List.of(manifestKey, dataKey), current, "deleting it " + early.get()));
      } else {
        deleting.put(id, d);
      }
    }
    int requests = 0;
    Map<String, String> failures = new HashMap<>();
    if (!dryRun && !deleting.isEmpty()) {
      // manifests first: a half-finished run never leaves a listed backup without its data
      List<String> manifests = deleting.keySet().stream().map(id -> key(id, ".manifest.json")).toList();
      List<String> data = deleting.keySet().stream().map(id -> key(id, ".data")).toList();
      requests += deleteBatched(manifests, failures);
      requests += deleteBatched(data, failures);
    }
    for (Map.Entry<String, BackupDecision> e : deleting.entrySet()) {
      String id = e.getKey();
      List<String> keys = List.of(key(id, ".manifest.json"), key(id, ".data"));
      String reasons = "delete: " + String.join(", ", e.getValue().reasons());
      Optional<String> failed = keys.stream().filter(failures::containsKey).map(k -> k + ": " + failures.get(k)).findFirst();
      if (dryRun) {
        actions.add(new Action(id, ActionType.DELETE, keys, classes.get(id), false, reasons));
      } else if (failed.isPresent()) {
        record("retention.delete", id, AuditOutcome.FAILURE, Map.of("keys", String.join(" ", keys), "reason", failed.get()));
        actions.add(new Action(id, ActionType.DELETE, keys, classes.get(id), false, "failed: " + failed.get()));
      } else {
        record("retention.delete", id, AuditOutcome.SUCCESS, Map.of("keys", String.join(" ", keys),
            "storageClass", classes.get(id), "reasons", String.join(", ", e.getValue().reasons())));
        actions.add(new Action(id, ActionType.DELETE, keys, classes.get(id), true, reasons));
      }
    }
    // keep the plan's order
    Map<String, Integer> order = new HashMap<>();
    for (int i = 0; i < plan.decisions().size(); i++) {
      order.put(plan.decisions().get(i).backup().id(), i);
    }
    actions.sort(java.util.Comparator.comparing(a -> order.get(a.backupId())));
    return new Result(dryRun, actions, warnings, requests);
  }

  /**
   * The plan's tiering as an S3 lifecycle configuration for this scope's objects: data older than
   * {@code hotPeriod} moves to the cold class, and nothing expires (deletion stays with the plan,
   * which knows what restore chains need). Applied with {@code PutBucketLifecycleConfiguration}
   * unless this is a dry run; returns the configuration as JSON either way.
   */
  public String applyLifecycle(Period hotPeriod) {
    String prefix = location.objectKey(scope.site() + "/" + scope.environment() + "/");
    BucketLifecycleConfiguration config = ColdStorageLifecycle.configuration(prefix, hotPeriod, coldClass);
    if (!dryRun) {
      try {
        s3.putBucketLifecycleConfiguration(r -> r.bucket(location.bucket()).lifecycleConfiguration(config));
      } catch (SdkException e) {
        throw new RetentionException("cannot set the lifecycle of bucket " + location.bucket() + ": " + e.getMessage());
      }
      record("retention.lifecycle", location.bucket(), AuditOutcome.SUCCESS, Map.of("prefix", prefix,
          "transitionDays", Integer.toString(ColdStorageLifecycle.transitionDays(hotPeriod)), "to", coldClass.name()));
    }
    return ColdStorageLifecycle.json(prefix, hotPeriod, coldClass);
  }

  private Action refuse(String id, List<String> keys, String current, String why) {
    if (!dryRun) {
      record("retention.refused", id, AuditOutcome.DENIED, Map.of("keys", String.join(" ", keys), "reason", why));
    }
    return new Action(id, ActionType.REFUSED, keys, current, false, why);
  }

  /** Why acting on an object of {@code storageClass} last written at {@code since} now would be billed early, if it would. */
  private static Optional<String> early(String storageClass, Instant since, Instant now) {
    Integer days = MINIMUM_DAYS.get(storageClass);
    if (days == null || since == null) {
      return Optional.empty();
    }
    Instant until = since.plus(Duration.ofDays(days));
    if (now.isBefore(until)) {
      return Optional.of("would be billed as early: it has been in " + storageClass + " since " + since
          + ", and S3 bills " + days + " days minimum, until " + until);
    }
    return Optional.empty();
  }

  private int deleteBatched(List<String> keys, Map<String, String> failures) {
    int requests = 0;
    for (int from = 0; from < keys.size(); from += batchSize) {
      List<ObjectIdentifier> batch = keys.subList(from, Math.min(keys.size(), from + batchSize)).stream()
          .map(k -> ObjectIdentifier.builder().key(k).build()).toList();
      DeleteObjectsResponse response;
      try {
        response = s3.deleteObjects(r -> r.bucket(location.bucket()).delete(Delete.builder().objects(batch).quiet(true).build()));
      } catch (SdkException e) {
        throw new RetentionException("DeleteObjects on bucket " + location.bucket() + " failed: " + e.getMessage());
      }
      requests++;
      for (S3Error err : response.errors()) {
        failures.put(err.key(), err.code() + " " + err.message());
      }
    }
    return requests;
  }

  private Optional<HeadObjectResponse> head(String key) {
    try {
      return Optional.of(s3.headObject(r -> r.bucket(location.bucket()).key(key)));
    } catch (NoSuchKeyException e) {
      return Optional.empty();
    } catch (S3Exception e) {
      if (e.statusCode() == 404) {
        return Optional.empty();
      }
      throw new RetentionException("cannot read " + key + " in bucket " + location.bucket() + ": " + e.getMessage());
    } catch (SdkException e) {
      throw new RetentionException("cannot read " + key + " in bucket " + location.bucket() + ": " + e.getMessage());
    }
  }

  private String key(String id, String suffix) {
    return location.objectKey(scope.site() + "/" + scope.environment() + "/" + id + suffix);
  }

  private void record(String action, String resource, AuditOutcome outcome, Map<String, String> details) {
    Map<String, String> all = new HashMap<>();
    // an S3 error may quote a presigned URL or an endpoint with credentials: never in the trail
    details.forEach((k, v) -> all.put(k, Redaction.message(v)));
    all.put("bucket", location.bucket());
    audit.record(new AuditRecord(clock.instant(), actor, action, resource, outcome, scope, all));
  }

  /**
   * A builder holding every setting of this executor (client, location, scope, cold class, clock,
   * audit trail, actor, dry run, batch size), to change one.
   */
  public Builder toBuilder() {
    return new Builder(settings);
  }

  /** Configures an {@link S3RetentionExecutor}. Not thread-safe. */
  public static final class Builder {
    private final S3Client s3;
    private final S3Location location;
    private final Scope scope;
    private ColdStorageClass coldClass = ColdStorageClass.GLACIER;
    private Clock clock = Clock.systemUTC();
    private AuditTrail audit; // required: the policy's trail, or one named by the caller
    private String actor = "pledge-retention";
    private boolean dryRun = true;
    private int batchSize = MAX_DELETE_BATCH;

    private Builder(S3Client s3, S3Location location, Scope scope) {
      this.s3 = Objects.requireNonNull(s3, "s3");
      this.location = Objects.requireNonNull(location, "location");
      this.scope = Objects.requireNonNull(scope, "scope");
    }

    /** The cold class archived backups move to (default GLACIER). */
    public Builder coldStorageClass(ColdStorageClass cls) {
      this.coldClass = Objects.requireNonNull(cls, "coldStorageClass");
      return this;
    }

    /** The clock that decides whether a minimum storage duration has passed (default system UTC). */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Where applied deletions, transitions and refusals are recorded; required (P11, P12, P20).
     * Normally the policy's trail ({@code AuditTrail.from(document.require(AuditPolicy.class))});
     * {@link AuditTrail#toLog()}, {@code AuditTrail.inMemory()} or {@code AuditTrail.discarding()} only
     * when the caller means it.
     */
    public Builder auditTrail(AuditTrail audit) {
      this.audit = Objects.requireNonNull(audit, "auditTrail");
      return this;
    }

    /** Who acts, for the audit trail (default {@code pledge-retention}). */
    public Builder actor(String actor) {
      if (actor == null || actor.isBlank()) {
        throw new IllegalArgumentException("actor must not be blank, got '" + actor + "'");
      }
      this.actor = actor;
      return this;
    }

    /** Whether to only describe the actions (default true); false changes the bucket. */
    public Builder dryRun(boolean dryRun) {
      this.dryRun = dryRun;
      return this;
    }

    /** Keys per {@code DeleteObjects} request, 1..1000 (default 1000). */
    public Builder deleteBatchSize(int keys) {
      if (keys < 1 || keys > MAX_DELETE_BATCH) {
        throw new IllegalArgumentException("deleteBatchSize must be 1.." + MAX_DELETE_BATCH + ", got " + keys);
      }
      this.batchSize = keys;
      return this;
    }

    /**
     * The executor.
     *
     * @throws IllegalStateException when no audit trail was set
     */
    public S3RetentionExecutor build() {
      if (audit == null) {
        throw new IllegalStateException("retention executor for bucket " + location.bucket() + " has no audit trail: set auditTrail(...) "
            + "to the policy's trail (AuditTrail.from(policy's audit section)), or name AuditTrail.toLog(), "
            + "AuditTrail.inMemory() or AuditTrail.discarding() explicitly");
      }
      return new S3RetentionExecutor(this);
    }

    /** A copy of {@code other}'s settings, for {@code toBuilder()}. */
    private Builder(Builder other) {
      this.s3 = other.s3;
      this.location = other.location;
      this.scope = other.scope;
      this.coldClass = other.coldClass;
      this.clock = other.clock;
      this.audit = other.audit;
      this.actor = other.actor;
      this.dryRun = other.dryRun;
      this.batchSize = other.batchSize;
    }
  }
}
