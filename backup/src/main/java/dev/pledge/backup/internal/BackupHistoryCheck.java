package dev.pledge.backup.internal;

import dev.pledge.backup.BackupEngine;
import dev.pledge.backup.BackupIntegrityException;
import dev.pledge.backup.BackupManifest;
import dev.pledge.backup.BackupPolicy;
import dev.pledge.backup.crypto.KeyWrapper;
import dev.pledge.backup.retention.RetentionPolicy;
import dev.pledge.backup.schedule.PolicySchedules;
import dev.pledge.backup.schedule.Schedule;
import dev.pledge.backup.schedule.Trigger;
import dev.pledge.backup.store.BackupStore;
import dev.pledge.backup.store.Stores;
import dev.pledge.core.audit.AuditTrail;
import dev.pledge.core.Scope;
import dev.pledge.core.audit.AuditOutcome;
import dev.pledge.core.audit.AuditRecord;
import dev.pledge.core.evidence.CheckContext;
import dev.pledge.core.evidence.Evidence;
import dev.pledge.core.evidence.Judgement;
import dev.pledge.core.evidence.PromiseCheck;
import dev.pledge.core.internal.AuditTrailCheck;
import dev.pledge.core.policy.HostingPolicy;
import dev.pledge.core.time.Durations;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Judges from the backup stores the policy names, and from its audit trail, the promises about what
 * the stores hold over time:
 * <ul>
 *   <li>P1: every location the policy names, and every location a stored backup records, is in one
 *       of {@code hosting.regions} (a {@code file:} location is a folder on the deployment's own
 *       hosts);</li>
 *   <li>P9: over the last 7 days of the period, every second of each production database can be
 *       restored: where its manifests name their log segments, every second has a full backup
 *       completed before it and an unbroken chain of log segments from that backup up to it; where
 *       they do not (a database backed up whole every few minutes), consecutive authenticated
 *       backups are never further apart than the schedule's interval plus a minute, from the first
 *       rolling slot due in the window to the last;</li>
 *   <li>P11: every backup the audit trail says was written to one of the policy's stores, younger
 *       than {@code retention.hotPeriod} at the period's end, is still there and authenticates
 *       (without a trail: every backup of that age held by one store is held by every other);</li>
 *   <li>P12: no authenticated backup older than {@code retention.hotPeriod} sits in a store that
 *       keeps it in hot storage (a {@code file:} store has no cold class; an S3 store's bucket moves
 *       it by the lifecycle rule its posture check requires).</li>
 * </ul>
 * Stateless and thread-safe.
 */
public final class BackupHistoryCheck implements PromiseCheck {
  private static final Duration GRACE = Duration.ofMinutes(1);
  private static final Duration PITR_WINDOW = Duration.ofDays(7);
  private static final int FIRST = 5;

  @Override
  public String name() {
    return "backup.history";
  }

  @Override
  public List<Integer> promises() {
    return List.of(1, 9, 11, 12);
  }

  @Override
  public List<Judgement> judge(CheckContext ctx) throws Exception {
    BackupPolicy policy = ctx.policy().section(BackupPolicy.class).orElse(null);
    HostingPolicy hosting = ctx.policy().section(HostingPolicy.class).orElse(HostingPolicy.defaults());
    if (policy == null) {
      return promises().stream().map(p -> Judgement.noEvidence(p, "the policy has no backups section")).toList();
    }
    KeyWrapper key = policy.key().keyWrapper(ctx.baseDirectory());
    BackupEngine engine = BackupEngine.builder(key).clock(ctx.clock()).auditTrail(AuditTrail.toLog()).build();
    List<BackupStore> stores = new ArrayList<>();
    try {
      for (String location : policy.locations()) {
        stores.add(Stores.parse(BackupStoresCheck.resolve(location, ctx.baseDirectory())));
      }
      Map<BackupStore, Map<String, BackupManifest>> held = new LinkedHashMap<>();
      List<String> unauthenticated = new ArrayList<>();
      Set<Scope> scopes = new LinkedHashSet<>();
      List<Schedule> schedules = PolicySchedules.from(policy);
      schedules.forEach(s -> scopes.add(s.scope()));
      policy.sources().forEach(s -> scopes.add(new Scope(s.site(), s.environment())));
      for (BackupStore store : stores) {
        Map<String, BackupManifest> byId = new LinkedHashMap<>();
        for (Scope scope : scopes) {
          try {
            Set<String> objects = new HashSet<>(store.list(scope.site() + "/" + scope.environment() + "/"));
            for (BackupManifest m : engine.listAuthenticated(store, scope)) {
              if (objects.contains(m.dataObject())) {
                byId.put(m.id(), m);
              }
            }
          } catch (BackupIntegrityException e) {
            unauthenticated.add(store.location() + " " + scope + ": " + e.getMessage());
          }
        }
        held.put(store, byId);
      }
      List<Judgement> out = new ArrayList<>();
      out.add(regions(policy, hosting, stores, held));
      out.add(pitr(ctx, schedules, held));
      out.add(kept(ctx, policy.locations(), stores, held, unauthenticated));
      out.add(cold(ctx, stores, held));
      return out;
    } finally {
      for (BackupStore s : stores) {
        if (s instanceof AutoCloseable c) {
          c.close();
        }
      }
    }
  }

  private static Judgement regions(BackupPolicy policy, HostingPolicy hosting, List<BackupStore> stores,
      Map<BackupStore, Map<String, BackupManifest>> held) {
    List<String> outside = new ArrayList<>();
    List<String> described = new ArrayList<>();
    for (BackupStore s : stores) {
      String region = s.region().orElse(null);
      described.add(s.location() + (region == null ? " (a folder on the deployment's hosts)" : " (" + region + ")"));
      if (region != null && !hosting.regions().contains(region)) {
        outside.add(s.location() + " is in " + region);
      }
    }
    Set<String> recorded = new TreeSet<>();
    held.values().forEach(m -> m.values().forEach(b -> recorded.addAll(b.locations())));
    for (String l : recorded) {
      String region = regionOf(l);
      if (region != null && !hosting.regions().contains(region)) {
        outside.add("a stored backup was also written to " + l + " in " + region);
      }
    }
    if (policy.key().kind() == BackupPolicy.KeyKind.KMS && !hosting.regions().contains(policy.key().region())) {
      outside.add("the backup key is in KMS in " + policy.key().region());
    }
    List<Evidence> ev = new ArrayList<>();
    ev.add(Evidence.of("allowed regions", String.join(", ", hosting.regions())));
    ev.add(Evidence.of("backup locations", String.join("; ", described)));
    ev.add(Evidence.of("locations recorded by stored backups", recorded.size()));
    first(ev, "outside the allowed regions", outside);
    return Judgement.judged(1, outside.isEmpty(), "every backup location (" + stores.size() + ") and every location a stored"
            + " backup records is in " + String.join(" or ", hosting.regions()) + " or on the deployment's own hosts",
        outside.isEmpty() ? "" : outside.size() + " locations are outside " + String.join(", ", hosting.regions()) + ": "
            + outside.get(0), ev);
  }

  private static Judgement pitr(CheckContext ctx, List<Schedule> schedules, Map<BackupStore, Map<String, BackupManifest>> held) {
    Instant windowStart = ctx.period().to().minus(PITR_WINDOW);
    if (windowStart.isBefore(ctx.period().from())) {
      windowStart = ctx.period().from();
    }
    List<String> gaps = new ArrayList<>();
    List<String> covered = new ArrayList<>();
    for (Schedule schedule : schedules) {
      if (!(schedule.trigger() instanceof Trigger.Every every) || every.period().compareTo(Duration.ofHours(1)) >= 0) {
        continue;
      }
      TreeSet<Instant> starts = new TreeSet<>();
      Map<String, BackupManifest> ofScope = new LinkedHashMap<>();
      for (Map<String, BackupManifest> m : held.values()) {
        for (BackupManifest b : m.values()) {
          if (b.scope().equals(schedule.scope())) {
            starts.add(b.startedAt());
            ofScope.putIfAbsent(b.id(), b);
          }
        }
      }
      List<Instant> slots = BackupStoresCheck.dueSlots(schedule,
          new dev.pledge.core.evidence.AssessmentPeriod(windowStart, ctx.period().to()));
      if (slots.isEmpty()) {
        continue;
      }
      if (ofScope.values().stream().anyMatch(b -> b.segment() != null)) {
        // The manifests name their log segments: judge restorability second by second.
        secondBySecond(schedule, ofScope.values(), windowStart, ctx.period().to(), covered, gaps);
        continue;
      }
      Instant first = slots.get(0);
      Instant last = slots.get(slots.size() - 1);
      Duration allowed = every.period().plus(GRACE);
      Instant prev = starts.floor(first.plus(every.period()));
      if (prev == null || prev.isBefore(first.minus(every.period()))) {
        gaps.add(schedule.scope() + ": nothing to restore at " + first);
        continue;
      }
      Instant gapFrom = null;
      Duration widest = Duration.ZERO;
      for (Instant t : starts.tailSet(prev, false)) {
        if (t.isAfter(last.plus(every.period()))) {
          break;
        }
        Duration gap = Duration.between(prev, t);
        if (gap.compareTo(widest) > 0) {
          widest = gap;
        }
        if (gap.compareTo(allowed) > 0 && gapFrom == null) {
          gapFrom = prev;
          gaps.add(schedule.scope() + ": no backup from " + prev + " to " + t + " (" + Durations.format(gap) + ")");
        }
        prev = t;
      }
      if (Duration.between(prev, last).compareTo(allowed) > 0) {
        gaps.add(schedule.scope() + ": no backup after " + prev + " (the last slot due was " + last + ")");
      }
      covered.add(schedule.scope() + " " + first + " to " + last + ", widest gap " + Durations.format(widest));
    }
    if (covered.isEmpty() && gaps.isEmpty()) {
      return Judgement.noEvidence(9, "no rolling database backup schedule was due in the period");
    }
    List<Evidence> ev = new ArrayList<>();
    ev.add(Evidence.of("window", windowStart + " to " + ctx.period().to() + " (the last 7 days, within the period)"));
    ev.add(Evidence.of("databases covered", String.join("; ", covered)));
    ev.add(Evidence.of("gaps", gaps.size()));
    first(ev, "first gaps", gaps);
    return Judgement.judged(9, gaps.isEmpty(), "every second of the window can be restored, for each production"
        + " database (from a full backup and an unbroken chain of log segments up to it where the manifests name their"
        + " segments, else from a backup at most one rolling interval before it)", gaps.size() + " gaps in the rolling backups: "
        + (gaps.isEmpty() ? "" : gaps.get(0)), ev);
  }

  /**
   * P9 where the manifests name their log segments: a second {@code t} can be restored when a full
   * backup (no parent, no segment) completed at or before {@code t} and the log segments run without
   * a break (1 second tolerated, as the restore planner does) from that full backup's end to
   * {@code t}. Adds the scope's coverage to {@code covered}, or its first unrestorable stretch to
   * {@code gaps}. One timeline is assumed; the restore planner follows timeline switches at restore.
   */
  private static void secondBySecond(Schedule schedule, java.util.Collection<BackupManifest> manifests, Instant from,
      Instant to, List<String> covered, List<String> gaps) {
    List<Instant> fullEnds = new ArrayList<>();
    List<long[]> logs = new ArrayList<>();
    for (BackupManifest b : manifests) {
      if (b.segment() != null) {
        logs.add(new long[] {b.segment().start().getEpochSecond(), b.segment().end().getEpochSecond()});
      } else if (b.parent() == null) {
        fullEnds.add(b.finishedAt());
      }
    }
    logs.sort((a, b) -> Long.compare(a[0], b[0]));
    List<long[]> chains = new ArrayList<>(); // unbroken runs of log segments, tolerance 1 s
    for (long[] l : logs) {
      if (!chains.isEmpty() && l[0] <= chains.get(chains.size() - 1)[1] + 1) {
        long[] last = chains.get(chains.size() - 1);
        last[1] = Math.max(last[1], l[1]);
      } else {
        chains.add(new long[] {l[0], l[1]});
      }
    }
    // Each full backup makes restorable every second from its end to the end of the chain it starts on.
    List<long[]> restorable = new ArrayList<>();
    for (Instant f : fullEnds) {
      long at = f.getEpochSecond() + (f.getNano() > 0 ? 1 : 0);
      long reach = at;
      for (long[] c : chains) {
        if (c[0] <= at && at <= c[1]) {
          reach = Math.max(reach, c[1]);
        }
      }
      restorable.add(new long[] {at, reach});
    }
    restorable.sort((a, b) -> Long.compare(a[0], b[0]));
    long t = from.getEpochSecond();
    long end = to.getEpochSecond() - 1; // the last whole second of the window
    for (long[] r : restorable) {
      if (r[0] > t) {
        break;
      }
      t = Math.max(t, r[1] + 1);
    }
    String scope = schedule.scope() + " (" + fullEnds.size() + " full backups, " + logs.size() + " log segments)";
    if (t <= end) {
      Instant hole = Instant.ofEpochSecond(t);
      boolean noFull = fullEnds.stream().noneMatch(f -> !f.isAfter(hole));
      gaps.add(schedule.scope() + ": " + hole + " cannot be restored: " + (noFull ? "no full backup completed before it"
          : "the log segments break before it"));
      return;
    }
    covered.add(scope + " every second from " + from + " to " + to + " restorable from a full backup and unbroken log"
        + " segments");
  }

  private static Judgement kept(CheckContext ctx, List<String> locations, List<BackupStore> stores,
      Map<BackupStore, Map<String, BackupManifest>> held, List<String> unauthenticated) {
    RetentionPolicy retention = ctx.policy().section(RetentionPolicy.class).orElse(RetentionPolicy.defaults());
    Instant young = ctx.period().to().atOffset(ZoneOffset.UTC).minus(retention.hotPeriod()).toInstant();
    Instant since = young.isBefore(ctx.period().from()) ? ctx.period().from() : young;
    Map<String, BackupStore> byLocation = new LinkedHashMap<>();
    Map<String, BackupStore> bySuffix = new LinkedHashMap<>();
    for (int i = 0; i < stores.size(); i++) {
      byLocation.put(normalise(stores.get(i).location()), stores.get(i));
      String l = locations.get(i);
      if (l.startsWith("file:") && !Path.of(l.substring("file:".length())).isAbsolute()) {
        // a folder beside the policy: the trail may name it where the deployment stood when it wrote
        bySuffix.put("/" + Path.of(l.substring("file:".length())).normalize(), stores.get(i));
      }
    }
    List<String> gone = new ArrayList<>();
    int audited = 0;
    int elsewhere = 0;
    boolean trail = AuditTrailCheck.named(ctx);
    if (trail) {
      for (AuditRecord r : AuditTrailCheck.records(ctx)) {
        if (!r.action().equals("backup.run") || r.outcome() != AuditOutcome.SUCCESS || r.at().isBefore(since)
            || !r.at().isBefore(ctx.period().to()) || r.details() == null || r.details().get("locations") == null) {
          continue;
        }
        for (String l : r.details().get("locations").split(" ")) {
          BackupStore s = byLocation.get(normalise(l));
          if (s == null) {
            s = bySuffix.entrySet().stream().filter(e -> l.endsWith(e.getKey())).map(Map.Entry::getValue).findFirst()
                .orElse(null);
          }
          if (s == null) {
            elsewhere++;
            continue;
          }
          audited++;
          if (!held.get(s).containsKey(r.resource())) {
            gone.add(r.resource() + " (" + r.scope() + ", made " + r.at() + ") from " + s.location());
          }
        }
      }
    } else {
      Set<String> all = new TreeSet<>();
      held.values().forEach(m -> m.values().stream().filter(b -> !b.startedAt().isBefore(since)).forEach(b -> all.add(b.id())));
      for (String id : all) {
        for (BackupStore s : stores) {
          audited++;
          if (!held.get(s).containsKey(id)) {
            gone.add(id + " from " + s.location() + " (held by another location)");
          }
        }
      }
    }
    List<Evidence> ev = new ArrayList<>();
    ev.add(Evidence.of("kept for", Durations.formatPeriod(retention.hotPeriod()) + " (backups made since " + since + ")"));
    ev.add(Evidence.of("expected from", trail ? "the audit trail's record of every backup written" : "the other locations"));
    ev.add(Evidence.of("copies expected", audited));
    if (elsewhere > 0) {
      ev.add(Evidence.of("copies written to locations the policy does not name (not read)", elsewhere));
    }
    ev.add(Evidence.of("copies missing", gone.size()));
    first(ev, "first missing", gone);
    first(ev, "listings failing authentication", unauthenticated);
    if (audited == 0) {
      return Judgement.noEvidence(11, "no backup was written to the policy's stores in the period");
    }
    return Judgement.judged(11, gone.isEmpty() && unauthenticated.isEmpty(),
        "each of the " + audited + " copies made in the period is still held, younger than "
            + Durations.formatPeriod(retention.hotPeriod()),
        gone.isEmpty() ? unauthenticated.size() + " store listings fail authentication"
            : gone.size() + " backups younger than " + Durations.formatPeriod(retention.hotPeriod()) + " were deleted: "
            + gone.get(0), ev);
  }

  private static Judgement cold(CheckContext ctx, List<BackupStore> stores, Map<BackupStore, Map<String, BackupManifest>> held) {
    RetentionPolicy retention = ctx.policy().section(RetentionPolicy.class).orElse(null);
    if (retention == null) {
      return Judgement.noEvidence(12, "the policy has no retention section naming a cold storage class");
    }
    Instant old = ctx.period().to().atOffset(ZoneOffset.UTC).minus(retention.hotPeriod()).toInstant();
    List<String> hot = new ArrayList<>();
    int read = 0;
    int bucketManaged = 0;
    for (BackupStore s : stores) {
      for (BackupManifest b : held.get(s).values()) {
        read++;
        if (!b.startedAt().isBefore(old)) {
          continue;
        }
        if (s.region().isPresent()) {
          bucketManaged++; // the bucket's lifecycle rule moves it (P10's posture requires the rule)
        } else {
          hot.add(b.id() + " (" + b.scope() + ", " + b.startedAt() + ") in " + s.location());
        }
      }
    }
    List<Evidence> ev = new ArrayList<>();
    ev.add(Evidence.of("hot period", Durations.formatPeriod(retention.hotPeriod()) + " (older than " + old + ")"));
    ev.add(Evidence.of("cold class", retention.coldStorageClass()));
    ev.add(Evidence.of("backups read", read));
    ev.add(Evidence.of("older backups left in hot storage", hot.size()));
    if (bucketManaged > 0) {
      ev.add(Evidence.of("older backups in buckets whose lifecycle rule moves them", bucketManaged));
    }
    first(ev, "first older backups in hot storage", hot);
    if (read == 0) {
      return Judgement.noEvidence(12, "the stores hold no backup to judge");
    }
    return Judgement.judged(12, hot.isEmpty(), "no backup older than " + Durations.formatPeriod(retention.hotPeriod())
            + " is left in hot storage; older ones go to " + retention.coldStorageClass(),
        hot.size() + " backups older than " + Durations.formatPeriod(retention.hotPeriod()) + " are still in hot storage: "
            + (hot.isEmpty() ? "" : hot.get(0)), ev);
  }

  /** {@code file:} locations compared by absolute path; others as written. */
  private static String normalise(String location) {
    if (location.startsWith("file:")) {
      return "file:" + Path.of(location.substring("file:".length())).toAbsolutePath().normalize();
    }
    return location;
  }

  /** The {@code region=} of an {@code s3://} location, or null. */
  static String regionOf(String location) {
    int q = location.indexOf('?');
    if (q < 0) {
      return null;
    }
    for (String kv : location.substring(q + 1).split("&")) {
      if (kv.startsWith("region=")) {
        return kv.substring("region=".length());
      }
    }
    return null;
  }

  private static void first(List<Evidence> ev, String name, List<String> items) {
    if (!items.isEmpty()) {
      ev.add(Evidence.of(name, String.join("; ", items.subList(0, Math.min(FIRST, items.size())))
          + (items.size() > FIRST ? "; ..." : "")));
    }
  }
}
