/**
 * Backup scheduling (P6, P7): {@link dev.pledge.backup.schedule.Trigger}s (every N minutes, daily at
 * a local time, cron), the {@link dev.pledge.backup.schedule.BackupScheduler} that runs each slot on
 * exactly one node through a {@link dev.pledge.core.lock.SlotLock}, and the
 * {@link dev.pledge.backup.schedule.FreshnessMonitor} that alerts when backups go stale.
 */
package dev.pledge.backup.schedule;
