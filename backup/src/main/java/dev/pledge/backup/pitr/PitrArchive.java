package dev.pledge.backup.pitr;

import dev.pledge.backup.BackupEngine;
import dev.pledge.backup.BackupException;
import dev.pledge.backup.BackupManifest;
import dev.pledge.backup.LogSegment;
import dev.pledge.backup.internal.ExternalTool;
import dev.pledge.backup.schedule.BackupJob;
import dev.pledge.backup.source.BackupSource;
import dev.pledge.backup.store.BackupStore;
import dev.pledge.core.PledgeException;
import dev.pledge.core.Scope;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Continuous log archiving and point-in-time restore through the encrypted backup pipeline (P9).
 *
 * <p>Full backups ({@link PostgresBaseBackup}, {@link MariaDbDump}) and every log segment (a
 * PostgreSQL WAL segment, a MariaDB binary log) are stored by the {@link BackupEngine}: zstd, Tink
 * streaming AEAD, a manifest written last. A segment's manifest has the newest full backup as its
 * {@code parent}, a source kind of {@value #WAL_KIND} or {@value #BINLOG_KIND}, and a typed
 * {@link BackupManifest#segment()} that records the segment's file name, timeline and the span of
 * time it covers (also spelled out in the description, which is what manifests written before that
 * field existed are read from):
 * <ul>
 *   <li>a WAL segment ends when PostgreSQL last wrote it (the spooled file's modification time, which
 *       {@link PostgresRecovery#archiveCommand} preserves) and begins where the previous segment on its
 *       timeline ended; a segment whose predecessor was never shipped begins at its own end, so the
 *       hole shows in every plan that crosses it. The file system stamps that time from the
 *       kernel's coarse clock, up to a tick (a few milliseconds) early, so a span errs short: it never
 *       claims an instant the segment may not reach, and a target in the last tick before a segment
 *       switch is reported as not covered until the next segment is shipped;</li>
 *   <li>a binary log spans its first to its last event timestamp, read from the file, joined to the
 *       previous binary log of the same name when that was shipped.</li>
 * </ul>
 *
 * <p>{@link #plan} turns "restore to T" into the exact objects needed ({@link RestorePlanner}), and
 * {@link #restorePostgres} / {@link #restoreMariaDb} fetch exactly those objects back through the
 * engine, each decrypted, authenticated and checked against its manifest before it is used, then
 * replay to T. A target the archive does not cover throws {@link TargetNotCoveredException} naming
 * what is missing, before anything is written.
 *
 * <p>Shipping is idempotent, as an {@code archive_command} must be: a segment shipped again with the
 * same bytes is not stored twice; with different bytes it is refused. One archive instance ships for
 * one scope and database; it is thread-safe.
 *
 * <p>To ship on a schedule, register {@link #shipJob(Path)} on a
 * {@link dev.pledge.backup.schedule.BackupScheduler}, typically on the policy's rolling schedule
 * (P7's {@code every: 5m}) while its daily schedule takes the full backups:
 *
 * {@snippet :
 * PitrArchive archive = PitrArchive.postgres(engine, store, scope);
 * PolicySchedules.registerEach(scheduler, policy, schedule -> schedule.trigger() instanceof Trigger.Every
 *     ? archive.shipJob(spool)                                    // every 5 minutes: WAL since the last run
 *     : (s, slot) -> archive.backupFull(PostgresBaseBackup.of(url))); // daily: a new base backup
 * }
 */
public final class PitrArchive {
  /** The source kind of a shipped WAL segment. */
  public static final String WAL_KIND = "postgres-wal";
  /** The source kind of a shipped binary log. */
  public static final String BINLOG_KIND = "mysql-binlog";

  private final BackupEngine engine;
  private final BackupStore store;
  private final Scope scope;
  private final boolean postgres;
  private final RestorePlanner planner;
  private final Object lock = new Object();
  private List<Entry> catalog; // guarded by lock; loaded lazily, kept current by this archive's own writes

  private PitrArchive(BackupEngine engine, BackupStore store, Scope scope, boolean postgres) {
    this.engine = Objects.requireNonNull(engine, "engine");
    this.store = Objects.requireNonNull(store, "store");
    this.scope = Objects.requireNonNull(scope, "scope");
    this.postgres = postgres;
    this.planner = RestorePlanner.create();
  }

  /** The archive of a PostgreSQL cluster's base backups and WAL for {@code scope} in {@code store}. */
  public static PitrArchive postgres(BackupEngine engine, BackupStore store, Scope scope) {
    return new PitrArchive(engine, store, scope, true);
  }

  /** The archive of a MariaDB/MySQL server's dumps and binary logs for {@code scope} in {@code store}. */
  public static PitrArchive mariaDb(BackupEngine engine, BackupStore store, Scope scope) {
    return new PitrArchive(engine, store, scope, false);
  }

  /**
   * One object of the archive.
   *
   * @param point what the planner sees
   * @param manifest the stored backup
   * @param segment the log's file name ({@code 000000010000000000000003}, {@code binlog.000002}), or
   *     empty for a full backup
   */
  public record Entry(RecoveryPoint point, BackupManifest manifest, Optional<String> segment) {}

  private String fullKind() {
    return postgres ? PostgresBaseBackup.KIND : MariaDbDump.KIND;
  }

  private String logKind() {
    return postgres ? WAL_KIND : BINLOG_KIND;
  }

  /**
   * Takes a full backup of {@code source} ({@link PostgresBaseBackup} or {@link MariaDbDump}, as this
   * archive's database) into the store; later segments name it as their parent.
   */
  public BackupManifest backupFull(BackupSource source) {
    if (!source.kind().equals(fullKind())) {
      throw new IllegalArgumentException("this archive's full backups are '" + fullKind() + "', got a '"
          + source.kind() + "' source (" + source.description() + ")");
    }
    BackupManifest m = engine.backup(source, scope, List.of(store));
    synchronized (lock) {
      if (catalog != null) {
        catalog.add(new Entry(RecoveryPoint.full(m.id(), m.startedAt(), m.finishedAt()), m, Optional.empty()));
      }
    }
    return m;
  }

  /**
   * Ships one completed log segment: a WAL segment file (named as PostgreSQL names it) or a closed
   * binary log. Returns its manifest, or the existing one when the same bytes were shipped before.
   *
   * @throws BackupException when a segment of that name was shipped with other bytes, or the engine fails
   * @throws IllegalArgumentException when the file name is not a segment name of this database
   */
  public BackupManifest ship(Path segment) {
    String name = segment.getFileName().toString();
    synchronized (lock) {
      List<Entry> all = loaded();
      try {
        String sha = LogSpans.sha256(segment);
        String timeline;
        Instant start;
        Instant end;
        Optional<Entry> previous;
        if (postgres) {
          timeline = LogSpans.walTimeline(name);
          end = Files.getLastModifiedTime(segment).toInstant();
          previous = latestLogBefore(all, name, timeline);
          boolean anyLog = all.stream().anyMatch(e -> e.segment().isPresent() && e.point().timeline().equals(timeline));
          if (previous.isPresent() && LogSpans.walFollows(previous.get().segment().orElseThrow(), name)) {
            start = previous.get().point().end();
          } else if (!anyLog) {
            start = newestFull(all).map(f -> f.point().start()).orElse(end);
          } else {
            start = end;
          }
        } else {
          String stream = LogSpans.binlogStream(name);
          timeline = "1";
          Instant[] times = LogSpans.binlogTimes(segment);
          start = times[0];
          end = times[1];
          previous = latestLogBefore(all, name, timeline)
              .filter(p -> LogSpans.binlogStream(p.segment().orElseThrow()).equals(stream));
          if (previous.isPresent() && LogSpans.binlogFollows(previous.get().segment().orElseThrow(), name)
              && previous.get().point().end().isBefore(start)) {
            start = previous.get().point().end();
          }
        }
        if (start.isAfter(end)) {
          start = end;
        }
        Optional<Entry> same = all.stream().filter(e -> e.segment().equals(Optional.of(name))).findFirst();
        if (same.isPresent()) {
          if (same.get().manifest().plaintextSha256().equals(sha)) {
            return same.get().manifest();
          }
          throw new BackupException("segment " + name + " was already archived as backup " + same.get().manifest().id()
              + " with different content; refusing to replace it");
        }
        LogSpans.Span span = new LogSpans.Span(logKind(), name, timeline, start, end);
        String parent = newestFull(all).map(f -> f.manifest().id()).orElse(null);
        BackupManifest m = engine.backup(FileObjects.source(logKind(), span.description(), segment), scope,
            List.of(store), parent, new LogSegment(name, Long.parseLong(timeline), start, end));
        all.add(new Entry(new RecoveryPoint(m.id(), RecoveryPoint.Kind.LOG, start, end, timeline), m, Optional.of(name)));
        return m;
      } catch (IOException e) {
        throw new BackupException("cannot read segment " + segment + ": " + e.getMessage(), e);
      }
    }
  }

  /**
   * Ships every segment in {@code spool} (the folder the {@code archive_command} copies into, or
   * where closed binary logs are put), in name order, deleting each once it is stored. Files that
   * are not segments (a {@code .partial}, a {@code .backup} label, a {@code .history} file) are left
   * where they are. Re-reads the store's catalog first, so full backups taken elsewhere become the
   * segments' parent.
   *
   * @return the manifests of the segments shipped, in order
   */
  public List<BackupManifest> shipSpool(Path spool) {
    refresh();
    List<Path> segments;
    try (Stream<Path> files = Files.list(spool)) {
      segments = files.filter(Files::isRegularFile)
          .filter(f -> (postgres ? LogSpans.WAL_NAME : LogSpans.BINLOG_NAME).matcher(f.getFileName().toString()).matches())
          .sorted(Comparator.comparing(f -> f.getFileName().toString())).toList();
    } catch (IOException e) {
      throw new BackupException("cannot list the spool " + spool + ": " + e.getMessage(), e);
    }
    List<BackupManifest> out = new ArrayList<>();
    for (Path f : segments) {
      out.add(ship(f));
      try {
        Files.delete(f);
      } catch (IOException e) {
        throw new BackupException("segment " + f.getFileName() + " is stored, but cannot be removed from the spool: "
            + e.getMessage(), e);
      }
    }
    return out;
  }

  /**
   * The job that ships {@code spool} ({@link #shipSpool}) whenever a {@link
   * dev.pledge.backup.schedule.BackupScheduler} runs it: register it on a rolling schedule of this
   * archive's scope, such as the policy's {@code every: 5m} (P7), and every slot ships what the
   * {@code archive_command} (or the binary-log rotation) put there since the last run. The scheduler
   * keeps runs of one schedule from overlapping and runs each slot on one node only; a failed run
   * (unreadable spool, store down) is retried with backoff and then alerted, and segments it did not
   * ship stay in the spool for the next run.
   *
   * @throws NullPointerException when {@code spool} is null
   */
  public BackupJob shipJob(Path spool) {
    Objects.requireNonNull(spool, "spool");
    return (jobScope, slot) -> {
      if (!scope.equals(jobScope)) {
        throw new IllegalArgumentException("the log-shipping job of " + scope + " (spool " + spool
            + ") was scheduled for " + jobScope);
      }
      shipSpool(spool);
    };
  }

  /** Forgets the cached catalog; the next call reads the store again. */
  public void refresh() {
    synchronized (lock) {
      catalog = null;
    }
  }

  /**
   * Every full backup and log segment of this archive's database and scope in the store, oldest
   * first, as stored (cached until {@link #refresh}). The manifests are not authenticated here, and
   * neither are those {@link #ship} reads to chain a new segment's span; {@link #plan} and the
   * restores read the catalog afresh and authenticate every manifest before planning from it.
   */
  public List<Entry> catalog() {
    synchronized (lock) {
      return List.copyOf(loaded());
    }
  }

  /**
   * The plan for restoring to {@code target}: which objects, or what is missing (P9). Reads the store
   * afresh and plans only from authenticated manifests ({@link BackupEngine#listAuthenticated}: one
   * data-key unwrap per manifest), so a log segment's span, a parent or a source kind altered in
   * the store cannot steer the plan.
   *
   * @throws dev.pledge.backup.BackupIntegrityException naming the backup when a manifest of this
   *     archive's scope fails authentication
   */
  public RestorePlan plan(Instant target) {
    return plan(target, authenticatedCatalog());
  }

  private RestorePlan plan(Instant target, List<Entry> entries) {
    return planner.plan(entries.stream().map(Entry::point).toList(), target);
  }

  /** The catalog read afresh with every manifest authenticated; it becomes the cached catalog. */
  private List<Entry> authenticatedCatalog() {
    synchronized (lock) {
      catalog = entries(engine.listAuthenticated(store, scope));
      return List.copyOf(catalog);
    }
  }

  /**
   * Restores the PostgreSQL cluster as it was at {@code target}: the plan's base backup unpacked into
   * {@code dataDir} (absent or empty), the plan's WAL segments into {@code walDir}, each fetched,
   * decrypted and verified through the engine, and recovery configured to replay to {@code target}
   * and promote. Starting PostgreSQL on {@code dataDir} then performs the replay.
   *
   * @return the plan that was followed
   * @throws TargetNotCoveredException when the archive cannot reach {@code target}; nothing is written
   */
  public RestorePlan restorePostgres(Instant target, Path dataDir, Path walDir) {
    requireDatabase(true);
    List<Entry> entries = authenticatedCatalog();
    RestorePlan plan = plan(target, entries);
    if (!plan.complete()) {
      throw new TargetNotCoveredException(plan);
    }
    Map<String, Entry> byId = byId(entries);
    engine.restore(store, plan.base().orElseThrow().id(), PostgresBaseBackup.dataFolder(dataDir));
    try {
      Files.createDirectories(walDir);
    } catch (IOException e) {
      throw new PledgeException("cannot create " + walDir + ": " + e.getMessage(), e);
    }
    for (RecoveryPoint log : plan.logs()) {
      String name = byId.get(log.id()).segment().orElseThrow();
      engine.restore(store, log.id(), FileObjects.target(WAL_KIND, walDir.resolve(name)));
    }
    PostgresRecovery.configureRecovery(dataDir, walDir, target, false);
    return plan;
  }

  /**
   * Restores the MariaDB/MySQL databases as they were at {@code target} into the server that
   * {@code client} reaches (e.g. {@code mariadb -h H -P P -u U}; a password goes in {@code clientEnv}
   * as {@code MYSQL_PWD}): the plan's dump and binary logs are fetched through the engine into
   * {@code workDir} (owner-only files, removed afterwards), the dump is loaded, and the binary logs
   * are replayed from the dump's position up to {@code target} with {@code mariadb-binlog}.
   *
   * @return the plan that was followed
   * @throws TargetNotCoveredException when the archive cannot reach {@code target}; nothing is written
   */
  public RestorePlan restoreMariaDb(Instant target, Path workDir, List<String> client, Map<String, String> clientEnv,
      Path mariadbBinlog) {
    requireDatabase(false);
    List<Entry> entries = authenticatedCatalog();
    RestorePlan plan = plan(target, entries);
    if (!plan.complete()) {
      throw new TargetNotCoveredException(plan);
    }
    Map<String, Entry> byId = byId(entries);
    Path dump = workDir.resolve("full.sql");
    Path logs = workDir.resolve("binlogs");
    try {
      Files.createDirectories(logs);
      engine.restore(store, plan.base().orElseThrow().id(), FileObjects.target(MariaDbDump.KIND, dump));
      MariaDbRecovery.BinlogPosition start = MariaDbRecovery.positionInDump(dump).orElseThrow(() -> new PledgeException(
          "full backup " + plan.base().get().id() + " records no binary-log position (taken without --master-data)"));
      List<Path> files = new ArrayList<>();
      for (RecoveryPoint log : plan.logs()) {
        String name = byId.get(log.id()).segment().orElseThrow();
        if (name.compareTo(start.file()) >= 0) {
          Path f = logs.resolve(name);
          engine.restore(store, log.id(), FileObjects.target(BINLOG_KIND, f));
          files.add(f);
        }
      }
      files.sort(Comparator.comparing(f -> f.getFileName().toString()));
      if (!files.isEmpty() && !files.get(0).getFileName().toString().equals(start.file())) {
        throw new PledgeException("the full backup's binary log " + start.file() + " is not in the archive; the plan's first is "
            + files.get(0).getFileName());
      }
      try (InputStream in = Files.newInputStream(dump)) {
        ExternalTool.run(client, clientEnv, in, null);
      }
      if (!files.isEmpty()) {
        MariaDbRecovery.replay(mariadbBinlog, files, start, target, client, clientEnv);
      }
      return plan;
    } catch (IOException e) {
      throw new PledgeException("point-in-time restore to " + target + " failed: " + e.getMessage(), e);
    } finally {
      deleteQuietly(logs);
      deleteQuietly(dump);
    }
  }

  private void requireDatabase(boolean pg) {
    if (pg != postgres) {
      throw new IllegalStateException("this archive holds " + (postgres ? "PostgreSQL" : "MariaDB") + " backups");
    }
  }

  private static Map<String, Entry> byId(List<Entry> entries) {
    Map<String, Entry> out = new TreeMap<>();
    entries.forEach(e -> out.put(e.manifest().id(), e));
    return out;
  }

  private static Optional<Entry> newestFull(List<Entry> all) {
    return all.stream().filter(e -> e.segment().isEmpty()).max(Comparator.comparing(e -> e.point().end()));
  }

  private static Optional<Entry> latestLogBefore(List<Entry> all, String name, String timeline) {
    return all.stream().filter(e -> e.segment().isPresent() && e.point().timeline().equals(timeline))
        .filter(e -> e.segment().get().compareTo(name) < 0)
        .max(Comparator.comparing(e -> e.segment().get()));
  }

  private List<Entry> loaded() {
    if (catalog == null) {
      catalog = entries(engine.list(store, scope));
    }
    return catalog;
  }

  private List<Entry> entries(List<BackupManifest> manifests) {
    List<Entry> out = new ArrayList<>();
    for (BackupManifest m : manifests) {
      if (m.sourceKind().equals(fullKind())) {
        out.add(new Entry(RecoveryPoint.full(m.id(), m.startedAt(), m.finishedAt()), m, Optional.empty()));
      } else if (m.sourceKind().equals(logKind())) {
        LogSegment seg = segmentOf(m);
        out.add(new Entry(new RecoveryPoint(m.id(), RecoveryPoint.Kind.LOG, seg.start(), seg.end(),
            Long.toString(seg.timeline())), m, Optional.of(seg.file())));
      }
    }
    return out;
  }

  /**
   * The segment a log backup holds: its manifest's typed field, or, in a manifest written before
   * that field existed, the span its description spells out. Either way the file name must be one of
   * this database's segment names, since a restore writes the segment under that name.
   */
  private LogSegment segmentOf(BackupManifest m) {
    LogSegment seg = m.segment();
    if (seg == null) {
      LogSpans.Span span = LogSpans.parse(m.sourceDescription()).filter(s -> s.kind().equals(logKind()))
          .orElseThrow(() -> new BackupException("log backup " + m.id() + " in " + store.location()
              + " has no segment and a description that names no segment span: '" + m.sourceDescription() + "'"));
      try {
        seg = new LogSegment(span.name(), Long.parseLong(span.timeline()), span.start(), span.end());
      } catch (IllegalArgumentException e) {
        throw new BackupException("log backup " + m.id() + " in " + store.location() + ": its description '"
            + m.sourceDescription() + "' names a bad segment: " + e.getMessage(), e);
      }
    }
    java.util.regex.Pattern names = postgres ? LogSpans.WAL_NAME : LogSpans.BINLOG_NAME;
    if (!names.matcher(seg.file()).matches()) {
      throw new BackupException("log backup " + m.id() + " in " + store.location() + ": segment.file '" + seg.file()
          + "' is not a " + (postgres ? "WAL segment" : "binary-log") + " file name");
    }
    return seg;
  }

  private static void deleteQuietly(Path p) {
    if (!Files.exists(p)) {
      return;
    }
    try (Stream<Path> files = Files.walk(p)) {
      files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    } catch (IOException ignored) {
      // best effort: the files are owner-only
    }
  }
}
