package dev.pledge.backup.retention;

import java.util.ArrayList;
import java.util.List;

/**
 * A retention plan: one decision per backup, newest first, and warnings worth an operator's
 * attention (P11, P12). Immutable and thread-safe. Nothing is applied by making a plan.
 */
public final class RetentionPlan {
  private final List<BackupDecision> decisions;
  private final List<String> warnings;

  RetentionPlan(List<BackupDecision> decisions, List<String> warnings) {
    this.decisions = List.copyOf(decisions);
    this.warnings = List.copyOf(warnings);
  }

  /**
   * A plan made of given decisions, for executing a plan decided elsewhere (a stored plan, a host's
   * own planner, a test) with a retention executor such as {@code pledge-backup-s3}'s.
   *
   * @param decisions one decision per backup, newest first
   * @param warnings operator warnings; may be empty
   * @return the plan
   */
  public static RetentionPlan of(List<BackupDecision> decisions, List<String> warnings) {
    return new RetentionPlan(decisions, warnings);
  }

  /** Every backup's decision, newest first. */
  public List<BackupDecision> decisions() {
    return decisions;
  }

  /** The decisions that are {@code decision}, newest first. */
  public List<BackupDecision> with(Decision decision) {
    List<BackupDecision> out = new ArrayList<>();
    for (BackupDecision d : decisions) {
      if (d.decision() == decision) {
        out.add(d);
      }
    }
    return out;
  }

  /** Backups kept in hot storage. */
  public List<BackupDecision> keep() {
    return with(Decision.KEEP);
  }

  /** Backups retained in cold storage. */
  public List<BackupDecision> archive() {
    return with(Decision.ARCHIVE);
  }

  /** Backups to delete. */
  public List<BackupDecision> delete() {
    return with(Decision.DELETE);
  }

  /** Warnings: PITR coverage gaps, objects too small for lifecycle transitions, held deletions. */
  public List<String> warnings() {
    return warnings;
  }

  @Override
  public String toString() {
    return "RetentionPlan[keep=" + keep().size() + ", archive=" + archive().size() + ", delete="
        + delete().size() + "]";
  }
}
