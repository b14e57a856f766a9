package dev.pledge.backup.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pledge.core.Scope;
import dev.pledge.core.audit.AuditOutcome;
import dev.pledge.core.audit.AuditTrail;
import dev.pledge.core.audit.InMemoryAuditTrail;
import dev.pledge.core.lock.JdbcSlotLock;
import dev.pledge.core.lock.SlotLock;
import dev.pledge.core.testing.Requirements;
import dev.pledge.core.time.MutableClock;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.mariadb.jdbc.MariaDbDataSource;
import org.postgresql.ds.PGSimpleDataSource;

/** The slot lock on the machine's PostgreSQL and MariaDB: two nodes, each slot exactly once. */
class JdbcSlotLockTest {
  private static final String PG_URL = "jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres";
  private static final Schedule ROLLING =
      Schedule.of("shop-db-rolling", Scope.of("shop", "production"), Trigger.every(Duration.ofMinutes(5)));

  private static DataSource postgres() {
    Requirements.requirePostgres();
    PGSimpleDataSource ds = new PGSimpleDataSource();
    ds.setUrl(PG_URL);
    return ds;
  }

  private static DataSource mariadb() throws Exception {
    Requirements.requireMariaDb();
    return new MariaDbDataSource("jdbc:mariadb://127.0.0.1:3306/test?user=root");
  }

  private static String table(String prefix) {
    return prefix + "_" + Long.toHexString(System.nanoTime());
  }

  private static void drop(DataSource ds, String... tables) throws Exception {
    try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
      for (String t : tables) {
        s.execute("DROP TABLE IF EXISTS " + t);
      }
    }
  }

  @Test
  void twoSchedulersRacingOnPostgresRunEachSlotOnce() throws Exception {
    DataSource ds = postgres();
    String t = table("pledge_slots_pg");
    try {
      assertRaceRunsEachSlotOnce(JdbcSlotLock.create(ds, t));
    } finally {
      drop(ds, t);
    }
  }

  @Test
  void twoSchedulersRacingOnMariaDbRunEachSlotOnce() throws Exception {
    DataSource ds = mariadb();
    String t = table("pledge_slots_my");
    try {
      assertRaceRunsEachSlotOnce(JdbcSlotLock.create(ds, t));
    } finally {
      drop(ds, t);
    }
  }

  /** Two nodes on two threads tick the same slot at the same moment, 25 slots in a row. */
  private static void assertRaceRunsEachSlotOnce(SlotLock lock) throws Exception {
    Instant start = Instant.parse("2026-11-01T06:30:00Z");
    MutableClock clockA = MutableClock.at(start);
    MutableClock clockB = MutableClock.at(start);
    Map<Instant, AtomicInteger> runs = new ConcurrentHashMap<>();
    List<String> winners = java.util.Collections.synchronizedList(new ArrayList<>());
    BackupScheduler a = BackupScheduler.builder("a").clock(clockA).lock(lock).audit(AuditTrail.inMemory())
        .executor(Runnable::run).build()
        .register(ROLLING, (s, slot) -> {
          runs.computeIfAbsent(slot, k -> new AtomicInteger()).incrementAndGet();
          winners.add("a");
        });
    BackupScheduler b = BackupScheduler.builder("b").clock(clockB).lock(lock).audit(AuditTrail.inMemory())
        .executor(Runnable::run).build()
        .register(ROLLING, (s, slot) -> {
          runs.computeIfAbsent(slot, k -> new AtomicInteger()).incrementAndGet();
          winners.add("b");
        });
    for (int i = 0; i < 25; i++) {
      Instant now = start.plus(Duration.ofMinutes(5L * i)).plusSeconds(2);
      clockA.set(now);
      clockB.set(now);
      CountDownLatch go = new CountDownLatch(1);
      Thread ta = new Thread(() -> await(go, a));
      Thread tb = new Thread(() -> await(go, b));
      ta.start();
      tb.start();
      go.countDown();
      ta.join(10_000);
      tb.join(10_000);
    }
    assertThat(runs).hasSize(25);
    assertThat(runs.values()).allSatisfy(n -> assertThat(n.get()).isEqualTo(1));
    assertThat(winners).hasSize(25);
  }

  private static void await(CountDownLatch go, BackupScheduler s) {
    try {
      go.await();
      s.tick();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Test
  void aDeadNodesSlotIsTakenOverOnPostgresOnceItsLeaseEnds() throws Exception {
    DataSource ds = postgres();
    String t = table("pledge_slots_dead");
    try {
      JdbcSlotLock lock = JdbcSlotLock.create(ds, t);
      Instant slot = Instant.parse("2026-11-01T06:30:00Z");
      Instant now = slot.plusSeconds(5);
      assertThat(lock.tryAcquire("s", slot, "a", now, now.plusSeconds(120))).isPresent();
      assertThat(lock.tryAcquire("s", slot, "b", now.plusSeconds(60), now.plusSeconds(180))).isEmpty();
      var taken = lock.tryAcquire("s", slot, "b", now.plusSeconds(120), now.plusSeconds(240));
      assertThat(taken).isPresent();
      lock.complete(taken.get());
      assertThat(lock.tryAcquire("s", slot, "a", now.plusSeconds(999), now.plusSeconds(2000)))
          .as("a completed slot never runs again").isEmpty();
      assertThat(lock.tryAcquire("s", slot.minusSeconds(300), "a", now, now.plusSeconds(60)))
          .as("an older slot cannot be taken once a later one was").isEmpty();
      assertThat(lock.extend(taken.get(), now.plusSeconds(5000))).as("completed leases do not extend").isFalse();
    } finally {
      drop(ds, t);
    }
  }

  @Test
  void theLastSlotTakenIsRememberedOnPostgresAndMariaDb() throws Exception {
    for (DataSource ds : List.of(postgres(), mariadb())) {
      String t = table("pledge_slots_last");
      try {
        JdbcSlotLock lock = JdbcSlotLock.create(ds, t);
        Instant slot = Instant.parse("2026-11-02T02:00:00Z");
        assertThat(lock.lastSlot("shop-db-daily")).as("never taken: a first start").isEmpty();
        var lease = lock.tryAcquire("shop-db-daily", slot, "a", slot, slot.plusSeconds(3600)).orElseThrow();
        assertThat(JdbcSlotLock.create(ds, t).lastSlot("shop-db-daily")).contains(slot);
        lock.complete(lease);
        assertThat(lock.lastSlot("shop-db-daily")).contains(slot);
        assertThat(lock.lastSlot("portal-db-daily")).isEmpty();
      } finally {
        drop(ds, t);
      }
    }
  }

  @Test
  void twoJvmsAgainstPostgresRunEachSlotOnce() throws Exception {
    DataSource ds = postgres();
    String lockTable = table("pledge_slots_jvm");
    String results = table("pledge_runs_jvm");
    try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE " + results + " (slot_ms BIGINT NOT NULL, node VARCHAR(20) NOT NULL)");
    }
    JdbcSlotLock.create(ds, lockTable);
    int slots = 60;
    try {
      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      String cp = System.getProperty("java.class.path");
      List<Process> nodes = new ArrayList<>();
      for (String node : List.of("primary", "spare")) {
        nodes.add(new ProcessBuilder(java, "-cp", cp, TwoNodeMain.class.getName(), PG_URL, lockTable, results, node,
            String.valueOf(slots), "2026-11-01T06:30:00Z").inheritIO().start());
      }
      for (Process p : nodes) {
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("node finished").isTrue();
        assertThat(p.exitValue()).isZero();
      }
      try (Connection c = ds.getConnection(); Statement s = c.createStatement();
           ResultSet r = s.executeQuery("SELECT COUNT(*), COUNT(DISTINCT slot_ms), COUNT(DISTINCT node) FROM " + results)) {
        r.next();
        assertThat(r.getInt(1)).as("runs").isEqualTo(slots);
        assertThat(r.getInt(2)).as("distinct slots").isEqualTo(slots);
      }
    } finally {
      drop(ds, lockTable, results);
    }
  }

  /**
   * Two scheduler instances as a host builds them (their own job threads), sharing one PostgreSQL
   * lock: neither runs a daily slot that passed before the schedule ever ran, exactly one runs the
   * next slot, and a node started after both were down catches up once because the table remembers.
   */
  @Test
  void twoSchedulersSharingAPostgresLockStartADailyScheduleSafelyAndCatchUpOnceAfterDowntime() throws Exception {
    DataSource ds = postgres();
    String t = table("pledge_slots_daily");
    Schedule daily = Schedule.of("shop-db-daily", Scope.of("shop", "production"),
        Trigger.dailyAt(LocalTime.of(2, 0), ZoneId.of("Europe/London")));
    MutableClock clock = MutableClock.at("2026-11-01T10:00:00Z");
    BlockingQueue<String> runs = new LinkedBlockingQueue<>();
    List<ScheduleEvent> events = new CopyOnWriteArrayList<>();
    InMemoryAuditTrail audit = AuditTrail.inMemory();
    // the job threads are the test's, so that it can wait for them: a run marks its slot complete in
    // the table after the job returns, and closing a scheduler does not wait for that
    ExecutorService jobs = Executors.newCachedThreadPool();
    try {
      BackupScheduler a = node("a", ds, t, clock, audit, daily, runs, events, jobs);
      BackupScheduler b = node("b", ds, t, clock, audit, daily, runs, events, jobs);
      try (a; b) {
        a.tick();
        b.tick();
        assertThat(events).extracting(ScheduleEvent::kind)
            .containsExactly(ScheduleEvent.Kind.FIRST_START_SKIPPED, ScheduleEvent.Kind.FIRST_START_SKIPPED);
        clock.set(Instant.parse("2026-11-02T02:00:03Z"));
        a.tick();
        b.tick();
        // each tick decided before returning: one node took the slot, the other saw it taken
        assertThat(events).filteredOn(e -> e.kind() == ScheduleEvent.Kind.TAKEN_BY_OTHER_NODE).hasSize(1);
        assertThat(runs.poll(10, TimeUnit.SECONDS)).endsWith("@2026-11-02T02:00:00Z");
      }
      // both nodes down for two nights; a node starting now finds the schedule in the table
      clock.set(Instant.parse("2026-11-04T09:00:00Z"));
      try (BackupScheduler c = node("c", ds, t, clock, audit, daily, runs, events, jobs)) {
        c.tick();
        c.tick();
        assertThat(runs.poll(10, TimeUnit.SECONDS)).isEqualTo("c@2026-11-04T02:00:00Z");
      }
      assertThat(runs).isEmpty();
      assertThat(events).filteredOn(e -> e.kind() == ScheduleEvent.Kind.STARTED).hasSize(2);
    } finally {
      jobs.shutdown();
      assertThat(jobs.awaitTermination(30, TimeUnit.SECONDS)).as("job threads done before the table goes").isTrue();
      drop(ds, t);
    }
    assertThat(events).filteredOn(e -> e.kind() == ScheduleEvent.Kind.SUCCEEDED).hasSize(2);
  }

  private static BackupScheduler node(String name, DataSource ds, String table, MutableClock clock, AuditTrail audit,
      Schedule schedule, BlockingQueue<String> runs, List<ScheduleEvent> events, ExecutorService jobs) {
    BackupScheduler s = BackupScheduler.builder(name).clock(clock).lock(JdbcSlotLock.create(ds, table)).audit(audit)
        .executor(jobs).build().register(schedule, (scope, slot) -> runs.add(name + "@" + slot));
    s.onEvent(events::add);
    return s;
  }
}
