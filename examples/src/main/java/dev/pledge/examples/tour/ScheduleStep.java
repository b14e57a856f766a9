package dev.pledge.examples.tour;

import dev.pledge.backup.pitr.RecoveryPoint;
import dev.pledge.backup.pitr.RestorePlan;
import dev.pledge.backup.pitr.RestorePlanner;
import dev.pledge.backup.BackupPolicy;
import dev.pledge.backup.schedule.BackupScheduler;
import dev.pledge.backup.schedule.PolicySchedules;
import dev.pledge.backup.schedule.Schedule;
import dev.pledge.core.lock.SlotLock;
import dev.pledge.backup.schedule.Trigger;
import dev.pledge.core.audit.AuditTrail;
import dev.pledge.core.Environment;
import dev.pledge.core.Scope;
import dev.pledge.core.policy.OrganisationPolicy;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
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
  public List<Integer> promises() {
    return List.of(6, 7, 9);
  }

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
    List<Schedule> schedules = PolicySchedules.from(ctx.policy().require(BackupPolicy.class));
    Map<String, List<Instant>> runs = new ConcurrentHashMap<>();
    List<BackupScheduler> cluster = new ArrayList<>();
    for (String node : List.of("primary", "spare")) {
      // The simulation's thousands of runs stay out of the tour's audit file, and run on the ticking
      // thread so that the simulated week is deterministic: both named, not defaults.
      BackupScheduler s = BackupScheduler.builder(node).clock(ctx.clock()).lock(lock).audit(AuditTrail.discarding())
          .executor(Runnable::run).build();
      for (Schedule schedule : schedules) {
        s.register(schedule, (sc, slot) -> {
          if (!slot.isBefore(begin)) { // the week itself, not the catch-up of the slot before it
            runs.computeIfAbsent(schedule.name(), k -> new ArrayList<>()).add(slot);
          }
        });
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

    // Every schedule ran each of its slots in the week exactly once, on one node or the other.
    Map<String, Long> expected = new LinkedHashMap<>();
    List<String> wrong = new ArrayList<>();
    for (Schedule schedule : schedules) {
      long slots = slotsIn(schedule.trigger(), begin, end);
      expected.put(schedule.name(), slots);
      List<Instant> ran = runs.getOrDefault(schedule.name(), List.of());
      if (ran.size() != slots || distinct(ran) != slots) {
        wrong.add(schedule.name() + " ran " + ran.size() + " of " + slots + " slots");
      }
    }
    // P6: every site environment has a schedule at least daily; P7: every production site one every 5 minutes.
    List<Scope> notDaily = org.scopes().stream().filter(sc -> schedules.stream()
        .noneMatch(x -> x.scope().equals(sc) && atLeastDaily(x.trigger(), begin))).toList();
    List<Scope> production = org.scopes().stream().filter(sc -> sc.environment().equals(Environment.PRODUCTION)).toList();
    List<Scope> notRolling = production.stream().filter(sc -> schedules.stream()
        .noneMatch(x -> x.scope().equals(sc) && x.name().endsWith("/every-PT5M"))).toList();
    final long days = slotsIn(Trigger.dailyAt(LocalTime.of(2, 0), ZoneId.of("Europe/London")), begin, end);
    final long fiveMinuteSlots = slotsIn(Trigger.every(Duration.ofMinutes(5)), begin, end);
    boolean dailyOk = wrong.isEmpty() && notDaily.isEmpty();
    boolean rollingOk = wrong.isEmpty() && notRolling.isEmpty();
    long scopes = org.scopes().size();
    ctx.say(tag(), "the policy's " + schedules.size() + " schedules, 7 simulated days on 2 nodes sharing a lock: "
        + scopes + " site environments backed up daily (" + (dailyOk ? days + " each, none twice" : "NOT: " + notDaily + wrong)
        + "); " + production.size() + " production databases every 5 min ("
        + (rollingOk ? fiveMinuteSlots + " each, none twice" : "NOT: " + notRolling + wrong) + ") (P6, P7)");
    ctx.report().judged(6, dailyOk, "every site environment backed up once a day for 7 simulated days on two nodes",
        "not every site environment has a daily backup that ran once a day: " + notDaily + " " + wrong,
        Map.of("site environments", String.valueOf(scopes), "daily runs each", String.valueOf(days), "nodes", "primary, spare",
            "schedules", String.join(", ", expected.keySet())));
    ctx.report().judged(7, rollingOk, "every production database backed up every 5 minutes, each slot once",
        "a production site has no 5-minute schedule, or a slot was missed or run twice: " + notRolling + " " + wrong,
        Map.of("production databases", String.valueOf(production.size()), "slots each in 7 days", String.valueOf(fiveMinuteSlots)));

    // P9: the restore planner on the history just made: daily full backups and 5-minute logs.
    Scope shop = production.get(0);
    List<RecoveryPoint> catalog = new ArrayList<>();
    for (Instant full : runs.get(nameOf(schedules, shop, "/daily-"))) {
      catalog.add(RecoveryPoint.full("full-" + full.getEpochSecond(), full, full.plus(Duration.ofMinutes(4))));
    }
    Instant previous = null;
    for (Instant log : runs.get(nameOf(schedules, shop, "/every-PT5M")).stream().sorted().toList()) {
      if (previous != null) {
        catalog.add(RecoveryPoint.log("log-" + log.getEpochSecond(), previous, log));
      }
      previous = log;
    }
    RestorePlanner planner = RestorePlanner.create();
    Instant firstFull = runs.get(nameOf(schedules, shop, "/daily-")).stream().min(Instant::compareTo).orElseThrow().plus(Duration.ofMinutes(4));
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

  private static String nameOf(List<Schedule> schedules, Scope scope, String kind) {
    return schedules.stream().filter(x -> x.scope().equals(scope) && x.name().contains(kind)).findFirst()
        .orElseThrow(() -> new IllegalStateException("the policy has no " + kind + " schedule for " + scope)).name();
  }

  /** Whether {@code trigger} fires at least once in every day after {@code from}. */
  private static boolean atLeastDaily(Trigger trigger, Instant from) {
    Instant t = trigger.nextSlotAfter(from);
    for (int i = 0; i < 7; i++) {
      Instant next = trigger.nextSlotAfter(t);
      if (Duration.between(t, next).compareTo(Duration.ofHours(25)) > 0) { // 25 h: a DST day
        return false;
      }
      t = next;
    }
    return true;
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
