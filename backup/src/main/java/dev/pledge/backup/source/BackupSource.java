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
 * A tool that dumps to stdout and restores from stdin (mongodump/mongorestore {@code --archive},
 * {@code sqlite3 .dump}) fits in one class implementing this and {@link RestoreTarget}; the compiled,
 * tested example is {@code dev.pledge.backup.example.SqliteDatabase} in this module's test sources:
 *
 * <pre>{@code
 * public record SqliteDatabase(Path file) implements BackupSource, RestoreTarget {
 *   public String kind() { return "sqlite"; }
 *   public String description() { return "sqlite:" + file.toAbsolutePath(); }
 *   public void writeTo(OutputStream out) throws IOException {
 *     Process p = new ProcessBuilder("sqlite3", "-bail", "-readonly", file.toString(), ".dump").start();
 *     p.getInputStream().transferTo(out);   // then check p.waitFor() == 0, naming stderr if not
 *   }
 *   public void restoreFrom(InputStream plaintext) throws IOException {
 *     Process p = new ProcessBuilder("sqlite3", "-bail", file.toString()).start();
 *     try (OutputStream sql = p.getOutputStream()) { plaintext.transferTo(sql); }
 *   }
 * }
 * }</pre>
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
