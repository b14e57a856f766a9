package dev.pledge.backup.source;

import dev.pledge.core.internal.Redaction;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Builds backup sources from their text form, as the policy's {@code backups.sources} and the
 * command line's {@code --source} write them (P6): {@code dir:/path}, {@code
 * postgres:postgresql://user@host:port/db} or {@code mysql:mysql://user@host:port/db}. Database
 * passwords never appear in the text: they come from {@code PGPASSWORD} / {@code MYSQL_PWD} in the
 * environment of the dump tool.
 */
public final class Sources {
  private Sources() {}

  /**
   * The source {@code text} names. A {@code dir:} source must be an existing directory; a database
   * source is parsed but not connected to. A database source is also a {@link RestoreTarget}.
   *
   * @param text {@code dir:/path}, {@code postgres:postgresql://...} or {@code mysql:mysql://...}
   * @return the source
   * @throws IllegalArgumentException naming the problem (the path, or the URL without its password)
   *     when the text is malformed, of an unknown kind, or names a directory that does not exist
   */
  public static BackupSource parse(String text) {
    if (text == null) {
      throw new IllegalArgumentException("a source is required: dir:/path, postgres:postgresql://... or mysql:mysql://...");
    }
    if (text.startsWith("dir:")) {
      Path p = Path.of(text.substring(4));
      if (!Files.isDirectory(p)) {
        throw new IllegalArgumentException(p + " is not a directory");
      }
      return DirectorySource.of(p);
    }
    if (text.startsWith("postgres:") || text.startsWith("mysql:")) {
      DatabaseUrl url = DatabaseUrl.parse(text.substring(text.indexOf(':') + 1));
      return text.startsWith("postgres:") ? PostgresDatabase.of(url) : MysqlDatabase.of(url);
    }
    throw new IllegalArgumentException("'" + Redaction.location(text)
        + "' must be dir:/path, postgres:postgresql://... or mysql:mysql://...");
  }
}
