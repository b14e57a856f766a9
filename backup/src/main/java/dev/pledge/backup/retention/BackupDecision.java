package dev.pledge.backup.retention;

import java.util.List;
import java.util.Objects;

/**
 * The plan's decision for one backup and the rules that decided it (P11, P12). Immutable.
 *
 * @param backup the backup
 * @param decision keep, archive or delete
 * @param reasons the rules that decided it, such as {@code daily}, {@code within 7d},
 *     {@code needed by b42}, {@code pitr base}, {@code cold: older than P3M -> GLACIER}
 */
public record BackupDecision(BackupRecord backup, Decision decision, List<String> reasons) {

  /** Validates and copies. */
  public BackupDecision {
    Objects.requireNonNull(backup, "backup");
    Objects.requireNonNull(decision, "decision");
    reasons = List.copyOf(reasons);
  }
}
