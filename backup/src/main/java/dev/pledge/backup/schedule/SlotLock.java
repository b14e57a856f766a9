package dev.pledge.backup.schedule;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The slot lock as this package first named it; it moved to core ({@link dev.pledge.core.lock.SlotLock})
 * so that jobs outside backup, such as the access broker's expiry sweep, share it. This type is that
 * lock under its old name: every lock of this type is a core lock, and {@link BackupScheduler} takes
 * any core lock.
 *
 * @deprecated use {@link dev.pledge.core.lock.SlotLock}; this name stays until the next major version
 */
@Deprecated(since = "0.2.0")
public interface SlotLock extends dev.pledge.core.lock.SlotLock {

  /**
   * A lock for schedulers in one JVM (see {@link dev.pledge.core.lock.SlotLock#inMemory()}).
   *
   * @deprecated use {@link dev.pledge.core.lock.SlotLock#inMemory()}
   */
  @Deprecated(since = "0.2.0")
  static SlotLock inMemory() {
    return of(dev.pledge.core.lock.SlotLock.inMemory());
  }

  /**
   * {@code lock} under this type's name, for code written against it.
   *
   * @deprecated use {@link dev.pledge.core.lock.SlotLock} directly
   */
  @Deprecated(since = "0.2.0")
  static SlotLock of(dev.pledge.core.lock.SlotLock lock) {
    Objects.requireNonNull(lock, "lock");
    if (lock instanceof SlotLock old) {
      return old;
    }
    return new SlotLock() {
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
    };
  }
}
