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
 *   <li>a timeline history file ({@code 00000002.history}, written when a server is promoted after a
 *       failover or a point-in-time recovery) is stored as a {@value #HISTORY_KIND} backup recording
 *       the new timeline, its parent and the switch point; the new timeline's first segment begins
 *       where its parent's segment before the switch ended, and plans follow the timeline that leads
 *       to the target ({@link RestorePlanner#plan(java.util.Collection, java.util.Collection, Instant)}).
 *       The switch point's segment is computed for PostgreSQL's default 16 MiB WAL segments;</li>
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
 * <pre>{@code
 * PitrArchive archive = PitrArchive.postgres(engine, store, scope);
 * PolicySchedules.registerEach(scheduler, policy, schedule -> schedule.trigger() instanceof Trigger.Every
 *     ? archive.shipJob(spool)                                    // every 5 minutes: WAL since the last run
 *     : (s, slot) -> archive.backupFull(PostgresBaseBackup.of(url))); // daily: a new base backup
 * }</pre>
 */
public final class PitrArchive {
  /** The source kind of a shipped WAL segment. */
  public static final String WAL_KIND = "postgres-wal";
  /**
   * The source kind of a shipped PostgreSQL timeline history file ({@code 00000002.history}); its
   * manifest's segment names the file and the new timeline, and its description the parent timeline
   * and the switch point, which the planner follows ({@link TimelineSwitch}).
   */
  public static final String HISTORY_KIND = "postgres-history";
  /** The source kind of a shipped binary log. */
  public static final String BINLOG_KIND = "mysql-binlog";

  private final BackupEngine engine;
  private final BackupStore store;
  private final Scope scope;
  private final boolean postgres;
  private final RestorePlanner planner;
  private final Object lock = new Object();
  // guarded by lock; loaded lazily, kept current by this archive's own writes:
  private List<Entry> stored; // as stored, for catalog()
  private Catalog checked; // authenticated, for ship() and the plans

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

  /** The full backups and logs, and the timeline switches (PostgreSQL only). */
  private record Catalog(List<Entry> entries, List<TimelineSwitch> switches, Map<String, BackupManifest> histories) {}

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
      Entry e = new Entry(RecoveryPoint.full(m.id(), m.startedAt(), m.finishedAt()), m, Optional.empty());
      if (stored != null) {
        stored.add(e);
      }
      if (checked != null) {
        checked.entries().add(e);
      }
    }
    return m;
  }

  /**
   * Ships one completed log segment: a WAL segment file (named as PostgreSQL names it), a timeline
   * history file ({@code 00000002.history}) or a closed binary log. Returns its manifest, or the
   * existing one when the same bytes were shipped before.
   *
   * <p>A segment's span begins where the previous one's ended, so the catalog that says where that
   * was is read authenticated ({@link BackupEngine#listAuthenticated}, cached by the engine): a
   * manifest altered in the store cannot feed a newly signed segment's start. The first segment of a
   * new timeline begins where its parent's segment before the switch ended, once the timeline's
   * history file was shipped (a spool ships it first: {@code 00000002.history} sorts before the
   * timeline's segments).
   *
   * @throws BackupException when a segment of that name was shipped with other bytes, or the engine fails
   * @throws dev.pledge.backup.BackupIntegrityException naming the backup when a manifest of this
   *     archive's scope fails authentication
   * @throws IllegalArgumentException when the file name is not a segment name of this database
   */
  public BackupManifest ship(Path segment) {
    return ship(segment, null);
  }

  private BackupManifest ship(Path segment, String schedule) {
    String name = segment.getFileName().toString();
    synchronized (lock) {
      Catalog cat = checkedCatalog();
      if (postgres && LogSpans.HISTORY_NAME.matcher(name).matches()) {
        return shipHistory(cat, segment, name, schedule);
      }
      List<Entry> all = cat.entries();
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
          boolean anyLog = all.stream().anyMatch(e -> e.segment().isPresent() && e.point().timeline().equals(timeline)
              && e.segment().get().compareTo(name) < 0);
          Optional<TimelineSwitch> branch = cat.switches().stream().filter(sw -> sw.timeline().equals(timeline)).findFirst();
          if (previous.isPresent() && LogSpans.walFollows(previous.get().segment().orElseThrow(), name)) {
            start = previous.get().point().end();
          } else if (!anyLog && timeline.equals("1")) {
            start = newestFull(all).map(f -> f.point().start()).orElse(end);
          } else if (!anyLog && branch.isPresent() && LogSpans.walPosition(name) == branch.get().position()) {
            // the new timeline's first segment continues its parent's segment before the switch point
            String prefix = name.substring(0, 8);
            start = all.stream().filter(e -> e.segment().isPresent() && e.point().timeline().equals(branch.get().parent()))
                .filter(e -> LogSpans.walFollows(prefix + e.segment().get().substring(8), name))
                .map(e -> e.point().end()).findFirst().orElse(end);
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
            List.of(store), parent, new LogSegment(name, Long.parseLong(timeline), start, end), schedule);
        Entry entry = new Entry(new RecoveryPoint(m.id(), RecoveryPoint.Kind.LOG, start, end, timeline,
            position(name)), m, Optional.of(name));
        all.add(entry);
        if (stored != null) {
          stored.add(entry);
        }
        return m;
      } catch (IOException e) {
        throw new BackupException("cannot read segment " + segment + ": " + e.getMessage(), e);
      }
    }
  }

  private BackupManifest shipHistory(Catalog cat, Path file, String name, String schedule) {
    try {
      String sha = LogSpans.sha256(file);
      String[] sw = LogSpans.historySwitch(file);
      Instant at = Files.getLastModifiedTime(file).toInstant();
      Optional<TimelineSwitch> same = cat.switches().stream().filter(s -> s.timeline().equals(sw[0])).findFirst();
      if (same.isPresent()) {
        BackupManifest existing = cat.histories().get(same.get().id());
        if (existing.plaintextSha256().equals(sha)) {
          return existing;
        }
        throw new BackupException("timeline history " + name + " was already archived as backup " + existing.id()
            + " with different content; refusing to replace it");
      }
      LogSpans.History h = new LogSpans.History(HISTORY_KIND, name, sw[0], sw[1], sw[2], at);
      String parent = newestFull(cat.entries()).map(f -> f.manifest().id()).orElse(null);
      BackupManifest m = engine.backup(FileObjects.source(HISTORY_KIND, h.description(), file), scope, List.of(store),
          parent, new LogSegment(name, Long.parseLong(sw[0]), at, at), schedule);
      cat.switches().add(new TimelineSwitch(m.id(), sw[0], sw[1], at, h.position()));
      cat.histories().put(m.id(), m);
      return m;
    } catch (IOException e) {
      throw new BackupException("cannot read timeline history " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * Ships every segment in {@code spool} (the folder the {@code archive_command} copies into, or
   * where closed binary logs are put), in name order, deleting each once it is stored; a PostgreSQL
   * spool's timeline history files are shipped too, each before its timeline's segments. Files that
   * are not segments (a {@code .partial}, a {@code .backup} label) are left where they are. Re-reads
   * the store's catalog first, so full backups taken elsewhere become the
   * segments' parent.
   *
   * @return the manifests of the segments shipped, in order
   */
  public List<BackupManifest> shipSpool(Path spool) {
    return shipSpool(spool, null);
  }

  private List<BackupManifest> shipSpool(Path spool, String schedule) {
    refresh();
    List<Path> segments;
    try (Stream<Path> files = Files.list(spool)) {
      segments = files.filter(Files::isRegularFile)
          .filter(f -> postgres
              ? LogSpans.WAL_NAME.matcher(f.getFileName().toString()).matches()
                  || LogSpans.HISTORY_NAME.matcher(f.getFileName().toString()).matches()
              : LogSpans.BINLOG_NAME.matcher(f.getFileName().toString()).matches())
          .sorted(Comparator.comparing(f -> f.getFileName().toString())).toList();
    } catch (IOException e) {
      throw new BackupException("cannot list the spool " + spool + ": " + e.getMessage(), e);
    }
    List<BackupManifest> out = new ArrayList<>();
    for (Path f : segments) {
      out.add(ship(f, schedule));
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
   * ship stay in the spool for the next run. Each segment's manifest names the schedule that shipped
   * it ({@link BackupManifest#schedule()}), so the rolling schedule's log backups do not count for the
   * daily schedule's freshness.
   *
   * @throws NullPointerException when {@code spool} is null
   */
  public BackupJob shipJob(Path spool) {
    Objects.requireNonNull(spool, "spool");
    return new BackupJob() {
      @Override
      public void run(Scope jobScope, Instant slot) {
        requireScope(jobScope, spool);
        shipSpool(spool);
      }

      @Override
      public void run(dev.pledge.backup.schedule.Schedule schedule, Instant slot) {
        requireScope(schedule.scope(), spool);
        shipSpool(spool, schedule.name());
      }
    };
  }

  private void requireScope(Scope jobScope, Path spool) {
    if (!scope.equals(jobScope)) {
      throw new IllegalArgumentException("the log-shipping job of " + scope + " (spool " + spool
          + ") was scheduled for " + jobScope);
    }
  }

  /** Forgets the cached catalog; the next call reads the store again. */
  public void refresh() {
    synchronized (lock) {
      stored = null;
      checked = null;
    }
  }

  /**
   * Every full backup and log segment of this archive's database and scope in the store, oldest
   * first, as stored (cached until {@link #refresh}). The manifests are not authenticated here;
   * {@link #ship} and {@link #plan} and the restores authenticate every manifest they use.
   */
  public List<Entry> catalog() {
    synchronized (lock) {
      if (stored == null) {
        stored = catalogOf(engine.list(store, scope)).entries();
      }
      return List.copyOf(stored);
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

  private RestorePlan plan(Instant target, Catalog cat) {
    return planner.plan(cat.entries().stream().map(Entry::point).toList(), cat.switches(), target);
  }

  /**
   * The catalog read afresh with every manifest authenticated (the engine re-checks only manifests
   * whose stored bytes it has not checked before); it becomes the cached checked catalog.
   */
  private Catalog authenticatedCatalog() {
    synchronized (lock) {
      checked = catalogOf(engine.listAuthenticated(store, scope));
      stored = new ArrayList<>(checked.entries()); // checked, so also as stored
      return new Catalog(List.copyOf(checked.entries()), List.copyOf(checked.switches()), Map.copyOf(checked.histories()));
    }
  }

  private Catalog checkedCatalog() {
    if (checked == null) {
      checked = catalogOf(engine.listAuthenticated(store, scope));
      stored = new ArrayList<>(checked.entries()); // checked, so also as stored
    }
    return checked;
  }

  /**
   * Restores the PostgreSQL cluster as it was at {@code target}: the plan's base backup unpacked into
   * {@code dataDir} (absent or empty), the plan's WAL segments into {@code walDir}, each fetched,
   * decrypted and verified through the engine, and recovery configured to replay to {@code target}
   * and promote. When the target lies on a later timeline than the base, the plan's timeline history
   * files go into {@code walDir} too and recovery follows that timeline ({@code
   * recovery_target_timeline}). Starting PostgreSQL on {@code dataDir} then performs the replay.
   *
   * @return the plan that was followed
   * @throws TargetNotCoveredException when the archive cannot reach {@code target}; nothing is written
   */
  public RestorePlan restorePostgres(Instant target, Path dataDir, Path walDir) {
    requireDatabase(true);
    Catalog cat = authenticatedCatalog();
    RestorePlan plan = plan(target, cat);
    if (!plan.complete()) {
      throw new TargetNotCoveredException(plan);
    }
    Map<String, Entry> byId = byId(cat.entries());
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
    for (TimelineSwitch sw : plan.timelines()) {
      String name = cat.histories().get(sw.id()).segment().file();
      engine.restore(store, sw.id(), FileObjects.target(HISTORY_KIND, walDir.resolve(name)));
    }
    PostgresRecovery.configureRecovery(dataDir, walDir, target, false,
        plan.timelines().isEmpty() ? Optional.empty() : Optional.of(plan.timeline()));
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
    Catalog cat = authenticatedCatalog();
    RestorePlan plan = plan(target, cat);
    if (!plan.complete()) {
      throw new TargetNotCoveredException(plan);
    }
    Map<String, Entry> byId = byId(cat.entries());
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

  private Catalog catalogOf(List<BackupManifest> manifests) {
    List<Entry> out = new ArrayList<>();
    List<TimelineSwitch> switches = new ArrayList<>();
    Map<String, BackupManifest> histories = new TreeMap<>();
    for (BackupManifest m : manifests) {
      if (m.sourceKind().equals(fullKind())) {
        out.add(new Entry(RecoveryPoint.full(m.id(), m.startedAt(), m.finishedAt()), m, Optional.empty()));
      } else if (m.sourceKind().equals(logKind())) {
        LogSegment seg = segmentOf(m);
        out.add(new Entry(new RecoveryPoint(m.id(), RecoveryPoint.Kind.LOG, seg.start(), seg.end(),
            Long.toString(seg.timeline()), position(seg.file())), m, Optional.of(seg.file())));
      } else if (postgres && m.sourceKind().equals(HISTORY_KIND)) {
        switches.add(switchOf(m));
        histories.put(m.id(), m);
      }
    }
    return new Catalog(out, switches, histories);
  }

  private long position(String file) {
    return postgres ? LogSpans.walPosition(file) : Long.parseLong(LogSpans.BINLOG_NAME.matcher(file).replaceFirst("$2"));
  }

  /** The switch a history backup records: its segment names the file, its description the switch. */
  private TimelineSwitch switchOf(BackupManifest m) {
    LogSpans.History h = LogSpans.parseHistory(m.sourceDescription())
        .filter(x -> x.kind().equals(HISTORY_KIND))
        .orElseThrow(() -> new BackupException("timeline history backup " + m.id() + " in " + store.location()
            + " has a description that names no timeline switch: '" + m.sourceDescription() + "'"));
    LogSegment seg = m.segment();
    if (seg == null || !seg.file().equals(h.name()) || !LogSpans.HISTORY_NAME.matcher(seg.file()).matches()
        || !Long.toString(seg.timeline()).equals(h.timeline())) {
      throw new BackupException("timeline history backup " + m.id() + " in " + store.location() + ": its segment "
          + seg + " does not match its description '" + m.sourceDescription() + "'");
    }
    try {
      return new TimelineSwitch(m.id(), h.timeline(), h.parent(), h.at(), h.position());
    } catch (IllegalArgumentException e) {
      throw new BackupException("timeline history backup " + m.id() + " in " + store.location() + ": " + e.getMessage(), e);
    }
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
