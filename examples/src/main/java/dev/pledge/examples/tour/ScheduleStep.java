package dev.pledge.examples.tour;

import dev.pledge.backup.pitr.RecoveryPoint;
import dev.pledge.backup.pitr.RestorePlan;
import dev.pledge.backup.pitr.RestorePlanner;
import dev.pledge.backup.schedule.BackupScheduler;
import dev.pledge.backup.schedule.Schedule;
import dev.pledge.backup.schedule.SlotLock;
import dev.pledge.backup.schedule.Trigger;
import dev.pledge.core.Environment;
import dev.pledge.core.Scope;
import dev.pledge.core.policy.OrganisationPolicy;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Seven simulated days of the schedules on two nodes sharing one lock: a daily backup of every site
 * environment (P6), a rolling database backup of every production site every 5 minutes (P7), and the
 * restore planner asked for every hour of the last seven days (P9).
 */
final class ScheduleStep implements TourStep {
  private static final Duration DAYS = Duration.ofDays(7);

  @Override
  public String tag() {
    return "schedule";
  }

  @Override
  public void run(TourContext ctx) {
    OrganisationPolicy org = ctx.policy().require(OrganisationPolicy.class);
    Instant end = ctx.start();
    Instant begin = end.minus(DAYS);
    ctx.clock().set(begin);
    SlotLock lock = SlotLock.inMemory();
    Map<String, List<Instant>> runs = new ConcurrentHashMap<>();
    List<BackupScheduler> cluster = new ArrayList<>();
    for (String node : List.of("primary", "spare")) {
      // The simulation's thousands of runs stay out of the tour's audit file.
      BackupScheduler s = BackupScheduler.builder(node).clock(ctx.clock()).lock(lock).build();
      for (Scope scope : org.scopes()) {
        s.register(Schedule.of("daily:" + scope, scope, Trigger.dailyAt(LocalTime.of(2, 0), ZoneId.of("Europe/London"))),
            (sc, slot) -> {
              if (!slot.isBefore(begin)) { // the week itself, not the catch-up of the day before
                runs.computeIfAbsent("daily:" + sc, k -> new ArrayList<>()).add(slot);
              }
            });
        if (scope.environment().equals(Environment.PRODUCTION)) {
          s.register(Schedule.of("rolling:" + scope, scope, Trigger.every(Duration.ofMinutes(5))),
              (sc, slot) -> {
                if (!slot.isBefore(begin)) {
                  runs.computeIfAbsent("rolling:" + sc, k -> new ArrayList<>()).add(slot);
                }
              });
        }
      }
      cluster.add(s);
    }
    // Both nodes tick every minute for seven days; the lock hands each slot to one of them.
    for (Instant t = begin; t.isBefore(end); t = t.plus(Duration.ofMinutes(1))) {
      ctx.clock().set(t);
      cluster.get((int) (t.getEpochSecond() / 60 % 2)).tick();
      cluster.get((int) (t.getEpochSecond() / 60 % 2) ^ 1).tick();
    }
    // A last tick at "now" itself: a slot that fell in the final minute must run too.
    ctx.clock().set(end);
    cluster.forEach(BackupScheduler::tick);

    long scopes = org.scopes().size();
    final long days = slotsIn(Trigger.dailyAt(LocalTime.of(2, 0), ZoneId.of("Europe/London")), begin, end);
    boolean dailyOk = org.scopes().stream().allMatch(sc -> distinct(runs.get("daily:" + sc)) == days
        && runs.get("daily:" + sc).size() == days);
    List<Scope> production = org.scopes().stream().filter(sc -> sc.environment().equals(Environment.PRODUCTION)).toList();
    // The 5-minute slots that fell inside the week (the tour's "now" need not be on a slot).
    final long expected = slotsIn(Trigger.every(Duration.ofMinutes(5)), begin, end);
    boolean rollingOk = production.stream().allMatch(sc -> runs.get("rolling:" + sc).size() == expected
        && distinct(runs.get("rolling:" + sc)) == expected);
    ctx.say(tag(), "7 simulated days on 2 nodes: " + scopes + " site environments backed up daily at 02:00 London ("
        + (dailyOk ? days + " each, none twice" : "NOT once a day") + "); " + production.size()
        + " production databases every 5 min (" + (rollingOk ? expected + " each, none twice" : "gaps or repeats")
        + ") (P6, P7)");
    ctx.report().judged(6, dailyOk, "every site environment backed up once a day for 7 simulated days on two nodes",
        "a site environment missed or repeated a daily backup",
        Map.of("site environments", String.valueOf(scopes), "daily runs each", String.valueOf(days), "nodes", "primary, spare"));
    ctx.report().judged(7, rollingOk, "every production database backed up every 5 minutes, each slot once",
        "a 5-minute slot was missed or run twice",
        Map.of("production databases", String.valueOf(production.size()), "slots each in 7 days", String.valueOf(expected)));

    // P9: the restore planner on the history just made: daily full backups and 5-minute logs.
    Scope shop = production.get(0);
    List<RecoveryPoint> catalog = new ArrayList<>();
    for (Instant full : runs.get("daily:" + shop)) {
      catalog.add(RecoveryPoint.full("full-" + full.getEpochSecond(), full, full.plus(Duration.ofMinutes(4))));
    }
    Instant previous = null;
    for (Instant log : runs.get("rolling:" + shop).stream().sorted().toList()) {
      if (previous != null) {
        catalog.add(RecoveryPoint.log("log-" + log.getEpochSecond(), previous, log));
      }
      previous = log;
    }
    RestorePlanner planner = RestorePlanner.create();
    Instant firstFull = runs.get("daily:" + shop).stream().min(Instant::compareTo).orElseThrow().plus(Duration.ofMinutes(4));
    int checked = 0;
    int restorable = 0;
    RestorePlan longest = null;
    for (Instant t = firstFull.plusSeconds(1); t.isBefore(previous); t = t.plus(Duration.ofMinutes(61)).plusSeconds(7)) {
      RestorePlan plan = planner.plan(catalog, t);
      checked++;
      if (plan.complete()) {
        restorable++;
        if (longest == null || plan.logs().size() > longest.logs().size()) {
          longest = plan;
        }
      }
    }
    boolean p9 = checked > 0 && restorable == checked;
    ctx.say(tag(), "restore planner: " + restorable + "/" + checked + " instants across the week restorable"
        + (longest == null ? "" : ", the farthest from a full backup needing 1 full + " + longest.logs().size() + " log segments")
        + "; PostgreSQL and MariaDB replay to T is proven by the integration tests (P9)");
    ctx.report().judged(9, p9, "every sampled instant since the first full backup of the week can be planned for restore",
        "some instants cannot be restored", Map.of("instants sampled", String.valueOf(checked),
            "restorable", String.valueOf(restorable),
            "replay to T", "PostgreSQL recovery_target_time and mariadb-binlog --stop-datetime, in the test suite"));
  }

  /** The slots of {@code trigger} in [begin, end]. */
  private static long slotsIn(Trigger trigger, Instant begin, Instant end) {
    long n = 0;
    for (Instant t = trigger.nextSlotAfter(begin.minusNanos(1)); !t.isAfter(end); t = trigger.nextSlotAfter(t)) {
      n++;
    }
    return n;
  }

  private static long distinct(List<Instant> xs) {
    return xs == null ? 0 : xs.stream().distinct().count();
  }
}
