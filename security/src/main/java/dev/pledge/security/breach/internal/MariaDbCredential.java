package dev.pledge.security.breach.internal;

import dev.pledge.core.PledgeException;
import dev.pledge.core.Secret;
import dev.pledge.security.breach.DatastoreCredential;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Objects;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/** {@link DatastoreCredential#mariadb}. Thread-safe. */
public final class MariaDbCredential implements DatastoreCredential {
  private static final Pattern HOST = Pattern.compile("[A-Za-z0-9.%_:-]{1,255}");
  private final String name;
  private final DataSource admin;
  private final String login;
  private final String host;

  /** The credential; see {@link DatastoreCredential#mariadb}. */
  public MariaDbCredential(String name, DataSource admin, String login, String host) {
    this.name = Objects.requireNonNull(name, "name");
    this.admin = Objects.requireNonNull(admin, "admin");
    this.login = Secrets.ident("login", login);
    if (host == null || !HOST.matcher(host).matches()) {
      throw new IllegalArgumentException("host must be a host name, address or pattern such as %, got '" + host + "'");
    }
    this.host = host;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public void setPassword(Secret password) {
    String pw = Secrets.requireQuotable(password);
    try (Connection c = admin.getConnection(); Statement s = c.createStatement()) {
      try (PreparedStatement p = c.prepareStatement("SELECT 1 FROM mysql.user WHERE User = ? AND Host = ?")) {
        p.setString(1, login);
        p.setString(2, host);
        try (ResultSet rs = p.executeQuery()) {
          if (!rs.next()) {
            throw new PledgeException(name + ": user '" + login + "'@'" + host + "' does not exist");
          }
        }
      }
      s.execute("ALTER USER '" + login + "'@'" + host + "' IDENTIFIED BY '" + pw + "'");
    } catch (SQLException e) {
      throw new PledgeException(name + ": cannot change the password of '" + login + "': " + Secrets.clean(e), e);
    }
  }

  @Override
  public String rehearse() {
    String probe = "pledge_probe_" + Secrets.token();
    Secret pw = Secrets.random();
    try (Connection c = admin.getConnection(); Statement s = c.createStatement()) {
      s.execute("CREATE USER '" + probe + "'@'" + host + "' IDENTIFIED BY '" + pw.utf8() + "'");
      s.execute("ALTER USER '" + probe + "'@'" + host + "' IDENTIFIED BY '" + Secrets.random().utf8() + "'");
      s.execute("DROP USER '" + probe + "'@'" + host + "'");
      return probe;
    } catch (SQLException e) {
      throw new PledgeException(name + ": the rehearsal with probe user " + probe + " failed: " + Secrets.clean(e), e);
    } finally {
      pw.destroy();
    }
  }

  @Override
  public String toString() {
    return "MariaDbCredential[" + name + ", " + login + "@" + host + "]";
  }
}
