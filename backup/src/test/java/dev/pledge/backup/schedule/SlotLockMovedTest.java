package dev.pledge.backup.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pledge.core.audit.AuditTrail;
import dev.pledge.core.Scope;
import dev.pledge.core.testing.Requirements;
import dev.pledge.core.time.MutableClock;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The slot lock moved to core: the old names in this package are the same lock, so a scheduler on
 * the old {@code JdbcSlotLock} and one on core's, on the same table, still run each slot once.
 */
@SuppressWarnings("deprecation")
class SlotLockMovedTest {

  @Test
  void theOldAndTheNewJdbcLockOnOneTableShareTheSlots() throws Exception {
    Requirements.requirePostgres();
    PGSimpleDataSource ds = new PGSimpleDataSource();
    ds.setUrl("jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres");
    String table = "pledge_slots_moved_" + Long.toHexString(System.nanoTime());
    try {
      MutableClock clock = MutableClock.at("2026-11-01T06:30:02Z");
      Schedule every5 = Schedule.of("shop-db-rolling", Scope.of("shop", "production"), Trigger.every(Duration.ofMinutes(5)));
      List<String> runs = new ArrayList<>();
      BackupScheduler old = BackupScheduler.builder("old").clock(clock).lock(JdbcSlotLock.create(ds, table))
          .audit(AuditTrail.inMemory()).executor(Runnable::run).build().register(every5, (s, slot) -> runs.add("old " + slot));
      BackupScheduler moved = BackupScheduler.builder("new").clock(clock)
          .lock(dev.pledge.core.lock.JdbcSlotLock.create(ds, table)).audit(AuditTrail.inMemory()).executor(Runnable::run)
          .build().register(every5, (s, slot) -> runs.add("new " + slot));
      for (int i = 0; i < 4; i++) {
        (i % 2 == 0 ? old : moved).tick();
        (i % 2 == 0 ? moved : old).tick();
        clock.advance(Duration.ofMinutes(5));
      }
      assertThat(runs).hasSize(4).containsExactly("old 2026-11-01T06:30:00Z", "new 2026-11-01T06:35:00Z",
          "old 2026-11-01T06:40:00Z", "new 2026-11-01T06:45:00Z");
    } finally {
      try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
        s.execute("DROP TABLE IF EXISTS " + table);
      }
    }
  }

  @Test
  void theOldInMemoryLockIsACoreLockAndOfWrapsAnyCoreLock() {
    dev.pledge.core.lock.SlotLock core = dev.pledge.core.lock.SlotLock.inMemory();
    SlotLock old = SlotLock.of(core);
    Instant slot = Instant.parse("2026-11-01T06:30:00Z");
    SlotLock.Lease lease = old.tryAcquire("s", slot, "a", slot, slot.plusSeconds(60)).orElseThrow();
    assertThat(core.tryAcquire("s", slot, "b", slot, slot.plusSeconds(60))).as("held through the old name").isEmpty();
    old.complete(lease);
    assertThat(core.lastSlot("s")).contains(slot);
    assertThat(SlotLock.of(old)).isSameAs(old);
    assertThat(SlotLock.inMemory()).isInstanceOf(dev.pledge.core.lock.SlotLock.class);
  }
}
