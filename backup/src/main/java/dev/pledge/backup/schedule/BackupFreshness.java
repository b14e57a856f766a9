package dev.pledge.backup.schedule;

import dev.pledge.backup.BackupEngine;
import dev.pledge.backup.BackupManifest;
import dev.pledge.backup.BackupPolicy;
import dev.pledge.backup.store.BackupStore;
import dev.pledge.core.Scope;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * How fresh each schedule's backups are (P6, P7), read from what the stores hold, not from what a
 * scheduler says it did: for every schedule, the newest backup of its site environment whose manifest
 * authenticates under the master key ({@link BackupEngine#listAuthenticated}) in any store, its age,
 * and whether that age exceeds the schedule's interval (the time between its slots around now) plus a
 * tolerance for the run itself. A schedule with no backup at all is stale.
 *
 * <p>A schedule counts the backups made for it: those whose manifest names it ({@link
 * BackupManifest#schedule()}, written by the jobs the scheduler runs: {@link BackupJob#of}, {@link
 * dev.pledge.backup.pitr.PitrArchive#shipJob}), so a 5-minute log backup does not keep the same site
 * environment's daily schedule fresh. A backup whose manifest names no schedule (run by hand, or
 * written before manifests named their schedule) counts for every schedule of its site environment,
 * as all backups did before. Reading lists every manifest of every scope in every store, so hosts
 * check on a health probe's rhythm; {@link #latest(Duration)} reuses a recent check. Thread-safe.
 */
public final class BackupFreshness {
  private final List<Schedule> schedules;
  private final BackupEngine engine;
  private final List<BackupStore> stores;
  private final Clock clock;
  private final Duration tolerance;
  private volatile Snapshot last;

  private final Builder settings;

  private BackupFreshness(Builder b) {
    this.settings = new Builder(b);
    this.schedules = b.schedules;
    this.engine = b.engine;
    this.stores = b.stores;
    this.clock = b.clock;
    this.tolerance = b.tolerance;
  }

  /**
   * A builder reading {@code stores} through {@code engine} (which holds the master key) for the
   * schedules of {@code policy} ({@link PolicySchedules#from(BackupPolicy)}).
   */
  public static Builder builder(BackupPolicy policy, BackupEngine engine, List<? extends BackupStore> stores) {
    return new Builder(PolicySchedules.from(Objects.requireNonNull(policy, "policy")), engine, stores);
  }

  /** A builder for the given schedules. */
  public static Builder builder(List<Schedule> schedules, BackupEngine engine, List<? extends BackupStore> stores) {
    return new Builder(List.copyOf(schedules), engine, stores);
  }

  /** The schedules judged, in order. */
  public List<Schedule> schedules() {
    return schedules;
  }

  /**
   * Reads the stores now and judges every schedule.
   *
   * @throws dev.pledge.backup.BackupException when a store cannot be listed or holds a manifest
   *     that fails authentication (nothing in that listing can be trusted)
   */
  public List<Status> check() {
    Instant now = clock.instant();
    Map<Scope, List<BackupManifest>> stored = new HashMap<>();
    List<Status> out = new ArrayList<>();
    for (Schedule s : schedules) {
      Optional<BackupManifest> m = newest(stored.computeIfAbsent(s.scope(), this::authenticated), s.name());
      Instant prev = s.trigger().latestSlotAtOrBefore(now);
      Duration interval = Duration.between(prev, s.trigger().nextSlotAfter(now));
      Duration allowed = interval.plus(tolerance);
      Optional<Instant> at = m.map(BackupManifest::finishedAt);
      Duration age = at.map(t -> Duration.between(t, now)).orElse(null);
      boolean stale = age == null || age.compareTo(allowed) > 0;
      out.add(new Status(s.name(), s.scope(), interval, allowed, at, age, m.map(BackupManifest::storedBytes).orElse(0L),
          stale));
    }
    List<Status> result = List.copyOf(out);
    last = new Snapshot(now, result);
    return result;
  }

  /**
   * The last check when it is younger than {@code maxAge} by the clock, else a new one: for meters
   * scraped more often than the stores should be listed.
   */
  public List<Status> latest(Duration maxAge) {
    Snapshot s = last;
    if (s != null && Duration.between(s.at, clock.instant()).compareTo(maxAge) <= 0) {
      return s.statuses;
    }
    return check();
  }

  private List<BackupManifest> authenticated(Scope scope) {
    List<BackupManifest> all = new ArrayList<>();
    for (BackupStore store : stores) {
      all.addAll(engine.listAuthenticated(store, scope));
    }
    return all;
  }

  /** The newest of {@code manifests} made for {@code schedule} or for no schedule in particular. */
  private static Optional<BackupManifest> newest(List<BackupManifest> manifests, String schedule) {
    BackupManifest best = null;
    for (BackupManifest m : manifests) {
      if (m.schedule() != null && !m.schedule().equals(schedule)) {
        continue;
      }
      if (best == null || m.finishedAt().isAfter(best.finishedAt())) {
        best = m;
      }
    }
    return Optional.ofNullable(best);
  }

  private record Snapshot(Instant at, List<Status> statuses) {}

  /**
   * One schedule's freshness.
   *
   * @param schedule the schedule's name
   * @param scope the site and environment
   * @param interval the time between the schedule's slots around now
   * @param allowed the oldest the newest backup may be: the interval plus the tolerance
   * @param newest when the newest authenticated backup made for the schedule (or for none in particular)
   *     finished; empty when there is none
   * @param age how old that backup is; {@code null} when there is none
   * @param storedBytes the stored size of that backup, in bytes; 0 when there is none
   * @param stale whether there is no backup or it is older than allowed
   */
  public record Status(String schedule, Scope scope, Duration interval, Duration allowed, Optional<Instant> newest,
      Duration age, long storedBytes, boolean stale) {}

  /**
   * A builder holding every setting of this check (schedules, engine, stores, clock, tolerance), to
   * change one.
   */
  public Builder toBuilder() {
    return new Builder(settings);
  }

  /** Builds a {@link BackupFreshness}. Not thread-safe. */
  public static final class Builder {
    private final List<Schedule> schedules;
    private final BackupEngine engine;
    private final List<BackupStore> stores;
    private Clock clock = Clock.systemUTC();
    private Duration tolerance = Duration.ofMinutes(10);

    private Builder(List<Schedule> schedules, BackupEngine engine, List<? extends BackupStore> stores) {
      this.schedules = schedules;
      this.engine = Objects.requireNonNull(engine, "engine");
      this.stores = List.copyOf(stores);
      if (this.stores.isEmpty()) {
        throw new IllegalArgumentException("backup freshness needs at least one store to read");
      }
    }

    /** The clock (default: system UTC). */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * How much older than one interval the newest backup may be before the schedule is stale, time
     * for the run itself (default 10 minutes: a 5-minute schedule is stale after 15 minutes).
     *
     * @throws IllegalArgumentException when negative
     */
    public Builder tolerance(Duration tolerance) {
      if (tolerance == null || tolerance.isNegative()) {
        throw new IllegalArgumentException("tolerance must not be negative, got " + tolerance);
      }
      this.tolerance = tolerance;
      return this;
    }

    /** The check. */
    public BackupFreshness build() {
      return new BackupFreshness(this);
    }

    /** A copy of {@code other}'s settings, for {@code toBuilder()}. */
    private Builder(Builder other) {
      this.schedules = other.schedules;
      this.engine = other.engine;
      this.stores = other.stores;
      this.clock = other.clock;
      this.tolerance = other.tolerance;
    }
  }
}
