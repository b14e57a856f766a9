package dev.pledge.backup.source;

import java.io.IOException;
import java.io.OutputStream;

/**
 * What a backup reads: a directory tree, a database dump, or anything an integrator adds. The engine
 * gives {@link #writeTo} a stream that compresses and encrypts on the fly, so a source writes its
 * whole content once, in order, in bounded memory (P6, P8).
 *
 * <p>Adding a source takes a few lines: a {@code kind}, a description without credentials, and the
 * bytes. Implementations need not be thread-safe: the engine calls {@code writeTo} once per backup.
 */
public interface BackupSource {

  /** The kind of content, matched against a {@link RestoreTarget}'s kind on restore: {@code dir}, {@code postgres}. */
  String kind();

  /** What is backed up, for the manifest and the audit trail; never a password or token. */
  String description();

  /**
   * Writes the content to {@code out}. Must not close {@code out}.
   *
   * @throws IOException when the content cannot be read; the backup then fails and nothing is listed
   */
  void writeTo(OutputStream out) throws IOException;
}
