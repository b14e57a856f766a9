package dev.pledge.backup.source;

import dev.pledge.backup.internal.ExternalTool;
import dev.pledge.core.Secret;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A PostgreSQL database ({@code postgres:postgresql://user@host:port/db}) as a backup source, through
 * {@code pg_dump -Fc} (custom format, a consistent snapshot), and as a restore target, through {@code
 * pg_restore --single-transaction --exit-on-error}; the database is created when absent. The password
 * travels in {@code PGPASSWORD} in the tool's environment, never on its command line. P6, P8.
 */
public final class PostgresDatabase implements BackupSource, RestoreTarget {
  /** The kind of backups this source makes. */
  public static final String KIND = "postgres";
  private final DatabaseUrl url;
  private final Secret password;

  private PostgresDatabase(DatabaseUrl url, Secret password) {
    this.url = Objects.requireNonNull(url, "url");
    if (!url.scheme().equals("postgresql")) {
      throw new IllegalArgumentException("a postgres: source needs a postgresql:// URL, got " + url);
    }
    this.password = password;
  }

  /** The database at {@code url}; the password, if any, from {@code PGPASSWORD} or {@code ~/.pgpass}. */
  public static PostgresDatabase of(DatabaseUrl url) {
    return new PostgresDatabase(url, null);
  }

  /** The database at {@code url} with {@code password}. */
  public static PostgresDatabase of(DatabaseUrl url, Secret password) {
    return new PostgresDatabase(url, Objects.requireNonNull(password, "password"));
  }

  @Override
  public String kind() {
    return KIND;
  }

  @Override
  public String description() {
    return "postgres:" + url;
  }

  private List<String> connection() {
    return List.of("--no-password", "-h", url.host(), "-p", Integer.toString(url.port()), "-U", url.user());
  }

  private Map<String, String> env() {
    Map<String, String> env = new HashMap<>();
    if (password != null) {
      env.put("PGPASSWORD", password.utf8());
    }
    return env;
  }

  @Override
  public void writeTo(OutputStream out) throws IOException {
    List<String> cmd = new java.util.ArrayList<>(List.of("pg_dump", "-Fc"));
    cmd.addAll(connection());
    cmd.addAll(List.of("-d", url.database()));
    ExternalTool.run(cmd, env(), null, out);
  }

  @Override
  public void restoreFrom(InputStream plaintext) throws IOException {
    List<String> create = new java.util.ArrayList<>(List.of("psql", "-v", "ON_ERROR_STOP=1", "-q", "-d", "postgres"));
    create.addAll(connection());
    create.addAll(List.of("-c", "SELECT 1"));
    // CREATE DATABASE cannot run inside a transaction block or a DO block: check, then create
    List<String> exists = new java.util.ArrayList<>(create);
    exists.set(exists.size() - 1, "SELECT 1 FROM pg_database WHERE datname = '" + url.database() + "'");
    java.io.ByteArrayOutputStream found = new java.io.ByteArrayOutputStream();
    List<String> existsQuery = new java.util.ArrayList<>(exists);
    existsQuery.add(1, "-tA");
    ExternalTool.run(existsQuery, env(), null, found);
    if (found.toString(java.nio.charset.StandardCharsets.UTF_8).isBlank()) {
      List<String> mk = new java.util.ArrayList<>(create);
      mk.set(mk.size() - 1, "CREATE DATABASE \"" + url.database() + "\"");
      ExternalTool.run(mk, env(), null, null);
    }
    List<String> cmd = new java.util.ArrayList<>(List.of("pg_restore", "--single-transaction", "--exit-on-error",
        "--no-owner", "--clean", "--if-exists"));
    cmd.addAll(connection());
    cmd.addAll(List.of("-d", url.database()));
    ExternalTool.run(cmd, env(), plaintext, null);
  }

  @Override
  public String toString() {
    return "PostgresDatabase[" + url + "]";
  }
}
