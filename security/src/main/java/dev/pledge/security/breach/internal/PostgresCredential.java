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
import javax.sql.DataSource;

/** {@link DatastoreCredential#postgres}. Thread-safe. */
public final class PostgresCredential implements DatastoreCredential {
  private final String name;
  private final DataSource admin;
  private final String login;

  /** The credential; see {@link DatastoreCredential#postgres}. */
  public PostgresCredential(String name, DataSource admin, String login) {
    this.name = Objects.requireNonNull(name, "name");
    this.admin = Objects.requireNonNull(admin, "admin");
    this.login = Secrets.ident("login", login);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public void setPassword(Secret password) {
    String pw = Secrets.requireQuotable(password);
    try (Connection c = admin.getConnection(); Statement s = c.createStatement()) {
      try (PreparedStatement p = c.prepareStatement("SELECT 1 FROM pg_roles WHERE rolname = ?")) {
        p.setString(1, login);
        try (ResultSet rs = p.executeQuery()) {
          if (!rs.next()) {
            throw new PledgeException(name + ": role '" + login + "' does not exist");
          }
        }
      }
      s.execute("ALTER ROLE \"" + login + "\" PASSWORD '" + pw + "'");
    } catch (SQLException e) {
      throw new PledgeException(name + ": cannot change the password of '" + login + "': " + Secrets.clean(e), e);
    }
  }

  @Override
  public String rehearse() {
    String probe = "pledge_probe_" + Secrets.token();
    Secret pw = Secrets.random();
    try (Connection c = admin.getConnection(); Statement s = c.createStatement()) {
      s.execute("CREATE ROLE \"" + probe + "\" LOGIN PASSWORD '" + pw.utf8() + "'");
      s.execute("ALTER ROLE \"" + probe + "\" PASSWORD '" + Secrets.random().utf8() + "'");
      s.execute("DROP ROLE \"" + probe + "\"");
      return probe;
    } catch (SQLException e) {
      throw new PledgeException(name + ": the rehearsal with probe role " + probe + " failed: " + Secrets.clean(e), e);
    } finally {
      pw.destroy();
    }
  }

  @Override
  public String toString() {
    return "PostgresCredential[" + name + ", " + login + "]";
  }
}
