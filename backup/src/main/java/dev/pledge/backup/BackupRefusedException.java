package dev.pledge.backup;

/**
 * Policy refused an action before any byte moved: a store in a region outside the hosting policy
 * (P1), or a production backup restored into another environment without a masking transform (P27).
 * The refusal is audited with outcome {@code DENIED}.
 */
public final class BackupRefusedException extends BackupException {
  private static final long serialVersionUID = 1L;
  private final String promise;

  /** Creates the exception; {@code promise} is the promise that refused, such as {@code P1}. */
  public BackupRefusedException(String promise, String message) {
    super(message + " (" + promise + ")");
    this.promise = promise;
  }

  /** The promise that refused the action, such as {@code P1} or {@code P27}. */
  public String promise() {
    return promise;
  }
}
