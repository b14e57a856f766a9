package dev.pledge.backup.schedule;

/**
 * What a schedule does about a slot that passed while it was not run: after downtime, and at the
 * very first start of a schedule that no node has ever run.
 *
 * <p>A scheduler tells the two apart by its {@link dev.pledge.core.lock.SlotLock slot lock}: a schedule the lock has never seen is at
 * its first start (see {@link dev.pledge.core.lock.SlotLock#lastSlot}). A slot that falls within the schedule's grace is on
 * time, not missed, and runs whatever the policy says.
 */
public enum MissedRun {
  /**
   * After downtime, run once now for the latest missed slot, never once per missed slot. At first
   * start, run nothing now: a daily 02:00 backup does not fire because a service was deployed at 10:00.
   */
  RUN_ONCE,
  /** Run nothing now, after downtime or at first start; wait for the next slot. */
  SKIP,
  /**
   * Like {@link #RUN_ONCE}, and also at first start: a schedule no node has run yet runs once at once
   * for its latest slot, so a new deployment has a backup from its first minute.
   */
  RUN_ONCE_AT_FIRST_START
}
