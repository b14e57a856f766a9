package dev.pledge.core.lock;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Gives each slot of a recurring job to exactly one node of a cluster (the primary and the spare, P5):
 * a backup schedule's runs, the access broker's expiry sweeps. A slot, once completed, is never run
 * again; a slot whose holder died is released when its lease ends, so another node can take it over
 * within a bounded time.
 *
 * <p>A job is named by a string (its "schedule"); slots are instants, and a later slot supersedes
 * every earlier one: once a node has taken a slot, no earlier slot of that job can be taken.
 *
 * <p>Implementations: {@link JdbcSlotLock} for a database the nodes already share (PostgreSQL or
 * MariaDB), {@link #inMemory()} for nodes in one JVM only. Components that use a lock have no
 * default one: it is always chosen by name. Implementations must be thread-safe.
 */
public interface SlotLock {

  /**
   * Takes {@code slot} of {@code schedule} for {@code node} until {@code leaseUntil}, unless the
   * slot is completed or another node holds an unexpired lease on it, or a later slot was taken.
   *
   * @return the lease, or empty when the slot is not this node's to run
   */
  Optional<Lease> tryAcquire(String schedule, Instant slot, String node, Instant now, Instant leaseUntil);

  /** Marks the leased slot completed: no node will run it again. */
  void complete(Lease lease);

  /** Extends the lease to {@code until}, for a retry; false when the lease was lost. */
  boolean extend(Lease lease, Instant until);

  /**
   * The latest slot of {@code schedule} any node has taken, completed or not; empty when no node has
   * ever taken one, which is how a scheduler knows a job is at its first start. The default, for
   * locks that keep no history, is empty: every start is a first start.
   */
  default Optional<Instant> lastSlot(String schedule) {
    return Optional.empty();
  }

  /**
   * A node's hold on one slot.
   *
   * @param schedule the job's name
   * @param slot the slot
   * @param node the holder
   * @param until when the lease ends if the holder does not complete or extend it
   */
  record Lease(String schedule, Instant slot, String node, Instant until) {}

  /**
   * A lock for nodes in one JVM, named so that a single-node setup says so: it gives each slot to
   * one of the nodes sharing this instance and forgets everything when the JVM exits (after a
   * restart every job is at its first start). Use {@link JdbcSlotLock} for several nodes.
   */
  static SlotLock inMemory() {
    return new SlotLock() {
      private final Map<String, Object[]> rows = new HashMap<>(); // slot, node, until, done

      @Override
      public synchronized Optional<Lease> tryAcquire(String schedule, Instant slot, String node, Instant now,
          Instant leaseUntil) {
        Object[] r = rows.get(schedule);
        if (r != null) {
          Instant s = (Instant) r[0];
          boolean done = (Boolean) r[3];
          if (s.isAfter(slot) || (s.equals(slot) && (done || ((Instant) r[2]).isAfter(now)))) {
            return Optional.empty();
          }
        }
        rows.put(schedule, new Object[] {slot, node, leaseUntil, false});
        return Optional.of(new Lease(schedule, slot, node, leaseUntil));
      }

      @Override
      public synchronized Optional<Instant> lastSlot(String schedule) {
        Object[] r = rows.get(schedule);
        return r == null ? Optional.empty() : Optional.of((Instant) r[0]);
      }

      @Override
      public synchronized void complete(Lease lease) {
        Object[] r = rows.get(lease.schedule());
        if (r != null && r[0].equals(lease.slot()) && r[1].equals(lease.node())) {
          r[3] = true;
        }
      }

      @Override
      public synchronized boolean extend(Lease lease, Instant until) {
        Object[] r = rows.get(lease.schedule());
        if (r != null && r[0].equals(lease.slot()) && r[1].equals(lease.node()) && !(Boolean) r[3]) {
          r[2] = until;
          return true;
        }
        return false;
      }

      @Override
      public String toString() {
        return "SlotLock.inMemory()";
      }
    };
  }
}
