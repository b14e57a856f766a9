package dev.pledge.backup;

import dev.pledge.core.PledgeException;

/**
 * A backup, restore or verification failed for an operational reason: a store is unreachable, a
 * source tool failed, a file cannot be written. Messages name the backup and the location, never a
 * key or a credential.
 */
public class BackupException extends PledgeException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception with a message that names the backup or location. */
  public BackupException(String message) {
    super(message);
  }

  /** Creates the exception with a message that names the backup or location, and its cause. */
  public BackupException(String message, Throwable cause) {
    super(message, cause);
  }
}
