package dev.pledge.core.notify;

/** How urgent an alert is; notifiers may route by it (page for {@code CRITICAL}, post otherwise). */
public enum AlertSeverity {
  /** Someone must act now: a site is down, a Gold report, a breach (P4, P34). */
  CRITICAL,
  /** Act soon: a backup is overdue, an SLA target is at 90%. */
  HIGH,
  /** Worth knowing today: a burn-rate warning, a maintenance announcement. */
  WARNING,
  /** For the record: a recovery, a handoff. */
  INFO
}
