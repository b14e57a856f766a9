package dev.pledge.backup;

/**
 * A stored backup does not prove itself: the data key cannot be unwrapped with the key given (wrong
 * key), the ciphertext fails authentication (altered), ends early (truncated), or the plaintext or
 * stored checksum differs from the manifest. Nothing was written to a restore target when this is
 * thrown (P8).
 */
public final class BackupIntegrityException extends BackupException {
  private static final long serialVersionUID = 1L;
  private final String backupId;

  /** Creates the exception for backup {@code backupId}. */
  public BackupIntegrityException(String backupId, String message, Throwable cause) {
    super("backup " + backupId + ": " + message, cause);
    this.backupId = backupId;
  }

  /** The id of the backup that failed to prove itself. */
  public String backupId() {
    return backupId;
  }
}
