package dev.pledge.backup.schedule;

/** What a schedule does about slots that passed while no node was running (after downtime). */
public enum MissedRun {
  /** Run once now for the latest missed slot, never once per missed slot. */
  RUN_ONCE,
  /** Run nothing now; wait for the next slot. */
  SKIP
}
