package dev.pledge.security.access.internal;

import dev.pledge.core.PledgeException;
import dev.pledge.core.Secret;
import dev.pledge.security.access.AccessTarget;
import dev.pledge.security.access.TargetLogin;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * {@link AccessTarget#postgres}. A login is {@code CREATE ROLE ... LOGIN PASSWORD ... VALID UNTIL
 * ... IN ROLE ...}, so the server itself refuses the password after the grant's end even when no
 * sweeper runs; dropping a login first forbids new logins, then terminates its sessions, hands what
 * it owns to the admin role and drops it. Thread-safe.
 */
public final class PostgresTarget implements AccessTarget {
  private final DataSource admin;
  private final String name;
  private final String prefix;

  /** The target; see {@link AccessTarget#postgres}. */
  public PostgresTarget(DataSource admin, String name, String loginPrefix) {
    this.admin = Objects.requireNonNull(admin, "admin");
    this.name = Objects.requireNonNull(name, "name");
    this.prefix = Passwords.ident("login prefix", loginPrefix);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String loginPrefix() {
    return prefix;
  }

  @Override
  public TargetLogin createLogin(String login, String databaseRole, Instant until) {
    requireOurs(login);
    String role = Passwords.ident("database role", databaseRole);
    Secret password = Passwords.random();
    try (Connection c = admin.getConnection(); Statement s = c.createStatement()) {
      if (!exists(c, "SELECT 1 FROM pg_roles WHERE rolname = ?", role)) {
        throw new PledgeException(name + ": database role '" + role + "' does not exist; create it with the rights "
            + "the policy's role needs (CREATE ROLE " + role + " NOLOGIN; GRANT ... TO " + role + ")");
      }
      // DDL takes no parameters; the password's alphabet needs no quoting and the names are checked identifiers.
      s.execute("CREATE ROLE \"" + login + "\" LOGIN PASSWORD '" + password.utf8() + "' VALID UNTIL '"
          + until + "' IN ROLE \"" + role + "\"");
    } catch (SQLException e) {
      password.destroy();
      throw new PledgeException(name + ": cannot create login " + login + ": " + clean(e), e);
    }
    return new TargetLogin(name, login, password, until);
  }

  @Override
  public boolean dropLogin(String login) {
    requireOurs(login);
    try (Connection c = admin.getConnection(); Statement s = c.createStatement()) {
      if (!exists(c, "SELECT 1 FROM pg_roles WHERE rolname = ?", login)) {
        terminate(c, login);
        return false;
      }
      s.execute("ALTER ROLE \"" + login + "\" NOLOGIN");
      terminate(c, login);
      // What the login created belongs to the admin from now on; its privileges go with it.
      s.execute("REASSIGN OWNED BY \"" + login + "\" TO CURRENT_USER");
      s.execute("DROP OWNED BY \"" + login + "\"");
      s.execute("DROP ROLE IF EXISTS \"" + login + "\"");
      return true;
    } catch (SQLException e) {
      throw new PledgeException(name + ": cannot drop login " + login + ": " + clean(e), e);
    }
  }

  private static void terminate(Connection c, String login) throws SQLException {
    try (PreparedStatement p = c.prepareStatement(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = ? AND pid <> pg_backend_pid()")) {
      p.setString(1, login);
      p.executeQuery().close();
    }
  }

  @Override
  public List<String> logins() {
    return names("SELECT rolname FROM pg_roles WHERE rolname LIKE ? ESCAPE '!' ORDER BY rolname",
        prefix.replace("!", "!!").replace("_", "!_").replace("%", "!%") + "%");
  }

  @Override
  public List<String> administrators() {
    return names("SELECT rolname FROM pg_roles WHERE rolsuper AND rolcanlogin AND rolname LIKE ? ORDER BY rolname", "%");
  }

  private List<String> names(String sql, String arg) {
    List<String> out = new ArrayList<>();
    try (Connection c = admin.getConnection(); PreparedStatement p = c.prepareStatement(sql)) {
      p.setString(1, arg);
      try (ResultSet rs = p.executeQuery()) {
        while (rs.next()) {
          out.add(rs.getString(1));
        }
      }
    } catch (SQLException e) {
      throw new PledgeException(name + ": cannot list logins: " + clean(e), e);
    }
    return out;
  }

  private static boolean exists(Connection c, String sql, String arg) throws SQLException {
    try (PreparedStatement p = c.prepareStatement(sql)) {
      p.setString(1, arg);
      try (ResultSet rs = p.executeQuery()) {
        return rs.next();
      }
    }
  }

  private void requireOurs(String login) {
    Passwords.ident("login", login);
    if (!login.startsWith(prefix)) {
      throw new IllegalArgumentException(name + ": login '" + login + "' does not start with '" + prefix
          + "'; Pledge touches only the logins it made");
    }
  }

  /** The server's message, with any statement text (which could hold a password) cut off. */
  static String clean(SQLException e) {
    String m = String.valueOf(e.getMessage());
    for (String marker : new String[] {"PASSWORD", "IDENTIFIED"}) {
      int cut = m.indexOf(marker);
      if (cut >= 0) {
        m = m.substring(0, cut) + "...";
      }
    }
    return m;
  }

  @Override
  public String toString() {
    return "PostgresTarget[" + name + "]";
  }
}
