package dev.pledge.backup.schedule;

import dev.pledge.backup.BackupPolicy;
import dev.pledge.core.Scope;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * Builds the {@link Schedule}s the policy document's {@code backups.schedules} list asks for (P6,
 * P7), one per entry, for every site and environment it names, and registers them on a {@link
 * BackupScheduler}.
 *
 * <p>Each schedule's name is derived from what it does, so every node that reads the same document
 * gets the same names, and so the same slot locks: {@code shop/production/every-PT5M},
 * {@code shop/production/daily-02:00-Europe/London}, {@code shop/staging/cron-} and the first eight
 * hex digits of the expression's SHA-256, followed by {@code -} and the zone when the entry names
 * one other than UTC ({@code shop/staging/cron-1a2b3c4d-Europe/London}). A cron expression is read in
 * the entry's {@code zone}, UTC when it names none, as a {@code daily} time is read in its own zone.
 * Two entries that would share a name are refused, naming both. Stateless and thread-safe.
 *
 * <pre>{@code
 * BackupPolicy backups = document.require(BackupPolicy.class);
 * BackupEngine engine = BackupEngine.from(backups);            // the section's sources and locations
 * PolicySchedules.register(scheduler, backups, scope -> BackupJob.of(engine));
 * // or a job of your own per schedule, naming it in each manifest (freshness is judged per schedule):
 * PolicySchedules.registerEach(scheduler, backups, schedule -> (scope, slot) ->
 *     engine.backup(sourceFor(scope), scope, stores, null, null, schedule.name()));
 * }</pre>
 */
public final class PolicySchedules {
  private PolicySchedules() {}

  /** Every schedule of {@code policy}, in the document's order. */
  public static List<Schedule> from(BackupPolicy policy) {
    Objects.requireNonNull(policy, "policy");
    List<Schedule> out = new ArrayList<>();
    Map<String, Integer> seen = new HashMap<>();
    List<BackupPolicy.ScheduleEntry> entries = policy.schedules();
    for (int i = 0; i < entries.size(); i++) {
      BackupPolicy.ScheduleEntry e = entries.get(i);
      Scope scope = new Scope(e.site(), e.environment());
      Trigger trigger;
      String what;
      if (e.every() != null) {
        trigger = Trigger.every(e.every());
        what = "every-" + e.every();
      } else if (e.daily() != null) {
        ZoneId zone = ZoneId.of(e.daily().zone());
        trigger = Trigger.dailyAt(e.daily().time(), zone);
        what = "daily-" + e.daily().time() + "-" + zone.getId();
      } else {
        ZoneId zone = ZoneId.of(e.zone());
        trigger = Trigger.cron(e.cron(), zone);
        // UTC keeps the name it had before zones, so an upgraded cluster keeps its slot locks
        what = "cron-" + shortHash(e.cron()) + (zone.normalized().equals(ZoneOffset.UTC) ? "" : "-" + zone.getId());
      }
      String name = scope.site() + "/" + scope.environment() + "/" + what;
      Integer earlier = seen.putIfAbsent(name, i);
      if (earlier != null) {
        throw new IllegalArgumentException("backups.schedules[" + i + "] repeats backups.schedules[" + earlier
            + "] (both are " + name + ")");
      }
      out.add(Schedule.of(name, scope, trigger).withMissedRun(e.missedRun()));
    }
    return List.copyOf(out);
  }

  /** The schedules of {@code policy} for one site and environment. */
  public static List<Schedule> from(BackupPolicy policy, Scope scope) {
    Objects.requireNonNull(scope, "scope");
    return from(policy).stream().filter(s -> s.scope().equals(scope)).toList();
  }

  /**
   * Registers every schedule of {@code policy} on {@code scheduler}, each running the job
   * {@code jobs} gives for its scope.
   *
   * @return the schedules registered
   */
  public static List<Schedule> register(BackupScheduler scheduler, BackupPolicy policy, Function<Scope, BackupJob> jobs) {
    Objects.requireNonNull(scheduler, "scheduler");
    Objects.requireNonNull(jobs, "jobs");
    List<Schedule> all = from(policy);
    for (Schedule s : all) {
      BackupJob job = Objects.requireNonNull(jobs.apply(s.scope()), () -> "no job for " + s.scope());
      scheduler.register(s, job);
    }
    return all;
  }

  /**
   * Registers every schedule of {@code policy} on {@code scheduler}, each running the job
   * {@code jobs} gives for that schedule, so one scope's schedules can run different work: the
   * rolling {@code every} entry (P7) shipping database logs ({@link
   * dev.pledge.backup.pitr.PitrArchive#shipJob}) while the {@code daily} entry (P6) takes full
   * backups. Tell them apart by {@link Schedule#trigger()}: {@code instanceof Trigger.Every}.
   *
   * @return the schedules registered
   * @throws NullPointerException naming the schedule when {@code jobs} gives no job for it
   */
  public static List<Schedule> registerEach(BackupScheduler scheduler, BackupPolicy policy,
      Function<Schedule, BackupJob> jobs) {
    Objects.requireNonNull(scheduler, "scheduler");
    Objects.requireNonNull(jobs, "jobs");
    List<Schedule> all = from(policy);
    for (Schedule s : all) {
      BackupJob job = Objects.requireNonNull(jobs.apply(s), () -> "no job for schedule " + s.name());
      scheduler.register(s, job);
    }
    return all;
  }

  private static String shortHash(String text) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(d, 0, 4);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
