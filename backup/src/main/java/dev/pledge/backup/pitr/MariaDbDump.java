package dev.pledge.backup.pitr;

import dev.pledge.backup.internal.ExternalTool;
import dev.pledge.backup.source.BackupSource;
import dev.pledge.backup.source.DatabaseUrl;
import dev.pledge.core.Secret;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The full backup MariaDB/MySQL point-in-time restore starts from (P9): {@code mariadb-dump
 * --single-transaction --master-data=2 --databases DB}, a consistent InnoDB snapshot whose header
 * records the binary-log position it matches ({@link MariaDbRecovery#positionInDump}), so the binary
 * logs shipped by {@link PitrArchive} replay from exactly there. The password travels in
 * {@code MYSQL_PWD} in the tool's environment only. Immutable and thread-safe.
 */
public final class MariaDbDump implements BackupSource {
  /** The kind of backups this source makes. */
  public static final String KIND = "mysql-pitr";
  private final DatabaseUrl url;
  private final Secret password;

  private MariaDbDump(DatabaseUrl url, Secret password) {
    this.url = Objects.requireNonNull(url, "url");
    if (!url.scheme().equals("mysql")) {
      throw new IllegalArgumentException("a MariaDB dump needs a mysql:// URL, got " + url);
    }
    this.password = password;
  }

  /** The database at {@code url}; the password, if any, from {@code MYSQL_PWD} or option files. */
  public static MariaDbDump of(DatabaseUrl url) {
    return new MariaDbDump(url, null);
  }

  /** The database at {@code url} with {@code password}. */
  public static MariaDbDump of(DatabaseUrl url, Secret password) {
    return new MariaDbDump(url, Objects.requireNonNull(password, "password"));
  }

  @Override
  public String kind() {
    return KIND;
  }

  @Override
  public String description() {
    return KIND + ":" + url;
  }

  @Override
  public void writeTo(OutputStream out) throws IOException {
    Map<String, String> env = new HashMap<>();
    if (password != null) {
      env.put("MYSQL_PWD", password.utf8());
    }
    List<String> cmd = new ArrayList<>(List.of(ExternalTool.find("mariadb-dump", "mysqldump"), "--single-transaction",
        "--master-data=2", "--routines", "--triggers", "--hex-blob", "--protocol=TCP", "-h", url.host(), "-P",
        Integer.toString(url.port()), "-u", url.user(), "--databases", url.database()));
    ExternalTool.run(cmd, env, null, out);
  }

  @Override
  public String toString() {
    return "MariaDbDump[" + url + "]";
  }
}
