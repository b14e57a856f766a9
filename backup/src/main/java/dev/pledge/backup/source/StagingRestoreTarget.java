package dev.pledge.backup.source;

import java.io.IOException;
import java.io.InputStream;

/**
 * A {@link RestoreTarget} that can restore into a staging place nobody sees and publish it in one
 * step, so the engine decrypts a backup once: it streams the authenticated segments into {@link
 * #stage}, and {@linkplain Staged#commit() commits} only after the whole backup authenticated and
 * matched its manifest's checksums; otherwise it {@linkplain Staged#discard() discards} the staging
 * and the target is left as it was (P8). Targets that cannot stage (a database restored through its
 * client) are verified in full first and then restored, reading the backup twice.
 */
public interface StagingRestoreTarget extends RestoreTarget {

  /**
   * Restores {@code plaintext} into a staging place and returns how to publish or discard it. Must
   * not close {@code plaintext}. On an exception, nothing staged may remain.
   *
   * @throws IOException when the target cannot be written or the content is malformed
   */
  Staged stage(InputStream plaintext) throws IOException;

  /** A restore written but not yet visible. Not thread-safe. */
  interface Staged {

    /** Makes the restore visible at the target, atomically where the platform allows. */
    void commit() throws IOException;

    /** Removes everything staged; safe after a failure, a no-op after commit. */
    void discard();
  }

  /** Stages, then commits at once: for callers that verified the content already. */
  @Override
  default void restoreFrom(InputStream plaintext) throws IOException {
    Staged s = stage(plaintext);
    try {
      s.commit();
    } catch (IOException | RuntimeException e) {
      s.discard();
      throw e;
    }
  }
}
