package dev.pledge.backup.source;

import dev.pledge.backup.internal.ExternalTool;
import dev.pledge.core.Secret;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A MariaDB or MySQL database ({@code mysql:mysql://user@host:port/db}) as a backup source, through
 * {@code mariadb-dump --single-transaction} (a consistent InnoDB snapshot; {@code mysqldump} when
 * {@code mariadb-dump} is absent), and as a restore target through the {@code mariadb} client; the
 * database is created when absent. The password travels in {@code MYSQL_PWD} in the tool's
 * environment, never on its command line. P6, P8.
 */
public final class MysqlDatabase implements BackupSource, RestoreTarget {
  /** The kind of backups this source makes. */
  public static final String KIND = "mysql";
  private final DatabaseUrl url;
  private final Secret password;

  private MysqlDatabase(DatabaseUrl url, Secret password) {
    this.url = Objects.requireNonNull(url, "url");
    if (!url.scheme().equals("mysql")) {
      throw new IllegalArgumentException("a mysql: source needs a mysql:// URL, got " + url);
    }
    this.password = password;
  }

  /** The database at {@code url}; the password, if any, from {@code MYSQL_PWD} or option files. */
  public static MysqlDatabase of(DatabaseUrl url) {
    return new MysqlDatabase(url, null);
  }

  /** The database at {@code url} with {@code password}. */
  public static MysqlDatabase of(DatabaseUrl url, Secret password) {
    return new MysqlDatabase(url, Objects.requireNonNull(password, "password"));
  }

  @Override
  public String kind() {
    return KIND;
  }

  @Override
  public String description() {
    return "mysql:" + url;
  }

  private List<String> connection() {
    return List.of("--protocol=TCP", "-h", url.host(), "-P", Integer.toString(url.port()), "-u", url.user());
  }

  private Map<String, String> env() {
    Map<String, String> env = new HashMap<>();
    if (password != null) {
      env.put("MYSQL_PWD", password.utf8());
    }
    return env;
  }

  private static String tool(String preferred, String fallback) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
      if (java.nio.file.Files.isExecutable(java.nio.file.Path.of(dir, preferred))) {
        return preferred;
      }
    }
    return fallback;
  }

  @Override
  public void writeTo(OutputStream out) throws IOException {
    List<String> cmd = new ArrayList<>(List.of(tool("mariadb-dump", "mysqldump"), "--single-transaction",
        "--routines", "--triggers", "--hex-blob"));
    cmd.addAll(connection());
    cmd.add(url.database());
    ExternalTool.run(cmd, env(), null, out);
  }

  @Override
  public void restoreFrom(InputStream plaintext) throws IOException {
    String client = tool("mariadb", "mysql");
    List<String> create = new ArrayList<>(List.of(client));
    create.addAll(connection());
    create.addAll(List.of("-e", "CREATE DATABASE IF NOT EXISTS `" + url.database() + "`"));
    ExternalTool.run(create, env(), null, null);
    List<String> cmd = new ArrayList<>(List.of(client));
    cmd.addAll(connection());
    cmd.add(url.database());
    ExternalTool.run(cmd, env(), plaintext, null);
  }

  @Override
  public String toString() {
    return "MysqlDatabase[" + url + "]";
  }
}
