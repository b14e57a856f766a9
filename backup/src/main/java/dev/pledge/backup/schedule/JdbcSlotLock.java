package dev.pledge.backup.schedule;

import java.time.Instant;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The JDBC slot lock under the name this package first gave it; it moved to core ({@link
 * dev.pledge.core.lock.JdbcSlotLock}), with the same table, so a backup scheduler and an access
 * expiry sweeper can share one. Each call goes to the core lock on the same table. Thread-safe.
 *
 * @deprecated use {@link dev.pledge.core.lock.JdbcSlotLock}; this name stays until the next major version
 */
@Deprecated(since = "0.2.0")
public final class JdbcSlotLock implements SlotLock {
  private final dev.pledge.core.lock.JdbcSlotLock lock;

  private JdbcSlotLock(dev.pledge.core.lock.JdbcSlotLock lock) {
    this.lock = lock;
  }

  /**
   * A lock in {@code table}, created if it does not exist.
   *
   * @throws dev.pledge.core.PledgeException if the table cannot be created
   * @deprecated use {@link dev.pledge.core.lock.JdbcSlotLock#create(DataSource, String)}
   */
  @Deprecated(since = "0.2.0")
  public static JdbcSlotLock create(DataSource dataSource, String table) {
    return new JdbcSlotLock(dev.pledge.core.lock.JdbcSlotLock.create(dataSource, table));
  }

  /**
   * A lock in the table {@code pledge_schedule_slots}.
   *
   * @deprecated use {@link dev.pledge.core.lock.JdbcSlotLock#create(DataSource)}
   */
  @Deprecated(since = "0.2.0")
  public static JdbcSlotLock create(DataSource dataSource) {
    return new JdbcSlotLock(dev.pledge.core.lock.JdbcSlotLock.create(dataSource));
  }

  @Override
  public Optional<Lease> tryAcquire(String schedule, Instant slot, String node, Instant now, Instant leaseUntil) {
    return lock.tryAcquire(schedule, slot, node, now, leaseUntil);
  }

  @Override
  public void complete(Lease lease) {
    lock.complete(lease);
  }

  @Override
  public boolean extend(Lease lease, Instant until) {
    return lock.extend(lease, until);
  }

  @Override
  public Optional<Instant> lastSlot(String schedule) {
    return lock.lastSlot(schedule);
  }

  @Override
  public String toString() {
    return lock.toString();
  }
}
