package dev.pledge.backup.pitr;

import dev.pledge.backup.internal.ExternalTool;
import dev.pledge.backup.source.BackupSource;
import dev.pledge.backup.source.DatabaseUrl;
import dev.pledge.backup.source.RestoreTarget;
import dev.pledge.core.Secret;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * A physical base backup of a whole PostgreSQL cluster, the full backup point-in-time restore starts
 * from (P9): {@code pg_basebackup -D - -Ft -X fetch}, one tar stream that holds the data folder and
 * the WAL it needs to be consistent, sent through the encrypted pipeline as it is produced. Restored
 * with {@link #dataFolder} into an empty folder by {@code tar -x}. The password travels in
 * {@code PGPASSWORD} in the tool's environment only. Immutable and thread-safe.
 */
public final class PostgresBaseBackup implements BackupSource {
  /** The kind of backups this source makes. */
  public static final String KIND = "postgres-base";
  private final DatabaseUrl url;
  private final Secret password;

  private PostgresBaseBackup(DatabaseUrl url, Secret password) {
    this.url = Objects.requireNonNull(url, "url");
    if (!url.scheme().equals("postgresql")) {
      throw new IllegalArgumentException("a base backup needs a postgresql:// URL, got " + url);
    }
    this.password = password;
  }

  /** The cluster at {@code url} (its database part is only used to connect); no password or one from the environment. */
  public static PostgresBaseBackup of(DatabaseUrl url) {
    return new PostgresBaseBackup(url, null);
  }

  /** The cluster at {@code url}, connecting with {@code password}. */
  public static PostgresBaseBackup of(DatabaseUrl url, Secret password) {
    return new PostgresBaseBackup(url, Objects.requireNonNull(password, "password"));
  }

  @Override
  public String kind() {
    return KIND;
  }

  @Override
  public String description() {
    return KIND + ":" + url.scheme() + "://" + url.user() + "@" + url.host() + ":" + url.port();
  }

  @Override
  public void writeTo(OutputStream out) throws IOException {
    Map<String, String> env = new HashMap<>();
    if (password != null) {
      env.put("PGPASSWORD", password.utf8());
    }
    ExternalTool.run(List.of(ExternalTool.find("pg_basebackup"), "-h", url.host(), "-p", Integer.toString(url.port()), "-U",
        url.user(), "-D", "-", "-Ft", "-X", "fetch", "-c", "fast", "--no-password"), env, null, out);
  }

  @Override
  public String toString() {
    return "PostgresBaseBackup[" + description() + "]";
  }

  /**
   * A restore target that unpacks a base backup into {@code dataDir}, which must be absent or empty;
   * it is created owner-only, as PostgreSQL requires.
   */
  public static RestoreTarget dataFolder(Path dataDir) {
    Objects.requireNonNull(dataDir, "dataDir");
    return new RestoreTarget() {
      @Override
      public String kind() {
        return KIND;
      }

      @Override
      public String description() {
        return "dir:" + dataDir;
      }

      @Override
      public void restoreFrom(InputStream plaintext) throws IOException {
        if (Files.exists(dataDir)) {
          try (Stream<Path> entries = Files.list(dataDir)) {
            if (entries.findAny().isPresent()) {
              throw new IOException(dataDir + " is not empty; a base backup is only restored into an empty folder");
            }
          }
        } else {
          Files.createDirectories(dataDir);
        }
        if (Files.getFileStore(dataDir).supportsFileAttributeView("posix")) {
          Files.setPosixFilePermissions(dataDir, PosixFilePermissions.fromString("rwx------"));
        }
        ExternalTool.run(List.of(ExternalTool.find("tar"), "-x", "-f", "-", "-C", dataDir.toString()), Map.of(), plaintext, null);
      }
    };
  }
}
