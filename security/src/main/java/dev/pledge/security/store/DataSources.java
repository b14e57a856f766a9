package dev.pledge.security.store;

import dev.pledge.core.Secret;
import javax.sql.DataSource;

/**
 * Data sources from a JDBC URL, for the JDBC stores and targets of pledge-security ({@code
 * AccessStore.jdbc}, {@code BreachJournal.jdbc}, {@code ApiKeyStore.jdbc}, {@code
 * AccessTarget.postgres}...) when the host has no connection pool to pass: command-line tools,
 * scripts, examples and tests. Each {@link DataSource#getConnection()} opens a new connection through
 * the JDBC drivers on the class path ({@code java.sql.DriverManager}); a long-running application
 * should pass its pool (HikariCP, its framework's) instead. The data sources are thread-safe, and
 * their {@code toString()} never shows a password or the URL's query string. The same as
 * {@link dev.pledge.core.jdbc.DataSources}, kept here for the code written against this class.
 */
public final class DataSources {
  private DataSources() {}

  /**
   * A data source for {@code jdbcUrl}, such as {@code jdbc:postgresql://127.0.0.1:5432/app?user=pledge}.
   *
   * @throws IllegalArgumentException when the URL does not start with {@code jdbc:}
   */
  public static DataSource fromUrl(String jdbcUrl) {
    return dev.pledge.core.jdbc.DataSources.fromUrl(jdbcUrl);
  }

  /**
   * A data source for {@code jdbcUrl} as {@code user}, with {@code password} when it is not null; the
   * password is kept in memory only, never in the URL or {@code toString()}.
   *
   * @throws IllegalArgumentException when the URL does not start with {@code jdbc:}
   */
  public static DataSource fromUrl(String jdbcUrl, String user, Secret password) {
    return dev.pledge.core.jdbc.DataSources.fromUrl(jdbcUrl, user, password);
  }

  /** {@code jdbcUrl} without its query string, where a password could be: for messages and logs. */
  public static String redact(String jdbcUrl) {
    return dev.pledge.core.jdbc.DataSources.redact(jdbcUrl);
  }
}
