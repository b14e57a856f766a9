package dev.pledge.backup.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pledge.core.Scope;
import dev.pledge.core.audit.AuditOutcome;
import dev.pledge.core.audit.AuditTrail;
import dev.pledge.core.audit.InMemoryAuditTrail;
import dev.pledge.core.lock.JdbcSlotLock;
import dev.pledge.core.lock.SlotLock;
import dev.pledge.core.notify.Notifier;
import dev.pledge.core.notify.RecordingNotifier;
import dev.pledge.core.time.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class BackupSchedulerTest {
  private static final Scope SHOP = Scope.of("shop", "production");
  private final MutableClock clock = MutableClock.at("2026-11-01T06:30:10Z");
  private final List<Instant> runs = new CopyOnWriteArrayList<>();
  private final List<ScheduleEvent> events = new CopyOnWriteArrayList<>();

  /** Jobs on the ticking thread, named so: these tests are about which slots run, not where. */
  private BackupScheduler.Builder onTickingThread(String node) {
    return BackupScheduler.builder(node).clock(clock).lock(SlotLock.inMemory()).audit(AuditTrail.inMemory())
        .executor(Runnable::run);
  }

  private BackupScheduler scheduler(String node, SlotLock lock, Schedule s, BackupJob job) {
    BackupScheduler b = onTickingThread(node).lock(lock).build().register(s, job);
    b.onEvent(events::add);
    return b;
  }

  private static Schedule fiveMinutes() {
    return Schedule.of("shop-db-rolling", SHOP, Trigger.every(Duration.ofMinutes(5)));
  }

  @Test
  void eachSlotRunsOnceHoweverOftenTheSchedulerTicks() {
    BackupScheduler s = scheduler("a", SlotLock.inMemory(), fiveMinutes(), (scope, slot) -> runs.add(slot));
    for (int minute = 0; minute < 30; minute++) {
      s.tick();
      s.tick();
      clock.advance(Duration.ofMinutes(1));
    }
    assertThat(runs).hasSize(6).doesNotHaveDuplicates();
    assertThat(runs.get(0)).isEqualTo(Instant.parse("2026-11-01T06:30:00Z"));
    assertThat(runs.get(5)).isEqualTo(Instant.parse("2026-11-01T06:55:00Z"));
  }

  @Test
  void afterDowntimeRunOnceRunsOneCatchUpNotOnePerMissedSlot() {
    BackupScheduler s = scheduler("a", SlotLock.inMemory(), fiveMinutes(), (scope, slot) -> runs.add(slot));
    s.tick();
    clock.advance(Duration.ofHours(3)); // the node was down for 3 hours: 36 slots passed
    s.tick();
    s.tick();
    assertThat(runs).containsExactly(Instant.parse("2026-11-01T06:30:00Z"), Instant.parse("2026-11-01T09:30:00Z"));
  }

  @Test
  void afterDowntimeSkipWaitsForTheNextSlot() {
    BackupScheduler s = scheduler("a", SlotLock.inMemory(), fiveMinutes().withMissedRun(MissedRun.SKIP),
        (scope, slot) -> runs.add(slot));
    s.tick();
    clock.advance(Duration.ofHours(3)).advance(Duration.ofMinutes(2)); // 09:32:10, slot 09:30 is late
    s.tick();
    assertThat(runs).containsExactly(Instant.parse("2026-11-01T06:30:00Z"));
    assertThat(events).anySatisfy(e -> assertThat(e.kind()).isEqualTo(ScheduleEvent.Kind.MISSED_SKIPPED));
    clock.advance(Duration.ofMinutes(3)); // 09:35:10
    s.tick();
    assertThat(runs).hasSize(2).last().isEqualTo(Instant.parse("2026-11-01T09:35:00Z"));
  }

  @Test
  void aSlotThatFallsWhileThePreviousRunIsGoingIsSkippedNotRunAlongside() {
    List<Runnable> pending = new ArrayList<>();
    BackupScheduler s = onTickingThread("a").executor(pending::add).build()
        .register(fiveMinutes(), (scope, slot) -> runs.add(slot));
    s.onEvent(events::add);
    s.tick();
    assertThat(pending).hasSize(1);
    clock.advance(Duration.ofMinutes(5));
    s.tick();
    assertThat(pending).as("no second run while the first is going").hasSize(1);
    assertThat(events).anySatisfy(e -> {
      assertThat(e.kind()).isEqualTo(ScheduleEvent.Kind.OVERLAP_SKIPPED);
      assertThat(e.slot()).isEqualTo(Instant.parse("2026-11-01T06:35:00Z"));
    });
    pending.get(0).run();
    s.tick();
    assertThat(pending).hasSize(1);
    clock.advance(Duration.ofMinutes(5));
    s.tick();
    assertThat(pending).hasSize(2);
  }

  @Test
  void failuresAreRetriedWithGrowingBackoffThenSucceed() {
    int[] calls = {0};
    BackupScheduler s = onTickingThread("a").retries(3, Duration.ofMinutes(1), 2.0).build()
        .register(fiveMinutes().withMaxRunTime(Duration.ofMinutes(30)), (scope, slot) -> {
          if (++calls[0] < 3) {
            throw new IllegalStateException("S3 unreachable");
          }
          runs.add(slot);
        });
    s.onEvent(events::add);
    s.tick(); // attempt 1 fails at 06:30:10, retry at 06:31:10
    clock.advance(Duration.ofSeconds(59));
    s.tick();
    assertThat(calls[0]).isEqualTo(1);
    clock.advance(Duration.ofSeconds(1));
    s.tick(); // attempt 2 fails at 06:31:10, retry at 06:33:10
    assertThat(calls[0]).isEqualTo(2);
    clock.advance(Duration.ofMinutes(2));
    s.tick();
    assertThat(calls[0]).isEqualTo(3);
    assertThat(runs).containsExactly(Instant.parse("2026-11-01T06:30:00Z"));
    assertThat(events).filteredOn(e -> e.kind() == ScheduleEvent.Kind.RETRY_SCHEDULED)
        .extracting(ScheduleEvent::attempt).containsExactly(1, 2);
  }

  @Test
  void afterTheLastAttemptItAlertsAndAuditsTheFailure() {
    RecordingNotifier notifier = Notifier.recording();
    InMemoryAuditTrail audit = AuditTrail.inMemory();
    BackupScheduler s = onTickingThread("node-1").notifier(notifier).audit(audit)
        .retries(2, Duration.ofMinutes(1), 2.0).build()
        .register(fiveMinutes(), (scope, slot) -> {
          throw new IllegalStateException("disk full");
        });
    s.tick();
    clock.advance(Duration.ofMinutes(1));
    s.tick();
    assertThat(notifier.alerts()).singleElement().satisfies(a -> {
      assertThat(a.title()).contains("shop-db-rolling").contains("failed 2 times");
      assertThat(a.body()).contains("disk full").contains("node-1");
    });
    assertThat(audit.byAction("backup.scheduled-run")).extracting(r -> r.outcome())
        .containsExactly(AuditOutcome.FAILURE, AuditOutcome.FAILURE);
    clock.advance(Duration.ofMinutes(10));
    s.tick();
    assertThat(notifier.alerts()).as("the next slot is tried afresh").hasSize(1);
  }

  @Test
  void twoNodesSharingALockRunEachSlotOnce() {
    SlotLock lock = SlotLock.inMemory();
    List<String> by = new CopyOnWriteArrayList<>();
    BackupScheduler a = scheduler("a", lock, fiveMinutes(), (scope, slot) -> by.add("a@" + slot));
    BackupScheduler b = scheduler("b", lock, fiveMinutes(), (scope, slot) -> by.add("b@" + slot));
    for (int i = 0; i < 12; i++) {
      if (i % 2 == 0) {
        a.tick();
        b.tick();
      } else {
        b.tick();
        a.tick();
      }
      clock.advance(Duration.ofMinutes(5));
    }
    assertThat(by).hasSize(12);
    assertThat(by.stream().map(x -> x.substring(2)).distinct()).hasSize(12);
    assertThat(by).anyMatch(x -> x.startsWith("a@")).anyMatch(x -> x.startsWith("b@"));
  }

  @Test
  void aNodeThatDiesMidRunReleasesTheSlotAfterItsLease() {
    SlotLock lock = SlotLock.inMemory();
    Schedule sched = fiveMinutes().withMaxRunTime(Duration.ofMinutes(2));
    // node a takes the slot and dies: its job never finishes
    BackupScheduler a = onTickingThread("a").lock(lock).executor(r -> { }).build()
        .register(sched, (scope, slot) -> runs.add(slot));
    BackupScheduler b = scheduler("b", lock, sched, (scope, slot) -> runs.add(slot));
    a.tick();
    b.tick();
    assertThat(runs).isEmpty();
    clock.advance(Duration.ofMinutes(1));
    b.tick();
    assertThat(runs).as("a's lease still holds").isEmpty();
    clock.advance(Duration.ofMinutes(1));
    b.tick();
    assertThat(runs).as("b takes over the slot a's death left").containsExactly(Instant.parse("2026-11-01T06:30:00Z"));
  }

  @Test
  void theFreshnessMonitorAlertsOnceWhenBackupsGoStaleAndOnceWhenTheyRecover() {
    RecordingNotifier notifier = Notifier.recording();
    FreshnessMonitor m = new FreshnessMonitor(Duration.ofMinutes(15), clock, notifier);
    Scope portal = Scope.of("portal", "production");
    Instant now = clock.instant();

    assertThat(m.check(Map.of(SHOP, Optional.of(now.minusSeconds(600)), portal, Optional.empty())))
        .containsExactly(portal);
    assertThat(m.check(Map.of(SHOP, Optional.of(now.minusSeconds(960)), portal, Optional.empty())))
        .containsExactlyInAnyOrder(SHOP, portal);
    m.check(Map.of(SHOP, Optional.of(now.minusSeconds(970)), portal, Optional.empty()));
    assertThat(notifier.alerts()).hasSize(2);
    assertThat(notifier.alerts().get(1).body()).contains("16 min old");
    m.check(Map.of(SHOP, Optional.of(now), portal, Optional.empty()));
    assertThat(notifier.alerts()).hasSize(3).last().satisfies(a -> assertThat(a.title()).contains("fresh again"));
  }

  private static Schedule dailyTwoAm() {
    return Schedule.of("shop-db-daily", SHOP, Trigger.dailyAt(LocalTime.of(2, 0), ZoneId.of("Europe/London")));
  }

  @Test
  void buildingWithoutALockIsAnErrorThatNamesTheChoices() {
    assertThatThrownBy(() -> BackupScheduler.builder("node-1").audit(AuditTrail.inMemory()).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("backup scheduler 'node-1' has no lock")
        .hasMessageContaining("JdbcSlotLock.create(dataSource)")
        .hasMessageContaining("lock(SlotLock.inMemory()) for one JVM only");
  }

  @Test
  void buildingWithoutAnAuditTrailIsAnErrorThatNamesTheChoices() {
    assertThatThrownBy(() -> BackupScheduler.builder("node-1").lock(SlotLock.inMemory()).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("backup scheduler 'node-1' has no audit trail")
        .hasMessageContaining("AuditTrail.inMemory() or AuditTrail.discarding() explicitly");
  }

  @Test
  void aDailyJobDoesNotFireAtFirstStartButAtItsNextSlot() {
    // deployed at 06:30 on 1 November: that day's 02:00 passed before the schedule existed
    BackupScheduler s = scheduler("a", SlotLock.inMemory(), dailyTwoAm(), (scope, slot) -> runs.add(slot));
    s.tick();
    s.tick();
    assertThat(runs).isEmpty();
    assertThat(events).singleElement().satisfies(e -> {
      assertThat(e.kind()).isEqualTo(ScheduleEvent.Kind.FIRST_START_SKIPPED);
      assertThat(e.slot()).isEqualTo(Instant.parse("2026-11-01T02:00:00Z"));
      assertThat(e.detail()).contains("the next slot is 2026-11-02T02:00:00Z");
    });
    clock.set(Instant.parse("2026-11-02T02:00:05Z"));
    s.tick();
    assertThat(runs).containsExactly(Instant.parse("2026-11-02T02:00:00Z"));
  }

  @Test
  void aDailyJobWhoseMissedRunPolicyAsksForItRunsOnceAtFirstStart() {
    BackupScheduler s = scheduler("a", SlotLock.inMemory(),
        dailyTwoAm().withMissedRun(MissedRun.RUN_ONCE_AT_FIRST_START), (scope, slot) -> runs.add(slot));
    s.tick();
    s.tick();
    clock.advance(Duration.ofHours(2));
    s.tick();
    assertThat(runs).containsExactly(Instant.parse("2026-11-01T02:00:00Z"));
  }

  @Test
  void aSlotThatIsDueAtFirstStartIsOnTimeNotMissedAndRuns() {
    clock.set(Instant.parse("2026-11-01T02:00:20Z")); // within the minute's grace
    BackupScheduler s = scheduler("a", SlotLock.inMemory(), dailyTwoAm(), (scope, slot) -> runs.add(slot));
    s.tick();
    assertThat(runs).containsExactly(Instant.parse("2026-11-01T02:00:00Z"));
  }

  @Test
  void afterARestartTheLockRemembersTheScheduleSoADailyRunMissedInDowntimeRunsOnce() {
    SlotLock shared = SlotLock.inMemory(); // stands in for the table a JdbcSlotLock keeps across restarts
    clock.set(Instant.parse("2026-11-01T02:00:05Z"));
    BackupScheduler before = scheduler("a", shared, dailyTwoAm(), (scope, slot) -> runs.add(slot));
    before.tick();
    before.close();
    clock.set(Instant.parse("2026-11-03T09:00:00Z")); // down for two nights
    BackupScheduler after = scheduler("a", shared, dailyTwoAm(), (scope, slot) -> runs.add(slot));
    after.tick();
    after.tick();
    assertThat(runs).containsExactly(Instant.parse("2026-11-01T02:00:00Z"), Instant.parse("2026-11-03T02:00:00Z"));
    assertThat(events).noneMatch(e -> e.kind() == ScheduleEvent.Kind.FIRST_START_SKIPPED);
  }

  @Test
  void byDefaultJobsRunOffTheTickingThreadSoASlowJobHoldsUpNeitherTicksNorOtherSchedules() throws Exception {
    CountDownLatch slowStarted = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    BlockingQueue<Instant> quick = new LinkedBlockingQueue<>();
    List<Thread> jobThreads = new CopyOnWriteArrayList<>();
    try (BackupScheduler s = BackupScheduler.builder("a").clock(clock).lock(SlotLock.inMemory())
        .audit(AuditTrail.inMemory()).build()) {
      s.onEvent(events::add);
      s.register(Schedule.of("slow", SHOP, Trigger.every(Duration.ofMinutes(5))), (scope, slot) -> {
        jobThreads.add(Thread.currentThread());
        slowStarted.countDown();
        release.await();
      });
      s.register(Schedule.of("quick", SHOP, Trigger.every(Duration.ofMinutes(5))), (scope, slot) -> {
        jobThreads.add(Thread.currentThread());
        quick.add(slot);
      });
      BlockingQueue<Instant> quickDone = new LinkedBlockingQueue<>();
      s.onEvent(e -> {
        if (e.schedule().equals("quick") && e.kind() == ScheduleEvent.Kind.SUCCEEDED) {
          quickDone.add(e.slot());
        }
      });
      s.tick(); // returns while the slow job is still going
      assertThat(slowStarted.await(10, TimeUnit.SECONDS)).isTrue();
      assertThat(quick.poll(10, TimeUnit.SECONDS)).isEqualTo(Instant.parse("2026-11-01T06:30:00Z"));
      assertThat(quickDone.poll(10, TimeUnit.SECONDS)).isEqualTo(Instant.parse("2026-11-01T06:30:00Z"));
      clock.advance(Duration.ofMinutes(5));
      s.tick();
      assertThat(quick.poll(10, TimeUnit.SECONDS)).isEqualTo(Instant.parse("2026-11-01T06:35:00Z"));
      assertThat(events).as("the slow schedule's next slot is not run beside its running one").anySatisfy(e -> {
        assertThat(e.schedule()).isEqualTo("slow");
        assertThat(e.kind()).isEqualTo(ScheduleEvent.Kind.OVERLAP_SKIPPED);
        assertThat(e.slot()).isEqualTo(Instant.parse("2026-11-01T06:35:00Z"));
      });
      assertThat(events).filteredOn(e -> e.schedule().equals("slow") && e.kind() == ScheduleEvent.Kind.STARTED)
          .hasSize(1);
      assertThat(jobThreads).hasSize(3).doesNotContain(Thread.currentThread())
          .allSatisfy(t -> assertThat(t.getName()).startsWith("pledge-backup-job-a-"));
      release.countDown();
    }
  }

  @Test
  void aClosedSchedulerStartsNothing() {
    BackupScheduler s = scheduler("a", SlotLock.inMemory(), fiveMinutes(), (scope, slot) -> runs.add(slot));
    s.close();
    s.tick();
    assertThat(runs).isEmpty();
  }
}
