package dev.pledge.backup;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.luben.zstd.ZstdInputStream;
import com.github.luben.zstd.ZstdOutputStream;
import dev.pledge.backup.crypto.KeyWrapException;
import dev.pledge.backup.crypto.KeyWrapper;
import dev.pledge.backup.internal.DataKey;
import dev.pledge.backup.internal.Hashing;
import dev.pledge.backup.internal.ManifestMac;
import dev.pledge.backup.internal.SegmentedAead;
import dev.pledge.backup.source.BackupSource;
import dev.pledge.backup.source.RestoreTarget;
import dev.pledge.backup.source.StagingRestoreTarget;
import dev.pledge.backup.store.BackupStore;
import dev.pledge.backup.store.StoreIOException;
import dev.pledge.core.Environment;
import dev.pledge.core.Scope;
import dev.pledge.core.audit.AuditOutcome;
import dev.pledge.core.audit.AuditRecord;
import dev.pledge.core.audit.AuditTrail;
import dev.pledge.core.event.EventListener;
import dev.pledge.core.event.EventPublisher;
import dev.pledge.core.event.Subscription;
import dev.pledge.core.internal.Redaction;
import dev.pledge.core.internal.Json;
import dev.pledge.core.policy.HostingPolicy;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Takes, lists, verifies and restores encrypted backups (P6, P8, P10, P1, P27).
 *
 * <p>A backup streams {@link BackupSource} → zstd → Tink's AES-256-GCM-HKDF streaming AEAD format (1
 * MiB authenticated segments, a fresh data key per backup wrapped by the {@link KeyWrapper}) → every
 * {@link BackupStore} given, in bounded memory whatever the size. The source and the plaintext
 * checksum run on the calling thread; zstd compresses independent jobs on {@link Builder#threads}
 * workers, and the segments are sealed in parallel on as many threads ({@code SegmentedAead}, whose
 * output Tink's own streams decrypt), so a backup uses every core. The manifest is written last, so a
 * failed or crashed backup is never listed. Verification and restore open segments in parallel the
 * same way; a restore into a {@link StagingRestoreTarget} (a directory) decrypts once, writing the
 * authenticated plaintext into a staging place that is published only after the whole backup
 * authenticated and matched its manifest, so a wrong key or an altered or truncated backup fails
 * naming the backup and leaves nothing in the target. Other targets are verified in full first, and
 * only then handed the plaintext.
 *
 * <p>Each manifest carries an HMAC-SHA256 of all its other members under a key derived from the
 * backup's data key, so only the master key can make or check it. {@link #verify}, {@link #restore}
 * and {@link #listAuthenticated} check it before acting on any field (the environment the P27 guard
 * reads, the log segment the PITR planner reads); {@link #list} and {@link #find} return manifests
 * as stored. Manifests written before this have no MAC: they are refused, since anyone who can
 * write to the store could strip a MAC to have a manifest's fields trusted, unless the engine is
 * built with the legacy option {@link Builder#allowUnauthenticatedManifests}; then they are
 * accepted, and reported and audited as {@value VerificationResult#UNAUTHENTICATED_MANIFEST}.
 *
 * <p>Every backup, restore, verification and refusal is recorded in the audit trail. Thread-safe:
 * one engine may run several backups at once.
 *
 * <p>Bound to the policy's {@code backups} section with {@link #from(BackupPolicy, AuditTrail)} (or {@link
 * #builder(BackupPolicy)} to change one thing, such as the clock or the audit trail), the engine runs
 * what the section states: it writes to the section's {@code locations} and refuses to be built with
 * fewer than {@code minimumLocations} of them, and refuses a backup into fewer distinct locations
 * (P10); it refuses a backup into a store whose reported posture falls short of {@code posture}
 * (P10); it refuses an unmasked restore of a production backup into another environment while {@code
 * maskProductionRestores} is on (P27); it backs up each scope's source of {@code sources} with
 * {@link #backup(Scope)} (P6); it compresses at {@code compressionLevel} and wraps data keys with the
 * key of {@code key}.
 *
 * <pre>{@code
 * BackupEngine bound = BackupEngine.builder(policy.section(BackupPolicy.class).orElseThrow())
 *     .clock(clock).auditTrail(audit).build();
 * bound.backup(Scope.of("shop", "production"));
 *
 * BackupEngine engine = BackupEngine.builder(LocalKeyWrapper.load(Path.of("master.key")))
 *     .clock(clock).auditTrail(audit).build();
 * BackupManifest m = engine.backup(DirectorySource.of(Path.of("/srv/shop")), Scope.of("shop", "production"),
 *     List.of(FileStore.at(Path.of("/var/backups/pledge"))));
 * engine.restore(FileStore.at(Path.of("/var/backups/pledge")), m.id(), DirectoryTarget.of(Path.of("/tmp/shop")));
 * }</pre>
 */
public final class BackupEngine {
  private static final String MANIFEST_SUFFIX = ".manifest.json";
  private static final String DATA_SUFFIX = ".data";
  private static final DateTimeFormatter ID_TIME =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
  private static final SecureRandom RANDOM = new SecureRandom();
  // a manifest member given twice would let the MAC and the record see different values
  private static final ObjectReader MANIFEST_READER = Json.mapper().reader()
      .with(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
      .with(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY);
  private static final ObjectReader MANIFEST_READER_LEAVING_OPEN = MANIFEST_READER.without(JsonParser.Feature.AUTO_CLOSE_SOURCE);

  private final KeyWrapper keyWrapper;
  private final Clock clock;
  private final AuditTrail audit;
  private final String actor;
  private final HostingPolicy hosting;
  private final int compressionLevel;
  private final java.time.Duration incompleteBackupAge;
  private final boolean requireAuthenticatedManifests;
  private final int threads;
  private final List<BackupStore> locations;
  private final int minimumLocations;
  private final boolean maskProductionRestores;
  private final BackupPolicy.Posture requiredPosture; // null: no posture required
  private final Map<Scope, BackupSource> sources;
  private final long checkedManifestCacheSize;
  // manifests listAuthenticated has checked, keyed by where they are stored and the SHA-256 of their
  // stored bytes: any change to a manifest changes its key, so only the bytes that passed are trusted
  private final Cache<String, Boolean> checkedManifests; // null when the builder set its size to 0
  private final EventPublisher<BackupEvent> events = EventPublisher.create();

  private BackupEngine(Builder b, KeyWrapper keyWrapper, List<BackupStore> locations, Map<Scope, BackupSource> sources) {
    this.keyWrapper = keyWrapper;
    this.locations = List.copyOf(locations);
    this.sources = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(sources));
    this.minimumLocations = b.minimumLocations;
    this.maskProductionRestores = b.maskProductionRestores;
    this.requiredPosture = b.requiredPosture;
    this.clock = b.clock;
    this.audit = b.audit;
    this.actor = b.actor;
    this.hosting = b.hosting;
    this.compressionLevel = b.compressionLevel;
    this.incompleteBackupAge = b.incompleteBackupAge;
    this.requireAuthenticatedManifests = b.requireAuthenticatedManifests;
    this.threads = b.threads;
    this.checkedManifestCacheSize = b.checkedManifestCacheSize;
    // evictions run on the calling thread, so the bound holds without a background pool
    this.checkedManifests = b.checkedManifestCacheSize == 0 ? null
        : Caffeine.newBuilder().maximumSize(b.checkedManifestCacheSize).executor(Runnable::run).build();
  }

  /** A builder for an engine that wraps data keys with {@code keyWrapper}. */
  public static Builder builder(KeyWrapper keyWrapper) {
    return new Builder(Objects.requireNonNull(keyWrapper, "keyWrapper"), null);
  }

  /**
   * The engine the {@code backups} section states, with every other setting at its default: the
   * section's locations (a relative {@code file:} path and the local key file resolved against the
   * working directory), key, compression level, minimum locations, posture, masking and sources.
   *
   * @param policy the {@code backups} section
   * @return the engine
   * @throws IllegalArgumentException naming the field and its values when the section cannot be run
   *     as written: fewer {@code locations} than {@code minimumLocations}, a location or source that
   *     cannot be opened, a local key file that is missing or not a master key
   * @throws IllegalStateException when a location or the key needs an artifact that is absent
   *     ({@code pledge-backup-s3} for {@code s3://} and KMS)
   * @deprecated it records to the log trail ({@link AuditTrail#toLog()}) without being asked: use
   *     {@link #from(BackupPolicy, AuditTrail)} with the policy's trail
   */
  @Deprecated(since = "0.2.0")
  public static BackupEngine from(BackupPolicy policy) {
    return builder(policy).auditTrail(AuditTrail.toLog()).build();
  }

  /**
   * The engine the {@code backups} section states, recording every backup, restore and refusal in
   * {@code audit}: the policy's trail ({@code AuditTrail.from(document.require(AuditPolicy.class))}),
   * shared by every component; {@link AuditTrail#toLog()}, {@code AuditTrail.inMemory()} or
   * {@code AuditTrail.discarding()} only when that is what the caller means. Every other setting is
   * as the section states it (see {@link #builder(BackupPolicy)}).
   *
   * @param policy the {@code backups} section
   * @param audit the audit trail
   * @return the engine
   * @throws IllegalArgumentException naming the field and its values when the section cannot be run
   *     as written: fewer {@code locations} than {@code minimumLocations}, a location or source that
   *     cannot be opened, a local key file that is missing or not a master key
   * @throws IllegalStateException when a location or the key needs an artifact that is absent
   *     ({@code pledge-backup-s3} for {@code s3://} and KMS)
   */
  public static BackupEngine from(BackupPolicy policy, AuditTrail audit) {
    return builder(policy).auditTrail(audit).build();
  }

  /**
   * A builder pre-filled from the {@code backups} section, to change one thing (a clock, an audit
   * trail, the stores or the key wrapper) before {@link Builder#build()}. Nothing is opened until
   * then.
   *
   * @param policy the {@code backups} section
   * @return the builder
   */
  public static Builder builder(BackupPolicy policy) {
    return new Builder(null, Objects.requireNonNull(policy, "policy"));
  }

  /**
   * A builder holding every setting of this engine (key wrapper, clock, audit trail, actor, hosting,
   * compression, locations, minimum locations, posture, masking, sources, manifest checks, threads),
   * to change one of them; the stores and sources are the same instances, nothing is reopened.
   *
   * @return the builder
   */
  public Builder toBuilder() {
    Builder b = builder(keyWrapper).clock(clock).auditTrail(audit).actor(actor).hosting(hosting)
        .compressionLevel(compressionLevel).incompleteBackupAge(incompleteBackupAge)
        .requireAuthenticatedManifests(requireAuthenticatedManifests).checkedManifestCacheSize(checkedManifestCacheSize)
        .threads(threads).minimumLocations(minimumLocations)
        .maskProductionRestores(maskProductionRestores).requiredPosture(requiredPosture);
    if (!locations.isEmpty()) {
      b.locations(locations);
    }
    sources.forEach(b::source);
    return b;
  }

  /**
   * Registers a listener told of every backup written, failed or refused, every verification and
   * every restore this engine makes ({@link BackupEvent}), after the audit trail has it, on the calling
   * thread: keep it short. A listener that throws is logged and counted and never breaks the call.
   * Listeners belong to this engine: an engine made by {@link #toBuilder()} starts with none.
   *
   * @return a handle whose {@code close()} removes the listener
   */
  public Subscription onEvent(EventListener<? super BackupEvent> listener) {
    return events.subscribe(listener);
  }

  /** The stores a backup is written to by {@link #backup(BackupSource, Scope)}; empty when none was configured. */
  public List<BackupStore> locations() {
    return locations;
  }

  /** How many distinct locations every backup needs (P10); 1 unless a policy or the builder said more. */
  public int minimumLocations() {
    return minimumLocations;
  }

  /** What is backed up for each scope (the section's {@code sources}, P6), in the policy's order. */
  public Map<Scope, BackupSource> sources() {
    return sources;
  }

  /**
   * Backs up the source {@link #sources()} holds for {@code scope} into the engine's {@link #locations()}.
   *
   * @throws IllegalArgumentException when the engine has no source for {@code scope}
   * @throws IllegalStateException when the engine has no locations
   * @see #backup(BackupSource, Scope, List)
   */
  public BackupManifest backup(Scope scope) {
    Objects.requireNonNull(scope, "scope");
    BackupSource source = sources.get(scope);
    if (source == null) {
      throw new IllegalArgumentException("backups.sources has no source for " + scope
          + (sources.isEmpty() ? "; it lists none" : "; it lists " + sources.keySet()));
    }
    return backup(source, scope);
  }

  /**
   * Backs up {@code source} for {@code scope} into the engine's {@link #locations()}.
   *
   * @throws IllegalStateException when the engine has no locations (built without a policy or {@link Builder#locations})
   * @see #backup(BackupSource, Scope, List)
   */
  public BackupManifest backup(BackupSource source, Scope scope) {
    if (locations.isEmpty()) {
      throw new IllegalStateException("this engine has no locations: build it from a BackupPolicy or set"
          + " Builder.locations, or pass the stores to backup(source, scope, stores)");
    }
    return backup(source, scope, locations);
  }

  /**
   * Backs up {@code source} for {@code scope} into every store of {@code stores} (P10), and returns
   * the manifest written last to each.
   *
   * @throws BackupRefusedException before any byte is sent, when a store's region is outside the
   *     hosting policy (P1), when {@code stores} holds fewer distinct locations than {@link
   *     #minimumLocations()} (P10), or when a store's reported posture falls short of the required
   *     one (P10)
   * @throws BackupException when the source, the key wrapper or a store fails; every partial object
   *     is removed and nothing is listed
   */
  public BackupManifest backup(BackupSource source, Scope scope, List<? extends BackupStore> stores) {
    return backup(source, scope, stores, null);
  }

  /**
   * As {@link #backup(BackupSource, Scope, List)}, recording {@code parent} as the backup this one
   * depends on (an incremental or log backup), or none when {@code parent} is null.
   */
  public BackupManifest backup(BackupSource source, Scope scope, List<? extends BackupStore> stores, String parent) {
    return backup(source, scope, stores, parent, null);
  }

  /**
   * As {@link #backup(BackupSource, Scope, List, String)}, recording in the manifest the log
   * {@code segment} the source holds (a WAL segment or binary log, P9), or none when it is null.
   */
  public BackupManifest backup(BackupSource source, Scope scope, List<? extends BackupStore> stores, String parent,
      LogSegment segment) {
    return backup(source, scope, stores, parent, segment, null);
  }

  /**
   * As {@link #backup(BackupSource, Scope, List, String, LogSegment)}, recording in the manifest the
   * name of the {@code schedule} the backup runs for ({@link BackupManifest#schedule()}), or none when
   * it is null, so each schedule's freshness counts its own backups only (P6, P7). {@link
   * dev.pledge.backup.schedule.BackupJob#of(BackupEngine)} and {@link
   * dev.pledge.backup.pitr.PitrArchive#shipJob} pass the name of the schedule that runs them.
   *
   * @throws IllegalArgumentException when {@code schedule} is not a schedule name
   */
  public BackupManifest backup(BackupSource source, Scope scope, List<? extends BackupStore> stores, String parent,
      LogSegment segment, String schedule) {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(scope, "scope");
    if (stores == null || stores.isEmpty()) {
      throw new IllegalArgumentException("stores: a backup needs at least one location");
    }
    if (parent != null) {
      BackupManifest.requireId(parent);
    }
    if (schedule != null && !schedule.matches("[A-Za-z0-9][A-Za-z0-9._:/-]{0,99}")) {
      throw new IllegalArgumentException("schedule must be a schedule name (1-100 letters, digits or . _ : / -), got '"
          + schedule + "'");
    }
    String id = newId();
    java.time.Instant started = clock.instant();
    List<String> wanted = stores.stream().map(BackupStore::location).toList();
    for (BackupStore store : stores) {
      Optional<String> region = store.region();
      if (region.isPresent() && !hosting.allows(region.get())) {
        String why = "store " + store.location() + " is in region " + region.get()
            + ", outside the allowed regions " + hosting.regions();
        auditRecord("backup.refused", id, AuditOutcome.DENIED, scope, Map.of("reason", why, "source", source.description()));
        publish(BackupEvent.Kind.BACKUP_REFUSED, id, scope, schedule, 0, 0, started, wanted, "P1: " + why);
        throw new BackupRefusedException("P1", "backup " + id + " refused: " + why);
      }
    }
    long distinct = stores.stream().map(BackupStore::location).distinct().count();
    if (distinct < minimumLocations) {
      String why = distinct + " distinct location(s) given (" + stores.stream().map(BackupStore::location).distinct()
          .collect(java.util.stream.Collectors.joining(", ")) + ") but minimumLocations is " + minimumLocations;
      auditRecord("backup.refused", id, AuditOutcome.DENIED, scope, Map.of("reason", why, "source", source.description()));
      publish(BackupEvent.Kind.BACKUP_REFUSED, id, scope, schedule, 0, 0, started, wanted, "P10: " + why);
      throw new BackupRefusedException("P10", "backup " + id + " refused: " + why);
    }
    if (requiredPosture != null) {
      List<String> failures = new ArrayList<>();
      for (BackupStore store : stores) {
        store.reportedPosture().ifPresent(p -> failures.addAll(p.failures(requiredPosture.publicAccessBlocked(),
            requiredPosture.defaultEncryption(), requiredPosture.versioning(), requiredPosture.lifecycleRule())));
      }
      if (!failures.isEmpty()) {
        String why = "posture below backups.posture: " + String.join("; ", failures);
        auditRecord("backup.refused", id, AuditOutcome.DENIED, scope, Map.of("reason", why, "source", source.description()));
        publish(BackupEvent.Kind.BACKUP_REFUSED, id, scope, schedule, 0, 0, started, wanted, "P10: " + why);
        throw new BackupRefusedException("P10", "backup " + id + " refused: " + why);
      }
    }
    String dataObject = scope.site() + "/" + scope.environment() + "/" + id + DATA_SUFFIX;
    List<BackupStore.PendingObject> pending = new ArrayList<>();
    byte[] keyBytes = null;
    try {
      DataKey dataKey = DataKey.generate();
      keyBytes = dataKey.serialize();
      String wrapped = Base64.getEncoder().encodeToString(keyWrapper.wrap(keyBytes, context(id, scope)));
      for (BackupStore store : stores) {
        pending.add(store.create(dataObject));
      }
      List<OutputStream> outs = new ArrayList<>();
      pending.forEach(p -> outs.add(p.stream()));
      Hashing.Out stored = new Hashing.Out(new Hashing.Tee(outs));
      Hashing.Out plain;
      try (Workers pool = workers("pledge-backup-" + id);
          OutputStream enc = SegmentedAead.of(keyBytes).newEncryptingStream(stored, aad(id, scope), pool.executor(), 2 * threads);
          ZstdOutputStream zstd = zstd(enc);
          Handoff handoff = Handoff.start(zstd, "pledge-backup-" + id)) {
        // the source and the plaintext hash on this thread; compression, encryption and stores on the handoff's
        plain = new Hashing.Out(handoff);
        source.writeTo(plain);
        handoff.finish();
      }
      for (BackupStore.PendingObject p : pending) {
        p.commit();
      }
      List<String> locations = stores.stream().map(BackupStore::location).toList();
      BackupManifest manifest = new BackupManifest(1, id, scope.site().value(), scope.environment().name(),
          source.kind(), source.description(), started, clock.instant(), plain.count(), stored.count(),
          plain.sha256Hex(), stored.sha256Hex(), keyWrapper.keyId(), wrapped, DataKey.ALGORITHM,
          "zstd-" + compressionLevel, dataObject, locations, parent, segment, schedule);
      // the MAC covers the manifest exactly as a reader will parse it, every member but the MAC itself
      ObjectNode tree = (ObjectNode) Json.mapper().readTree(Json.mapper().writeValueAsBytes(manifest));
      tree.put(ManifestMac.FIELD, ManifestMac.compute(keyBytes, context(id, scope), tree));
      byte[] json = Json.mapper().writeValueAsBytes(tree);
      String manifestKey = scope.site() + "/" + scope.environment() + "/" + id + MANIFEST_SUFFIX;
      for (BackupStore store : stores) {
        store.put(manifestKey, json);
      }
      auditRecord("backup.run", id, AuditOutcome.SUCCESS, scope, Map.of(
          "source", source.description(), "plaintextBytes", Long.toString(manifest.plaintextBytes()),
          "storedBytes", Long.toString(manifest.storedBytes()), "locations", String.join(" ", locations)));
      publish(BackupEvent.Kind.BACKED_UP, id, scope, schedule, manifest.plaintextBytes(), manifest.storedBytes(), started,
          locations, "");
      return manifest;
    } catch (IOException | GeneralSecurityException | RuntimeException e) {
      pending.forEach(BackupStore.PendingObject::abort);
      // data already committed (or a manifest already written) in some location must not outlive the failure
      String manifestKey = scope.site() + "/" + scope.environment() + "/" + id + MANIFEST_SUFFIX;
      for (BackupStore store : stores) {
        try {
          store.delete(manifestKey);
          store.delete(dataObject);
        } catch (IOException | RuntimeException cleanup) {
          e.addSuppressed(cleanup);
        }
      }
      String why = describe(e);
      auditRecord("backup.run", id, AuditOutcome.FAILURE, scope, Map.of("source", source.description(), "reason", why));
      publish(BackupEvent.Kind.BACKUP_FAILED, id, scope, schedule, 0, 0, started, wanted, why);
      if (e instanceof BackupException be && !(e instanceof KeyWrapException)) {
        throw be;
      }
      throw new BackupException("backup " + id + " of " + source.description() + " failed: " + why, e);
    } finally {
      if (keyBytes != null) {
        java.util.Arrays.fill(keyBytes, (byte) 0);
      }
    }
  }

  /**
   * The complete backups in {@code store}, oldest first; only those of {@code scope} when it is not
   * null (P6). The manifests are as stored, not yet authenticated: {@link #verify}, {@link #restore}
   * and {@link #listAuthenticated} check each manifest's MAC before trusting it.
   *
   * @throws BackupException when the store cannot be listed or holds a manifest that does not parse
   */
  public List<BackupManifest> list(BackupStore store, Scope scope) {
    return readAll(store, scope, false).stream().map(Stored::manifest).toList();
  }

  /**
   * As {@link #list}, with every manifest authenticated first: its data key is unwrapped by the key
   * wrapper (one {@link KeyWrapper#unwrap} per manifest, so one key-service call each with
   * pledge-backup-s3's {@code KmsKeyWrapper}) and its MAC checked, so no field of a listed manifest
   * (scope, source kind, parent, log segment, instants, sizes, checksums) can have been altered in
   * the store. A manifest written before manifests were authenticated (no MAC) is refused, unless
   * the engine was built with the legacy option {@link Builder#allowUnauthenticatedManifests}. The point-in-time
   * planner plans from this list (P9).
   *
   * <p>The engine remembers which manifests passed, keyed by their location and the SHA-256 of their
   * stored bytes (at most {@link Builder#checkedManifestCacheSize} of them), so listing the same
   * catalog again reads every manifest but unwraps a key only for manifests that are new or whose
   * bytes changed: a manifest altered after it was checked has other bytes and is checked afresh.
   *
   * @throws BackupIntegrityException naming the first backup whose manifest fails authentication,
   *     whose data key does not unwrap, or that is stored under another backup's name
   * @throws BackupException when the store cannot be listed or holds a manifest that does not parse
   */
  public List<BackupManifest> listAuthenticated(BackupStore store, Scope scope) {
    List<BackupManifest> out = new ArrayList<>();
    for (Stored s : readAll(store, scope, checkedManifests != null)) {
      String checked = checkedManifests == null ? null : store.location() + "\n" + s.key() + "\n" + s.sha256();
      if (checkedManifests == null || checkedManifests.getIfPresent(checked) == null) {
        Unlocked u = authenticate(store, s);
        java.util.Arrays.fill(u.key(), (byte) 0);
        if (checkedManifests != null) {
          checkedManifests.put(checked, u.authenticated());
        }
      }
      out.add(s.manifest());
    }
    return out;
  }

  private List<Stored> readAll(BackupStore store, Scope scope, boolean hash) {
    String prefix = scope == null ? "" : scope.site() + "/" + scope.environment() + "/";
    List<Stored> out = new ArrayList<>();
    try {
      for (String key : store.list(prefix)) {
        if (key.endsWith(MANIFEST_SUFFIX)) {
          out.add(readManifest(store, key, hash));
        }
      }
    } catch (IOException e) {
      throw new BackupException("cannot list " + store.location() + ": " + describe(e), e);
    }
    out.sort(Comparator.comparing((Stored s) -> s.manifest().startedAt()).thenComparing(s -> s.manifest().id()));
    return out;
  }

  /**
   * The manifest of backup {@code id} in {@code store}.
   *
   * @throws BackupNotFoundException naming the id and the store when the store has no such backup
   * @throws BackupException when the store cannot be listed
   */
  public BackupManifest find(BackupStore store, String id) {
    return findStored(store, id).manifest();
  }

  private Stored findStored(BackupStore store, String id) {
    BackupManifest.requireId(id);
    try {
      for (String key : store.list("")) {
        if (key.endsWith("/" + id + MANIFEST_SUFFIX)) {
          return readManifest(store, key, false);
        }
      }
    } catch (IOException e) {
      throw new BackupException("cannot list " + store.location() + ": " + describe(e), e);
    }
    throw new BackupNotFoundException(id, store.location());
  }

  /**
   * Authenticates the manifest of backup {@code id} in {@code store}, then decrypts, authenticates
   * and checksums its data against it, writing nothing (P8). A manifest written before manifests were
   * authenticated passes with {@link VerificationResult#manifestAuthenticated()} false (or fails,
   * when the engine {@linkplain Builder#requireAuthenticatedManifests requires authenticated
   * manifests}). The outcome is audited.
   */
  public VerificationResult verify(BackupStore store, String id) {
    java.time.Instant started = clock.instant();
    Stored s = findStored(store, id);
    BackupManifest m = s.manifest();
    Map<String, String> details = new HashMap<>();
    details.put("location", store.location());
    Unlocked u = null;
    try {
      u = authenticate(store, s);
      readVerified(store, m, u, DISCARD);
      if (!u.authenticated()) {
        details.put("manifest", VerificationResult.UNAUTHENTICATED_MANIFEST);
      }
      auditRecord("backup.verify", id, AuditOutcome.SUCCESS, m.scope(), details);
      publish(BackupEvent.Kind.VERIFIED, id, m.scope(), m.schedule(), m.plaintextBytes(), m.storedBytes(), started,
          List.of(store.location()), "");
      return new VerificationResult(id, store.location(), true, "", u.authenticated());
    } catch (BackupIntegrityException e) {
      details.put("reason", e.getMessage());
      auditRecord("backup.verify", id, AuditOutcome.FAILURE, m.scope(), details);
      publish(BackupEvent.Kind.VERIFY_FAILED, id, m.scope(), m.schedule(), 0, 0, started, List.of(store.location()),
          e.getMessage());
      return new VerificationResult(id, store.location(), false, e.getMessage(), u != null && u.authenticated());
    } finally {
      if (u != null) {
        java.util.Arrays.fill(u.key(), (byte) 0);
      }
    }
  }

  /** Verifies every backup in {@code store} (of {@code scope} when not null), oldest first. */
  public List<VerificationResult> verifyAll(BackupStore store, Scope scope) {
    return list(store, scope).stream().map(m -> verify(store, m.id())).toList();
  }

  /** Restores backup {@code id} into {@code target} in the backup's own environment. */
  public BackupManifest restore(BackupStore store, String id, RestoreTarget target) {
    return restore(store, id, target, null, null);
  }

  /**
   * Restores backup {@code id} from {@code store} into {@code target}, which belongs to {@code
   * targetEnvironment} (the backup's own when null). A production backup is refused for another
   * environment unless {@code masking} is given (P27), unless the engine was built with {@link
   * Builder#maskProductionRestores maskProductionRestores(false)}; the refusal is audited.
   *
   * <p>The manifest is authenticated before any of its fields is acted on (the environment the P27
   * guard reads included): an altered manifest throws {@link BackupIntegrityException} naming the
   * backup. A manifest written before manifests were authenticated is accepted, and the audit record
   * says so ({@code manifest: unauthenticated (...)}), unless the engine {@linkplain
   * Builder#requireAuthenticatedManifests requires authenticated manifests}. Then the whole backup is
   * verified; a wrong key, an altered or truncated object, or a checksum that differs from the
   * manifest throws {@link BackupIntegrityException} with nothing written.
   *
   * @return the restored backup's manifest
   */
  public BackupManifest restore(BackupStore store, String id, RestoreTarget target,
      Environment targetEnvironment, MaskingTransform masking) {
    Objects.requireNonNull(target, "target");
    java.time.Instant started = clock.instant();
    Stored s = findStored(store, id);
    BackupManifest m = s.manifest();
    Map<String, String> details = new HashMap<>();
    details.put("target", target.description());
    details.put("location", store.location());
    Unlocked u;
    try {
      u = authenticate(store, s);
    } catch (BackupIntegrityException e) {
      details.put("reason", e.getMessage());
      auditRecord("backup.restore", id, AuditOutcome.FAILURE, m.scope(), details);
      publish(BackupEvent.Kind.RESTORE_FAILED, id, m.scope(), m.schedule(), 0, 0, started, List.of(store.location()),
          e.getMessage());
      throw e;
    }
    try {
      if (!u.authenticated()) {
        details.put("manifest", VerificationResult.UNAUTHENTICATED_MANIFEST);
      }
      restoreAuthenticated(store, m, u, target, targetEnvironment, masking, details, started);
      return m;
    } finally {
      java.util.Arrays.fill(u.key(), (byte) 0);
    }
  }

  private void restoreAuthenticated(BackupStore store, BackupManifest m, Unlocked key, RestoreTarget target,
      Environment targetEnvironment, MaskingTransform masking, Map<String, String> details, java.time.Instant started) {
    String id = m.id();
    Environment from = Environment.of(m.environment());
    Environment to = targetEnvironment == null ? from : targetEnvironment;
    details.put("targetEnvironment", to.name());
    if (maskProductionRestores && from.isProduction() && !to.isProduction() && masking == null) {
      details.put("reason", "production backup into " + to + " without a masking transform");
      auditRecord("restore.refused", id, AuditOutcome.DENIED, m.scope(), details);
      publish(BackupEvent.Kind.RESTORE_REFUSED, id, m.scope(), m.schedule(), 0, 0, started, List.of(store.location()),
          "P27: " + details.get("reason"));
      throw new BackupRefusedException("P27", "backup " + id + " was taken in " + from
          + " and may only be restored into " + to + " through a masking transform");
    }
    if (!target.accepts(m.sourceKind())) {
      throw new IllegalArgumentException("backup " + id + " holds a '" + m.sourceKind()
          + "' source and cannot be restored into a '" + target.kind() + "' target (" + target.description() + ")");
    }
    if (masking != null) {
      details.put("masking", masking.name());
    }
    try {
      if (target instanceof StagingRestoreTarget staging) {
        restoreStaged(store, m, key, staging, masking);
      } else {
        readVerified(store, m, key, DISCARD);
        readVerified(store, m, key, plain -> {
        try {
          InputStream in = masking == null ? plain : masking.mask(plain);
          target.restoreFrom(in);
          in.transferTo(OutputStream.nullOutputStream());
        } catch (IOException e) {
          throw new BackupException("backup " + id + ": restore into " + target.description() + " failed: " + describe(e), e);
        }
        });
      }
    } catch (BackupException | IllegalArgumentException e) {
      details.put("reason", e.getMessage());
      auditRecord("backup.restore", id, AuditOutcome.FAILURE, m.scope(), details);
      publish(BackupEvent.Kind.RESTORE_FAILED, id, m.scope(), m.schedule(), 0, 0, started, List.of(store.location()),
          e.getMessage());
      throw e;
    }
    auditRecord("backup.restore", id, AuditOutcome.SUCCESS, m.scope(), details);
    publish(BackupEvent.Kind.RESTORED, id, m.scope(), m.schedule(), m.plaintextBytes(), m.storedBytes(), started,
        List.of(store.location()), "");
  }

  /**
   * One pass: the authenticated plaintext goes into the target's staging place as it is decrypted,
   * and is published only once the whole backup authenticated and matched the manifest.
   */
  private void restoreStaged(BackupStore store, BackupManifest m, Unlocked key, StagingRestoreTarget target,
      MaskingTransform masking) {
    String id = m.id();
    StagingRestoreTarget.Staged[] staged = new StagingRestoreTarget.Staged[1];
    try {
      readVerified(store, m, key, plain -> {
        try {
          InputStream in = masking == null ? plain : masking.mask(plain);
          staged[0] = target.stage(in);
          in.transferTo(OutputStream.nullOutputStream());
        } catch (IOException e) {
          if (e.getCause() instanceof GeneralSecurityException || isStoreFailure(e)) {
            throw e; // the backup's own failure, reported as such by readVerified
          }
          throw new BackupException("backup " + id + ": restore into " + target.description() + " failed: " + describe(e), e);
        }
      });
      staged[0].commit();
    } catch (IOException e) {
      if (staged[0] != null) {
        staged[0].discard();
      }
      throw new BackupException("backup " + id + ": restore into " + target.description() + " failed: " + describe(e), e);
    } catch (RuntimeException e) {
      if (staged[0] != null) {
        staged[0].discard();
      }
      throw e;
    }
  }

  /**
   * Removes leftovers of crashed or failed backups in {@code store} and returns how many were
   * removed: what the store itself knows to be incomplete (partial files, unfinished multipart
   * uploads; see {@link BackupStore#cleanUpIncomplete()}), and data objects whose manifest never came
   * (a process killed between the two) once their backup started more than {@link
   * Builder#incompleteBackupAge(Duration)} ago by the engine's clock, so a backup still running
   * elsewhere keeps its data.
   */
  public int cleanUp(BackupStore store) {
    try {
      int removed = store.cleanUpIncomplete();
      List<String> keys = store.list("");
      java.util.Set<String> present = new java.util.HashSet<>(keys);
      java.time.Instant cutoff = clock.instant().minus(incompleteBackupAge);
      for (String key : keys) {
        if (!key.endsWith(DATA_SUFFIX)) {
          continue;
        }
        String base = key.substring(0, key.length() - DATA_SUFFIX.length());
        Optional<java.time.Instant> started = idInstant(base.substring(base.lastIndexOf('/') + 1));
        if (started.isPresent() && started.get().isBefore(cutoff) && !present.contains(base + MANIFEST_SUFFIX)) {
          store.delete(key);
          removed++;
        }
      }
      return removed;
    } catch (IOException e) {
      throw new BackupException("cannot clean up " + store.location() + ": " + describe(e), e);
    }
  }

  /** When backup {@code id} started, from its leading timestamp; empty when it is not a backup id. */
  private static Optional<java.time.Instant> idInstant(String id) {
    if (!id.matches("\\d{8}T\\d{6}Z-[0-9a-f]{8}")) {
      return Optional.empty();
    }
    try {
      return Optional.of(java.time.Instant.from(ID_TIME.parse(id.substring(0, 16))));
    } catch (java.time.DateTimeException e) {
      return Optional.empty();
    }
  }

  private interface PlainConsumer {
    void accept(InputStream plaintext) throws IOException;
  }

  private static final PlainConsumer DISCARD = in -> in.transferTo(OutputStream.nullOutputStream());

  /**
   * A manifest as read: the record, the JSON tree its MAC covers, the key it is stored under, and
   * the SHA-256 (hex) of its stored bytes when {@link #listAuthenticated} looks up its earlier check
   * (null otherwise).
   */
  private record Stored(String key, BackupManifest manifest, JsonNode tree, String sha256) {}

  /** An authenticated manifest's unwrapped data key (secret: zero it after use) and whether it had a MAC. */
  private record Unlocked(byte[] key, boolean authenticated) {}

  /**
   * Unwraps the data key of {@code s} and checks its manifest's MAC. The wrap context binds the
   * key to the id and scope, so even a manifest without a MAC cannot change those.
   */
  private Unlocked authenticate(BackupStore store, Stored s) {
    BackupManifest m = s.manifest();
    String id = m.id();
    String expected = m.site() + "/" + m.environment() + "/" + id + MANIFEST_SUFFIX;
    if (!s.key().equals(expected)) {
      String named = s.key().substring(s.key().lastIndexOf('/') + 1, s.key().length() - MANIFEST_SUFFIX.length());
      throw new BackupIntegrityException(idOr(named, id), "its manifest in " + store.location() + " is stored as "
          + s.key() + " but describes " + expected + " (a manifest moved or copied from another backup or scope)", null);
    }
    byte[] keyBytes;
    try {
      keyBytes = keyWrapper.unwrap(Base64.getDecoder().decode(m.wrappedKey()), context(id, m.scope()));
    } catch (KeyWrapException e) {
      String hint = m.keyId().equals(keyWrapper.keyId())
          ? " (the manifest names this master key, so its id, site, environment or wrapped key was altered)" : "";
      throw new BackupIntegrityException(id, e.getMessage() + "; the backup's key is " + m.keyId() + hint, null);
    } catch (IllegalArgumentException e) {
      throw new BackupIntegrityException(id, "the manifest's wrapped key is not base64", null);
    }
    JsonNode mac = s.tree().get(ManifestMac.FIELD);
    if (mac == null) {
      if (requireAuthenticatedManifests) {
        java.util.Arrays.fill(keyBytes, (byte) 0);
        throw new BackupIntegrityException(id, "its manifest in " + store.location() + " is "
            + VerificationResult.UNAUTHENTICATED_MANIFEST + ", and this engine requires authenticated manifests", null);
      }
      return new Unlocked(keyBytes, false);
    }
    boolean ok;
    try {
      ok = mac.isTextual() && ManifestMac.verify(keyBytes, context(id, m.scope()), s.tree(), mac.asText());
    } catch (RuntimeException e) {
      java.util.Arrays.fill(keyBytes, (byte) 0);
      throw e;
    }
    if (!ok) {
      java.util.Arrays.fill(keyBytes, (byte) 0);
      throw new BackupIntegrityException(id, "its manifest " + s.key() + " in " + store.location()
          + " fails authentication: a field was altered after the backup was written, or the mac is malformed", null);
    }
    return new Unlocked(keyBytes, true);
  }

  private static String idOr(String candidate, String fallback) {
    return candidate.matches("\\d{8}T\\d{6}Z-[0-9a-f]{8}") ? candidate : fallback;
  }

  /**
   * Decrypts, decompresses and checks backup {@code m} against its manifest, handing the plaintext
   * to {@code consumer} as it is authenticated. The stored object's SHA-256 is computed only when
   * the manifest is unauthenticated: under an authenticated manifest the AEAD's tag on every segment
   * (bound to its index, the last one marked, under a key derived for this backup) already proves
   * each stored byte, and the authenticated stored size leaves no room for bytes after the last
   * segment, so a second hash of the same bytes would prove nothing more.
   */
  private void readVerified(BackupStore store, BackupManifest m, Unlocked key, PlainConsumer consumer) {
    String id = m.id();
    boolean hashStored = !key.authenticated();
    SegmentedAead aead;
    try {
      aead = SegmentedAead.of(key.key());
    } catch (GeneralSecurityException e) {
      throw new BackupIntegrityException(id, "the unwrapped data key is not a streaming AEAD key", null);
    }
    Hashing.In stored;
    try {
      stored = new Hashing.In(store.open(m.dataObject()), hashStored);
    } catch (NoSuchFileException e) {
      throw new BackupIntegrityException(id, "its data object " + m.dataObject() + " is missing from " + store.location(), null);
    } catch (IOException e) {
      throw new BackupException("backup " + id + ": cannot read " + store.location() + ": " + describe(e), e);
    }
    Hashing.In plain;
    try (Workers pool = workers("pledge-read-" + id);
        stored;
        InputStream dec = aead.newDecryptingStream(stored, aad(id, m.scope()), pool.executor(), 2 * threads);
        ZstdInputStream zstd = new ZstdInputStream(dec);
        ReadAhead ahead = ReadAhead.start(zstd, "pledge-read-" + id)) {
      plain = new Hashing.In(ahead);
      consumer.accept(plain);
      plain.drain();
      stored.drain();
    } catch (IOException | UncheckedIOException e) {
      if (e instanceof IOException io && isStoreFailure(io)) {
        throw new BackupException("backup " + id + ": reading " + store.location() + " failed: " + describe(e), e);
      }
      throw new BackupIntegrityException(id, "the stored object in " + store.location()
          + " fails authentication: altered, truncated or encrypted with another key (" + describe(e) + ")", null);
    } catch (BackupException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new BackupIntegrityException(id, "the stored object in " + store.location()
          + " does not decode (" + describe(e) + ")", null);
    }
    if (stored.count() != m.storedBytes() || hashStored && !stored.sha256Hex().equals(m.storedSha256())) {
      throw new BackupIntegrityException(id, "the stored object in " + store.location()
          + " does not match the manifest's stored size and SHA-256", null);
    }
    if (plain.count() != m.plaintextBytes() || !plain.sha256Hex().equals(m.plaintextSha256())) {
      throw new BackupIntegrityException(id, "the decrypted content does not match the manifest's plaintext size and SHA-256", null);
    }
  }

  /** A store's own read failures (network, disk) are operational, not proof of tampering. */
  private static boolean isStoreFailure(IOException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof StoreIOException) {
        return true;
      }
    }
    return false;
  }

  private Stored readManifest(BackupStore store, String key, boolean hash) throws IOException {
    java.security.MessageDigest sha = hash ? sha256() : null;
    try (InputStream stored = store.open(key);
        InputStream in = hash ? new java.security.DigestInputStream(stored, sha) : stored) {
      // left open when hashing, so the hash can cover every stored byte, even any after the JSON
      JsonNode tree = (hash ? MANIFEST_READER_LEAVING_OPEN : MANIFEST_READER).readTree(in);
      if (hash) {
        while (in.read() >= 0) {
          // the parser has normally read every byte already; no 8 KiB copy buffer per manifest
        }
      }
      if (tree == null || !tree.isObject()) {
        throw new BackupException("manifest " + key + " in " + store.location() + " is corrupt: not a JSON object", null);
      }
      return new Stored(key, Json.mapper().treeToValue(tree, BackupManifest.class), tree, hash ? HexFormat.of().formatHex(sha.digest()) : null);
    } catch (com.fasterxml.jackson.core.JacksonException e) {
      throw new BackupException("manifest " + key + " in " + store.location() + " is corrupt: " + e.getOriginalMessage(), null);
    } catch (java.io.CharConversionException e) {
      // bytes the JSON reader takes for another encoding (UTF-16/32) and cannot decode: no manifest
      // Pledge writes (fuzz finding backupManifests/utf32-bytes)
      throw new BackupException("manifest " + key + " in " + store.location() + " is corrupt: not UTF-8 JSON text", null);
    }
  }

  private static java.security.MessageDigest sha256() {
    try {
      return java.security.MessageDigest.getInstance("SHA-256");
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  /** A pool of {@link #threads} daemon threads for one backup's or read's segments; closed with it. */
  private Workers workers(String name) {
    AtomicInteger n = new AtomicInteger();
    return new Workers(Executors.newFixedThreadPool(threads, r -> {
      Thread t = new Thread(r, name + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    }));
  }

  /** The segment threads of one operation; closing stops them (every task is awaited before on success). */
  private record Workers(ExecutorService executor) implements AutoCloseable {
    @Override
    public void close() {
      executor.shutdownNow();
    }
  }

  /** zstd at the engine's level; with several threads, zstd compresses independent jobs on its own workers. */
  private ZstdOutputStream zstd(OutputStream out) throws IOException {
    ZstdOutputStream z = new ZstdOutputStream(out, compressionLevel);
    if (threads > 1) {
      z.setWorkers(threads);
      // zstd's default job at this level is several times the window, and its input ring and buffer
      // pool are sized from the job: 1 MiB jobs keep the native memory small (12 MB less peak RSS
      // than 2 MiB on the issue-18 tree) with no loss in ratio there
      z.setJobSize(1 << 20);
    }
    return z;
  }

  private String newId() {
    byte[] r = new byte[4];
    RANDOM.nextBytes(r);
    return ID_TIME.format(clock.instant()) + "-" + HexFormat.of().formatHex(r);
  }

  private static String context(String id, Scope scope) {
    return "pledge-backup/v1/" + scope + "/" + id;
  }

  private static byte[] aad(String id, Scope scope) {
    return context(id, scope).getBytes(StandardCharsets.UTF_8);
  }

  private void publish(BackupEvent.Kind kind, String id, Scope scope, String schedule, long plain, long stored,
      java.time.Instant started, List<String> locations, String detail) {
    if (events.hasListeners()) {
      java.time.Instant now = clock.instant();
      java.time.Duration took = now.isBefore(started) ? java.time.Duration.ZERO : java.time.Duration.between(started, now);
      events.publish(new BackupEvent(now, kind, id, scope, schedule, plain, stored, took, locations, detail));
    }
  }

  private void auditRecord(String action, String id, AuditOutcome outcome, Scope scope, Map<String, String> details) {
    audit.record(new AuditRecord(clock.instant(), actor, action, id, outcome, scope, details));
  }

  /** The failure in words for the trail and the caller; a tool's message may quote a URL with its password. */
  private static String describe(Throwable e) {
    String m = e.getMessage();
    return m == null || m.isBlank() ? e.getClass().getSimpleName() : Redaction.message(m);
  }

  /** Configures a {@link BackupEngine}. Not thread-safe; the engine it builds is. */
  public static final class Builder {
    private KeyWrapper keyWrapper; // null: the policy's key, resolved by build()
    private final BackupPolicy policy; // null: not bound to a policy
    private java.nio.file.Path baseDirectory = java.nio.file.Path.of("");
    private List<BackupStore> locations; // null: the policy's locations, or none
    private int minimumLocations = 1;
    private boolean maskProductionRestores = true;
    private BackupPolicy.Posture requiredPosture;
    private final Map<Scope, BackupSource> sources = new java.util.LinkedHashMap<>();
    private Clock clock = Clock.systemUTC();
    private AuditTrail audit; // required: the policy's trail, or one named by the caller
    private String actor = "pledge";
    private HostingPolicy hosting = HostingPolicy.defaults();
    private int compressionLevel = 3;
    private java.time.Duration incompleteBackupAge = java.time.Duration.ofHours(24);
    private boolean requireAuthenticatedManifests = true;
    private long checkedManifestCacheSize = 10_000;
    private int threads = Math.min(8, Runtime.getRuntime().availableProcessors());

    private Builder(KeyWrapper keyWrapper, BackupPolicy policy) {
      this.keyWrapper = keyWrapper;
      this.policy = policy;
      if (policy != null) {
        this.compressionLevel = policy.compressionLevel();
        this.minimumLocations = policy.minimumLocations();
        this.maskProductionRestores = policy.maskProductionRestores();
        this.requiredPosture = policy.posture();
      }
    }

    /** Wraps data keys with {@code keyWrapper} instead of the policy's {@code key}. */
    public Builder keyWrapper(KeyWrapper keyWrapper) {
      this.keyWrapper = Objects.requireNonNull(keyWrapper, "keyWrapper");
      return this;
    }

    /**
     * The directory a relative local key file and a relative {@code file:} location of the policy are
     * resolved against (default: the working directory).
     */
    public Builder baseDirectory(java.nio.file.Path directory) {
      this.baseDirectory = Objects.requireNonNull(directory, "baseDirectory");
      return this;
    }

    /**
     * The stores {@link BackupEngine#backup(BackupSource, Scope)} writes every backup to, instead of
     * the policy's {@code locations} (P10). {@link #build()} refuses fewer distinct locations than
     * {@link #minimumLocations(int)}.
     */
    public Builder locations(List<? extends BackupStore> stores) {
      this.locations = List.copyOf(Objects.requireNonNull(stores, "locations"));
      return this;
    }

    /**
     * How many distinct locations every backup needs (P10; default 1, or the policy's {@code
     * minimumLocations}): the engine is not built with fewer {@link #locations}, and refuses a
     * backup into fewer stores.
     */
    public Builder minimumLocations(int minimum) {
      if (minimum < 1) {
        throw new IllegalArgumentException("minimumLocations must be at least 1, got " + minimum);
      }
      this.minimumLocations = minimum;
      return this;
    }

    /**
     * Whether a production backup may only be restored into another environment through a masking
     * transform (P27; default true, or the policy's {@code maskProductionRestores}).
     */
    public Builder maskProductionRestores(boolean required) {
      this.maskProductionRestores = required;
      return this;
    }

    /**
     * What every store that reports a posture must show before a backup is written to it (P10;
     * default none, or the policy's {@code posture}); null requires nothing.
     */
    public Builder requiredPosture(BackupPolicy.Posture posture) {
      this.requiredPosture = posture;
      return this;
    }

    /** Backs up {@code source} for {@code scope} in {@link BackupEngine#backup(Scope)}, instead of the policy's source for it. */
    public Builder source(Scope scope, BackupSource source) {
      this.sources.put(Objects.requireNonNull(scope, "scope"), Objects.requireNonNull(source, "source"));
      return this;
    }

    /** The clock for backup ids, manifest instants and audit records (default: system UTC). */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Where every backup, restore and refusal is recorded; required (P14, P20). Normally the policy's
     * trail ({@code AuditTrail.from(document.require(AuditPolicy.class))}); {@link AuditTrail#toLog()},
     * {@code AuditTrail.inMemory()} or {@code AuditTrail.discarding()} only when the caller means it.
     */
    public Builder auditTrail(AuditTrail audit) {
      this.audit = Objects.requireNonNull(audit, "auditTrail");
      return this;
    }

    /** Who acts, for the audit trail: a person's account or a component (default {@code pledge}). */
    public Builder actor(String actor) {
      if (actor == null || actor.isBlank()) {
        throw new IllegalArgumentException("actor must not be blank, got '" + actor + "'");
      }
      this.actor = actor;
      return this;
    }

    /** The hosting policy whose regions stores must be in (P1; default eu-west-2, eu-west-1). */
    public Builder hosting(HostingPolicy hosting) {
      this.hosting = Objects.requireNonNull(hosting, "hosting");
      return this;
    }

    /** The zstd level, 1 (fastest) to 19 (default 3). */
    public Builder compressionLevel(int level) {
      if (level < 1 || level > 19) {
        throw new IllegalArgumentException("compressionLevel must be 1..19, got " + level);
      }
      this.compressionLevel = level;
      return this;
    }

    /**
     * How long ago a backup must have started before {@link BackupEngine#cleanUp} removes its data
     * object for want of a manifest (default 24 h): longer than any backup runs.
     */
    public Builder incompleteBackupAge(java.time.Duration age) {
      if (age == null || age.isNegative()) {
        throw new IllegalArgumentException("incompleteBackupAge must be zero or positive, got " + age);
      }
      this.incompleteBackupAge = age;
      return this;
    }

    /**
     * Whether a manifest without a MAC (written before manifests were authenticated) is refused by
     * {@link BackupEngine#verify}, {@link BackupEngine#restore} and {@link
     * BackupEngine#listAuthenticated} (default {@code true}: someone who can write to the store must
     * not be able to strip a manifest's MAC to have its fields trusted). {@code false} is the legacy
     * option {@link #allowUnauthenticatedManifests}.
     */
    public Builder requireAuthenticatedManifests(boolean require) {
      this.requireAuthenticatedManifests = require;
      return this;
    }

    /**
     * The legacy option: accepts manifests without a MAC, written by releases before manifests were
     * authenticated, reporting and auditing each as {@value VerificationResult#UNAUTHENTICATED_MANIFEST}.
     * Only for a store that still holds such backups; whoever can write to the store can then strip
     * a MAC and have that manifest's fields (other than id, site and environment, which the key
     * wrapping binds) trusted.
     */
    public Builder allowUnauthenticatedManifests() {
      this.requireAuthenticatedManifests = false;
      return this;
    }

    /**
     * How many checked manifests {@link BackupEngine#listAuthenticated} remembers, by location and
     * SHA-256 of their stored bytes, so that listing a catalog again unwraps keys only for new or
     * changed manifests (default 10,000, least recently used forgotten first; 0 checks every
     * manifest on every listing). Each entry is a few hundred bytes.
     */
    public Builder checkedManifestCacheSize(long size) {
      if (size < 0) {
        throw new IllegalArgumentException("checkedManifestCacheSize must be zero or positive, got " + size);
      }
      this.checkedManifestCacheSize = size;
      return this;
    }

    /**
     * How many threads one backup, verification or restore uses for compression and encryption
     * segments (default: the available processors, at most 8; 1 keeps everything but the source's
     * reads on one thread). Memory per operation grows with it: about 5 MiB of segment buffers per
     * thread, plus zstd's job buffers.
     */
    public Builder threads(int threads) {
      if (threads < 1 || threads > 64) {
        throw new IllegalArgumentException("threads must be 1..64, got " + threads);
      }
      this.threads = threads;
      return this;
    }

    /**
     * The engine. Bound to a policy, this opens the policy's key, locations and sources that the
     * builder did not replace.
     *
     * @throws IllegalArgumentException naming the field and its values when the settings cannot be
     *     run: fewer distinct locations than {@code minimumLocations}, a location or source that
     *     cannot be opened, a local key file that is missing or not a master key
     * @throws IllegalStateException when no audit trail was set, or a location or the key needs an
     *     artifact that is absent
     */
    public BackupEngine build() {
      if (audit == null) {
        throw new IllegalStateException("backup engine has no audit trail: set auditTrail(...) to the policy's trail "
            + "(AuditTrail.from(policy's audit section), or BackupEngine.from(backups section, trail)), or name "
            + "AuditTrail.toLog(), AuditTrail.inMemory() or AuditTrail.discarding() explicitly");
      }
      List<String> wanted = locations != null ? locations.stream().map(BackupStore::location).toList()
          : policy != null ? policy.locations() : List.of();
      long distinct = wanted.stream().distinct().count();
      if ((locations != null || policy != null) && distinct < minimumLocations) {
        throw new IllegalArgumentException("minimumLocations is " + minimumLocations + " but " + distinct
            + " distinct location(s) are configured " + wanted + " (backups.locations): P10 needs every backup in at least "
            + minimumLocations + " locations");
      }
      KeyWrapper key = keyWrapper;
      if (key == null) {
        try {
          key = policy.key().keyWrapper(baseDirectory);
        } catch (KeyWrapException e) {
          throw new IllegalArgumentException("backups.key.file: " + e.getMessage(), e);
        }
      }
      List<BackupStore> stores = locations != null ? locations : policy == null ? List.of() : openLocations(policy.locations());
      Map<Scope, BackupSource> bound = new java.util.LinkedHashMap<>();
      if (policy != null) {
        Map<Scope, Integer> seen = new HashMap<>();
        for (int i = 0; i < policy.sources().size(); i++) {
          BackupPolicy.SourceEntry entry = policy.sources().get(i);
          Scope scope = new Scope(entry.site(), entry.environment());
          Integer earlier = seen.putIfAbsent(scope, i);
          if (earlier != null) {
            throw new IllegalArgumentException("backups.sources[" + i + "]: " + scope
                + " already has a source at backups.sources[" + earlier + "]");
          }
          if (!sources.containsKey(scope)) {
            try {
              bound.put(scope, dev.pledge.backup.source.Sources.parse(entry.source()));
            } catch (IllegalArgumentException e) {
              throw new IllegalArgumentException("backups.sources[" + i + "].source: " + e.getMessage(), e);
            }
          }
        }
      }
      bound.putAll(sources);
      return new BackupEngine(this, key, stores, bound);
    }

    private List<BackupStore> openLocations(List<String> wanted) {
      List<BackupStore> stores = new ArrayList<>();
      for (int i = 0; i < wanted.size(); i++) {
        String location = wanted.get(i);
        if (location.startsWith("file:")) {
          location = "file:" + baseDirectory.resolve(location.substring("file:".length()));
        }
        try {
          stores.add(dev.pledge.backup.store.Stores.parse(location));
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException("backups.locations[" + i + "]: " + e.getMessage(), e);
        } catch (IllegalStateException e) {
          throw new IllegalStateException("backups.locations[" + i + "]: " + e.getMessage(), e);
        }
      }
      return stores;
    }
  }
}
