package dev.pledge.core.jdbc;

import dev.pledge.core.Secret;
import javax.sql.DataSource;

/**
 * Data sources from a JDBC URL, for every JDBC store of Pledge (the audit trail, the SLA history,
 * the access store, the breach journal, API keys, replay guards...) when the host has no connection
 * pool to pass: command-line tools,
 * scripts, examples and tests. Each {@link DataSource#getConnection()} opens a new connection through
 * the JDBC drivers on the class path ({@code java.sql.DriverManager}); a long-running application
 * should pass its pool (HikariCP, its framework's) instead. The data sources are thread-safe, and
 * their {@code toString()} never shows a password or the URL's query string.
 */
public final class DataSources {
  private DataSources() {}

  /**
   * A data source for {@code jdbcUrl}, such as {@code jdbc:postgresql://127.0.0.1:5432/app?user=pledge}.
   *
   * @throws IllegalArgumentException when the URL does not start with {@code jdbc:}
   */
  public static DataSource fromUrl(String jdbcUrl) {
    return UrlDataSource.of(jdbcUrl);
  }

  /**
   * A data source for {@code jdbcUrl} as {@code user}, with {@code password} when it is not null; the
   * password is kept in memory only, never in the URL or {@code toString()}.
   *
   * @throws IllegalArgumentException when the URL does not start with {@code jdbc:}
   */
  public static DataSource fromUrl(String jdbcUrl, String user, Secret password) {
    return UrlDataSource.of(jdbcUrl, user, password);
  }

  /** {@code jdbcUrl} without its query string, where a password could be: for messages and logs. */
  public static String redact(String jdbcUrl) {
    return UrlDataSource.redact(jdbcUrl);
  }
}
