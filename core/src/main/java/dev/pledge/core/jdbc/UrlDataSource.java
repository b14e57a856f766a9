package dev.pledge.core.jdbc;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Objects;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * A {@link DataSource} that opens a new connection from a JDBC URL on every call, through the
 * drivers on the class path; made by {@link DataSources}.
 * The URL may carry a user; its {@code toString()} drops any query string, where a password could
 * be. Thread-safe.
 */
final class UrlDataSource implements DataSource {
  private final String url;
  private final java.util.Properties properties = new java.util.Properties();

  private UrlDataSource(String url) {
    this.url = url;
  }

  /**
   * A data source for {@code jdbcUrl} as {@code user}, with {@code password} when it is not null
   * (the password is kept in memory only, never in the URL or {@code toString()}).
   */
  static UrlDataSource of(String jdbcUrl, String user, dev.pledge.core.Secret password) {
    UrlDataSource ds = of(jdbcUrl);
    ds.properties.setProperty("user", Objects.requireNonNull(user, "user"));
    if (password != null) {
      ds.properties.setProperty("password", password.utf8());
    }
    return ds;
  }

  /** A data source for {@code jdbcUrl}, such as {@code jdbc:postgresql://127.0.0.1:5432/app?user=pledge}. */
  static UrlDataSource of(String jdbcUrl) {
    Objects.requireNonNull(jdbcUrl, "jdbcUrl");
    if (!jdbcUrl.startsWith("jdbc:")) {
      throw new IllegalArgumentException("a JDBC URL starts with jdbc:, got '" + redact(jdbcUrl) + "'");
    }
    return new UrlDataSource(jdbcUrl);
  }

  @Override
  public Connection getConnection() throws SQLException {
    return properties.isEmpty() ? DriverManager.getConnection(url) : DriverManager.getConnection(url, properties);
  }

  @Override
  public Connection getConnection(String username, String password) throws SQLException {
    return DriverManager.getConnection(url, username, password);
  }

  @Override
  public PrintWriter getLogWriter() {
    return null;
  }

  @Override
  public void setLogWriter(PrintWriter out) {
    // nothing is logged
  }

  @Override
  public void setLoginTimeout(int seconds) {
    DriverManager.setLoginTimeout(seconds);
  }

  @Override
  public int getLoginTimeout() {
    return DriverManager.getLoginTimeout();
  }

  @Override
  public Logger getParentLogger() throws SQLFeatureNotSupportedException {
    throw new SQLFeatureNotSupportedException();
  }

  @Override
  public <T> T unwrap(Class<T> iface) throws SQLException {
    if (iface.isInstance(this)) {
      return iface.cast(this);
    }
    throw new SQLException("not a wrapper for " + iface.getName());
  }

  @Override
  public boolean isWrapperFor(Class<?> iface) {
    return iface.isInstance(this);
  }

  /** The URL without its query string. */
  public static String redact(String url) {
    int q = url.indexOf('?');
    return q < 0 ? url : url.substring(0, q) + "?...";
  }

  @Override
  public String toString() {
    return redact(url);
  }
}
