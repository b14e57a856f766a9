package dev.pledge.backup;

/**
 * The store holds no complete backup with the id asked for: a mistyped id, the wrong store, or a
 * backup that failed and was never listed. A caller's input problem rather than an operational
 * failure, so the CLI reports it as bad input (exit 2).
 */
public final class BackupNotFoundException extends BackupException {
  private static final long serialVersionUID = 1L;
  private final String backupId;
  private final String location;

  /** Creates the exception for backup {@code backupId} missing from {@code location}. */
  public BackupNotFoundException(String backupId, String location) {
    super("backup " + backupId + " is not in " + location);
    this.backupId = backupId;
    this.location = location;
  }

  /** The id that was asked for. */
  public String backupId() {
    return backupId;
  }

  /** The store that was searched, as {@link dev.pledge.backup.store.BackupStore#location()}. */
  public String location() {
    return location;
  }
}
