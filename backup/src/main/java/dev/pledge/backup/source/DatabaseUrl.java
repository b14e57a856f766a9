package dev.pledge.backup.source;

import dev.pledge.core.internal.Redaction;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.regex.Pattern;

/**
 * A database location without a password: {@code postgresql://user@host:port/db} or {@code
 * mysql://user@host:port/db}. Passwords come from the environment ({@code PGPASSWORD},
 * {@code MYSQL_PWD}) or a {@link dev.pledge.core.Secret}, never from the URL, so no command line or
 * log line carries one. Immutable.
 *
 * @param scheme {@code postgresql} or {@code mysql}
 * @param user the user name
 * @param host the host
 * @param port the port
 * @param database the database name: letters, digits and {@code _}
 */
public record DatabaseUrl(String scheme, String user, String host, int port, String database) {
  private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}");

  /** Validates the URL's parts. */
  public DatabaseUrl {
    if (!"postgresql".equals(scheme) && !"mysql".equals(scheme)) {
      throw new IllegalArgumentException("database URL scheme must be postgresql or mysql, got '" + scheme + "'");
    }
    if (user == null || !NAME.matcher(user).matches()) {
      throw new IllegalArgumentException("database URL needs a user (letters, digits, _), got '" + user + "'");
    }
    if (host == null || host.isBlank()) {
      throw new IllegalArgumentException("database URL needs a host");
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("database port must be 1..65535, got " + port);
    }
    if (database == null || !NAME.matcher(database).matches()) {
      throw new IllegalArgumentException("database name must be letters, digits and _, got '" + database + "'");
    }
  }

  /**
   * Parses {@code postgresql://user@host:port/db} or {@code mysql://user@host:port/db}; a URL with a
   * password or with parameters is refused. No message echoes a password, however malformed the URL.
   */
  public static DatabaseUrl parse(String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("database URL is empty; give postgresql://user@host:port/db or"
          + " mysql://user@host:port/db");
    }
    int scheme = text.indexOf("://");
    int lastAt = text.lastIndexOf('@');
    if (scheme >= 0 && lastAt > scheme && text.substring(scheme + 3, lastAt).contains(":")) {
      // refused before parsing, so that no parser's message can carry it
      throw new IllegalArgumentException("database URL must not hold a password; set PGPASSWORD or MYSQL_PWD instead");
    }
    URI uri;
    try {
      uri = new URI(text);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("'" + Redaction.location(text) + "' is not a database URL ("
          + e.getReason() + "); give postgresql://user@host:port/db or mysql://user@host:port/db");
    }
    if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
      throw new IllegalArgumentException("database URL '" + Redaction.location(text) + "' must not hold parameters;"
          + " give postgresql://user@host:port/db (passwords through PGPASSWORD or MYSQL_PWD)");
    }
    String userInfo = uri.getUserInfo();
    int defaultPort = "mysql".equals(uri.getScheme()) ? 3306 : 5432;
    String path = uri.getPath() == null ? "" : uri.getPath().replaceFirst("^/", "");
    return new DatabaseUrl(uri.getScheme(), userInfo, uri.getHost(), uri.getPort() < 0 ? defaultPort : uri.getPort(), path);
  }

  @Override
  public String toString() {
    return scheme + "://" + user + "@" + host + ":" + port + "/" + database;
  }
}
