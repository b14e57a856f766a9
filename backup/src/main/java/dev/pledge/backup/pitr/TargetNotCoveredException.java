package dev.pledge.backup.pitr;

import dev.pledge.core.PledgeException;
import java.util.Objects;

/**
 * Thrown when a point-in-time restore is asked for an instant the stored backups cannot reach (P9):
 * no full backup before it, or a hole in the log segments. The plan names what is missing; nothing
 * has been written.
 */
public final class TargetNotCoveredException extends PledgeException {
  private static final long serialVersionUID = 1L;
  private final transient RestorePlan plan;

  /** An exception for {@code plan}, which is not {@link RestorePlan#complete() complete}. */
  public TargetNotCoveredException(RestorePlan plan) {
    super("cannot restore to " + Objects.requireNonNull(plan, "plan").target() + ": " + String.join("; ", plan.gaps()));
    this.plan = plan;
  }

  /** The incomplete plan, with its gaps. */
  public RestorePlan plan() {
    return plan;
  }
}
