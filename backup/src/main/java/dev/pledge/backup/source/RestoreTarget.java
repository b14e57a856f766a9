package dev.pledge.backup.source;

import java.io.IOException;
import java.io.InputStream;

/**
 * Where a restore writes: a directory, a database, or an integrator's own target. The engine only
 * calls {@link #restoreFrom} after the whole backup has decrypted, authenticated and matched its
 * manifest's checksums, so a wrong key or altered backup never reaches the target (P8).
 */
public interface RestoreTarget {

  /** The kind of content this target takes, equal to the {@link BackupSource#kind()} that made the backup. */
  String kind();

  /**
   * Whether this target takes a backup whose source was of {@code sourceKind}; the engine refuses
   * any other. By default, exactly the backups of its own {@link #kind()}; the {@link RawTarget}s
   * take every kind.
   */
  default boolean accepts(String sourceKind) {
    return kind().equals(sourceKind);
  }

  /** Where the restore goes, for the audit trail; never a password or token. */
  String description();

  /**
   * Restores from {@code plaintext}, the bytes the source wrote. Must not close {@code plaintext}.
   *
   * @throws IOException when the target cannot be written or the content is malformed
   */
  void restoreFrom(InputStream plaintext) throws IOException;
}
