package dev.pledge.backup.retention;

import dev.pledge.backup.retention.internal.LocalTimes;
import dev.pledge.core.time.Durations;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.Period;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Decides, for every backup, keep, archive (cold storage) or delete, and names the rules that
 * decided it (P11, P12), then makes the plan dependency-aware (P9): a retained incremental or log
 * keeps its whole parent chain, and with log backups present the point-in-time window is covered
 * by keeping the newest full backup at or before its start and every incremental and log after it.
 *
 * <p>Retained backups older than the hot period move to the cold storage class ({@link
 * Decision#ARCHIVE}); backups already in cold storage are not deleted before the class's minimum
 * storage duration, so S3 never bills an early deletion. A plan is a pure computation over the
 * inventory: nothing is deleted or moved by making one.
 *
 * <p>Immutable and thread-safe; {@link #plan} runs in O(n log n) for n backups.
 */
public final class RetentionPlanner {
  /** Newest first; equal times by id, so plans do not depend on input order. */
  private static final Comparator<BackupRecord> NEWEST_FIRST =
      Comparator.comparing(BackupRecord::time).reversed().thenComparing(BackupRecord::id);

  private static final int LAST = 0;
  private static final int HOURLY = 1;
  private static final int DAILY = 2;
  private static final int WEEKLY = 3;
  private static final int MONTHLY = 4;
  private static final int YEARLY = 5;
  private static final int WITHIN = 6;
  private static final int NEWEST = 7;
  private static final int EMPTY = 8;
  private static final int DEP = 9;
  private static final String[] NAMES = {"last", "hourly", "daily", "weekly", "monthly", "yearly"};
  private static final List<String> NO_RULE = List.of("no keep rule matched");

  private final RetentionRules rules;
  private final Semantics semantics;
  private final ZoneId zone;
  private final Clock clock;
  private final Period hotPeriod;
  private final ColdStorageClass coldStorageClass;
  private final Duration pitrWindow;

  private RetentionPlanner(Builder b) {
    this.rules = Objects.requireNonNull(b.rules, "rules");
    this.semantics = Objects.requireNonNull(b.semantics, "semantics");
    this.zone = Objects.requireNonNull(b.zone, "zone");
    this.clock = Objects.requireNonNull(b.clock, "clock");
    this.hotPeriod = b.hotPeriod;
    this.coldStorageClass = Objects.requireNonNull(b.coldStorageClass, "coldStorageClass");
    this.pitrWindow = b.pitrWindow;
    if (hotPeriod != null && (hotPeriod.isNegative() || hotPeriod.isZero())) {
      throw new IllegalArgumentException("hotPeriod must be greater than zero, got " + hotPeriod);
    }
    if (pitrWindow != null && (pitrWindow.isNegative() || pitrWindow.isZero())) {
      throw new IllegalArgumentException("pitrWindow must be greater than zero, got " + pitrWindow);
    }
  }

  /**
   * A builder with no rules, pledge semantics, UTC, the system UTC clock, no hot period (nothing
   * archived), GLACIER and no PITR window.
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The planner the {@code retention} section states (P9, P11, P12), with the system UTC clock.
   *
   * @param policy the {@code retention} section
   * @return the planner
   */
  public static RetentionPlanner from(RetentionPolicy policy) {
    return builder(policy).build();
  }

  /**
   * A builder filled from the {@code retention} section, to change one thing (a clock, the
   * semantics) before {@link Builder#build()}.
   *
   * @param policy the {@code retention} section
   * @return the builder
   */
  public static Builder builder(RetentionPolicy policy) {
    return builder().rules(policy.rules()).semantics(policy.semanticsValue()).zone(policy.zoneId())
        .hotPeriod(policy.hotPeriod()).coldStorageClass(policy.coldStorageClass())
        .pitrWindow(policy.pitrWindow());
  }

  /** A builder with this planner's settings. */
  public Builder toBuilder() {
    return builder().rules(rules).semantics(semantics).zone(zone).clock(clock).hotPeriod(hotPeriod)
        .coldStorageClass(coldStorageClass).pitrWindow(pitrWindow);
  }

  /** The keep rules. */
  public RetentionRules rules() {
    return rules;
  }

  /** The semantics the rules are read with. */
  public Semantics semantics() {
    return semantics;
  }

  /** The zone whose wall clock the period rules bucket by. */
  public ZoneId zone() {
    return zone;
  }

  /** The cold storage class archived backups move to. */
  public ColdStorageClass coldStorageClass() {
    return coldStorageClass;
  }

  /** The hot period (retained backups older than it are archived), or null for none. */
  public Period hotPeriod() {
    return hotPeriod;
  }

  /**
   * Plans retention over {@code backups} (any order).
   *
   * @return one decision per backup, newest first
   * @throws IllegalArgumentException when two backups share an id
   * @throws RetentionException when a retained backup's parent chain is not in the inventory, so
   *     the plan cannot keep it restorable
   */
  public RetentionPlan plan(Collection<BackupRecord> backups) {
    BackupRecord[] arr = backups.toArray(new BackupRecord[0]);
    Arrays.sort(arr, NEWEST_FIRST);
    int n = arr.length;
    Instant now = clock.instant();
    int[] mask = new int[n];
    @SuppressWarnings("unchecked")
    List<String>[] extra = new List[n];
    List<String> warnings = new ArrayList<>();
    if (n == 0) {
      return new RetentionPlan(List.of(), warnings);
    }
    if (rules.isEmpty()) {
      Arrays.fill(mask, 1 << EMPTY);
    } else if (semantics == Semantics.BORG) {
      applyBorg(arr, mask, extra, now);
    } else {
      applyCounting(arr, mask, now);
    }
    boolean deps = false;
    for (BackupRecord b : arr) {
      if (b.parent() != null || b.kind() != BackupKind.FULL) {
        deps = true;
        break;
      }
    }
    if (deps) {
      applyDependencies(arr, mask, extra, now, warnings);
    }
    return decide(arr, mask, extra, now, warnings);
  }

  private int[] counts() {
    return new int[] {rules.last(), rules.hourly(), rules.daily(), rules.weekly(), rules.monthly(),
        rules.yearly()};
  }

  /** Restic's reading (and Pledge's): every rule walks all backups, counts overlap. */
  private void applyCounting(BackupRecord[] arr, int[] mask, Instant now) {
    int n = arr.length;
    Instant withinAfter = null;
    if (rules.within() != null) {
      if (semantics == Semantics.RESTIC) {
        // restic measures keep-within from the newest snapshot that is not in the future (before
        // now); with none, every snapshot is within.
        Instant latest = null;
        for (BackupRecord b : arr) {
          if (b.time().isBefore(now)) {
            latest = b.time();
            break;
          }
        }
        withinAfter = latest == null ? Instant.MIN : latest.minus(rules.within());
      } else {
        withinAfter = now.minus(rules.within());
      }
    }
    int[] count = counts();
    long[] lastKey = new long[6];
    Arrays.fill(lastKey, Long.MIN_VALUE);
    LocalTimes lt = new LocalTimes(zone);
    boolean periods = count[HOURLY] + count[DAILY] + count[WEEKLY] + count[MONTHLY] + count[YEARLY] > 0;
    for (int i = 0; i < n; i++) {
      int m = 0;
      if (withinAfter != null && arr[i].time().isAfter(withinAfter)) {
        m |= 1 << WITHIN;
      }
      if (count[LAST] > 0) {
        count[LAST]--;
        m |= 1 << LAST;
      }
      if (periods) {
        long local = lt.localSecond(arr[i].time().getEpochSecond());
        long day = Math.floorDiv(local, 86_400L);
        for (int r = HOURLY; r <= YEARLY; r++) {
          if (count[r] > 0) {
            long key = key(r, local, day, lt);
            if (key != lastKey[r]) {
              lastKey[r] = key;
              count[r]--;
              m |= 1 << r;
            }
          }
        }
      }
      mask[i] = m;
    }
    if (semantics == Semantics.PLEDGE && mask[0] == 0) {
      mask[0] = 1 << NEWEST;
    }
  }

  private static long key(int rule, long local, long day, LocalTimes lt) {
    switch (rule) {
      case LAST:
        return local;
      case HOURLY:
        return Math.floorDiv(local, 3600L);
      case DAILY:
        return day;
      case WEEKLY:
        return LocalTimes.isoWeekKey(day);
      case MONTHLY:
        return lt.monthKey(day);
      default:
        return lt.yearKey(day);
    }
  }

  /** Borg's reading: within first, then each rule in order, skipping what an earlier rule kept. */
  private void applyBorg(BackupRecord[] arr, int[] mask, List<String>[] extra, Instant now) {
    int n = arr.length;
    if (rules.within() != null) {
      Instant after = now.minus(rules.within());
      int kept = 0;
      for (int i = 0; i < n; i++) {
        if (arr[i].time().isAfter(after)) {
          mask[i] |= 1 << WITHIN;
          add(extra, i, "within #" + (++kept));
        }
      }
    }
    int[] count = counts();
    LocalTimes lt = new LocalTimes(zone);
    long[] local = null;
    for (int r = LAST; r <= YEARLY; r++) {
      int want = count[r];
      if (want == 0) {
        continue;
      }
      if (local == null) {
        local = new long[n];
        for (int i = 0; i < n; i++) {
          local[i] = lt.localSecond(arr[i].time().getEpochSecond());
        }
      }
      long last = Long.MIN_VALUE;
      int kept = 0;
      int a = -1;
      for (int i = 0; i < n; i++) {
        a = i;
        long key = key(r, local[i], Math.floorDiv(local[i], 86_400L), lt);
        if (key != last) {
          last = key;
          if (mask[i] == 0) {
            mask[i] |= 1 << r;
            add(extra, i, NAMES[r] + " #" + (++kept));
            if (kept == want) {
              break;
            }
          }
        }
      }
      if (a >= 0 && kept < want && mask[a] == 0) {
        mask[a] |= 1 << r;
        add(extra, a, NAMES[r] + "[oldest] #" + (++kept));
      }
    }
  }

  private void applyDependencies(BackupRecord[] arr, int[] mask, List<String>[] extra, Instant now,
      List<String> warnings) {
    int n = arr.length;
    Map<String, Integer> index = new HashMap<>(n * 2);
    boolean logs = false;
    for (int i = 0; i < n; i++) {
      if (index.put(arr[i].id(), i) != null) {
        throw new IllegalArgumentException("two backups have the id '" + arr[i].id() + "'");
      }
      logs |= arr[i].kind() == BackupKind.LOG;
    }
    if (pitrWindow != null && logs) {
      Instant start = now.minus(pitrWindow);
      int base = -1;
      for (int i = 0; i < n; i++) {
        if (arr[i].kind() == BackupKind.FULL && !arr[i].time().isAfter(start)) {
          base = i;
          break;
        }
      }
      if (base < 0) {
        warnings.add("the point-in-time window from " + start + " (" + Durations.format(pitrWindow)
            + ") is not covered: no full backup at or before its start");
      } else {
        mask[base] |= 1 << DEP;
        add(extra, base, "pitr base: newest full backup at or before " + start);
        for (int i = 0; i < base; i++) {
          if (arr[i].kind() != BackupKind.FULL && mask[i] == 0) {
            mask[i] |= 1 << DEP;
            add(extra, i, "pitr window: " + Durations.format(pitrWindow));
          }
        }
      }
    }
    for (int i = 0; i < n; i++) {
      if (mask[i] == 0) {
        continue;
      }
      int cur = i;
      for (int steps = 0; arr[cur].parent() != null; steps++) {
        Integer p = index.get(arr[cur].parent());
        if (p == null) {
          throw new RetentionException("refusing the plan: backup '" + arr[cur].id()
              + "' is retained but needs parent '" + arr[cur].parent()
              + "', which is not in the inventory, so it could not be restored");
        }
        if (steps > n) {
          throw new RetentionException("refusing the plan: the parent chain of backup '" + arr[i].id()
              + "' loops");
        }
        if (mask[p] != 0) {
          break;
        }
        mask[p] |= 1 << DEP;
        add(extra, p, "needed by " + arr[cur].id());
        cur = p;
      }
    }
  }

  private static void add(List<String>[] extra, int i, String reason) {
    if (extra[i] == null) {
      extra[i] = new ArrayList<>(2);
    }
    extra[i].add(reason);
  }

  private RetentionPlan decide(BackupRecord[] arr, int[] mask, List<String>[] extra, Instant now,
      List<String> warnings) {
    int n = arr.length;
    Instant hotCutoff = hotPeriod == null ? null : now.atZone(zone).minus(hotPeriod).toInstant();
    Map<Integer, List<String>> reasonCache = new HashMap<>();
    String cold = hotPeriod == null ? null
        : "cold: older than " + Durations.formatPeriod(hotPeriod) + " -> " + coldStorageClass;
    Duration minimum = coldStorageClass.minimumStorageDuration();
    List<BackupDecision> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      BackupRecord b = arr[i];
      int m = mask[i];
      if (m == 0) {
        if (b.coldSince() != null && now.isBefore(b.coldSince().plus(minimum))) {
          out.add(new BackupDecision(b, Decision.ARCHIVE, List.of(NO_RULE.get(0),
              "held until " + b.coldSince().plus(minimum) + ": " + coldStorageClass + " bills "
                  + minimum.toDays() + " days minimum")));
        } else {
          out.add(new BackupDecision(b, Decision.DELETE, NO_RULE));
        }
        continue;
      }
      List<String> reasons = semantics == Semantics.BORG && extra[i] != null && (m & 0x7F) != 0
          ? extra[i] : reasonCache.computeIfAbsent(m & ~(1 << DEP), this::reasonsOf);
      if (extra[i] != null && reasons != extra[i]) {
        List<String> all = new ArrayList<>(reasons);
        all.addAll(extra[i]);
        reasons = all;
      }
      boolean archive = b.coldSince() != null || (hotCutoff != null && b.time().isBefore(hotCutoff));
      if (archive) {
        List<String> all = new ArrayList<>(reasons);
        if (b.coldSince() != null) {
          all.add("already in cold storage since " + b.coldSince());
        } else {
          all.add(cold);
          if (b.sizeBytes() >= 0 && b.sizeBytes() < ColdStorageClass.LIFECYCLE_MINIMUM_OBJECT_BYTES) {
            all.add("under 128 KiB (" + b.sizeBytes()
                + " bytes): S3 lifecycle rules do not transition it by default");
          }
        }
        out.add(new BackupDecision(b, Decision.ARCHIVE, all));
      } else {
        out.add(new BackupDecision(b, Decision.KEEP, reasons));
      }
    }
    return new RetentionPlan(out, warnings);
  }

  private List<String> reasonsOf(int m) {
    List<String> r = new ArrayList<>();
    if ((m & 1 << EMPTY) != 0) {
      r.add("no keep rules: everything is kept");
    }
    if ((m & 1 << NEWEST) != 0) {
      r.add("newest");
    }
    if ((m & 1 << WITHIN) != 0) {
      r.add("within " + Durations.format(rules.within()));
    }
    for (int k = LAST; k <= YEARLY; k++) {
      if ((m & 1 << k) != 0) {
        r.add(NAMES[k]);
      }
    }
    return List.copyOf(r);
  }

  /** Builds a {@link RetentionPlanner}. Not thread-safe. */
  public static final class Builder {
    private RetentionRules rules = RetentionRules.NONE;
    private Semantics semantics = Semantics.PLEDGE;
    private ZoneId zone = ZoneOffset.UTC;
    private Clock clock = Clock.systemUTC();
    private Period hotPeriod;
    private ColdStorageClass coldStorageClass = ColdStorageClass.GLACIER;
    private Duration pitrWindow;

    private Builder() {}

    /** The keep rules. */
    public Builder rules(RetentionRules rules) {
      this.rules = rules;
      return this;
    }

    /** How the rules are read (default pledge). */
    public Builder semantics(Semantics semantics) {
      this.semantics = semantics;
      return this;
    }

    /** The zone whose wall clock the period rules bucket by (default UTC). */
    public Builder zone(ZoneId zone) {
      this.zone = zone;
      return this;
    }

    /** The clock giving "now" (default the system UTC clock). */
    public Builder clock(Clock clock) {
      this.clock = clock;
      return this;
    }

    /** Retained backups older than this (calendar, in the zone) are archived; null for never. */
    public Builder hotPeriod(Period hotPeriod) {
      this.hotPeriod = hotPeriod;
      return this;
    }

    /** The cold storage class (default GLACIER). */
    public Builder coldStorageClass(ColdStorageClass cls) {
      this.coldStorageClass = cls;
      return this;
    }

    /** The point-in-time restore window to keep covered when log backups exist; null for none. */
    public Builder pitrWindow(Duration window) {
      this.pitrWindow = window;
      return this;
    }

    /** The planner; throws {@link IllegalArgumentException} naming a bad setting. */
    public RetentionPlanner build() {
      return new RetentionPlanner(this);
    }
  }
}
