package dev.pledge.backup.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pledge.core.Scope;
import dev.pledge.core.audit.AuditOutcome;
import dev.pledge.core.audit.AuditTrail;
import dev.pledge.core.audit.InMemoryAuditTrail;
import dev.pledge.core.notify.Notifier;
import dev.pledge.core.notify.RecordingNotifier;
import dev.pledge.core.time.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class BackupSchedulerTest {
  private static final Scope SHOP = Scope.of("shop", "production");
  private final MutableClock clock = MutableClock.at("2026-11-01T06:30:10Z");
  private final List<Instant> runs = new CopyOnWriteArrayList<>();
  private final List<ScheduleEvent> events = new CopyOnWriteArrayList<>();

  private BackupScheduler scheduler(String node, SlotLock lock, Schedule s, BackupJob job) {
    BackupScheduler b = BackupScheduler.builder(node).clock(clock).lock(lock).build().register(s, job);
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
    BackupScheduler s = BackupScheduler.builder("a").clock(clock).executor(pending::add).build()
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
    BackupScheduler s = BackupScheduler.builder("a").clock(clock).retries(3, Duration.ofMinutes(1), 2.0).build()
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
    BackupScheduler s = BackupScheduler.builder("node-1").clock(clock).notifier(notifier).audit(audit)
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
    BackupScheduler a = BackupScheduler.builder("a").clock(clock).lock(lock).executor(r -> { }).build()
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
}
