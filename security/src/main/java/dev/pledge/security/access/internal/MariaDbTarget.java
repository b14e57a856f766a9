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
 * {@link AccessTarget#mariadb}. A login is a user {@code 'login'@'%'} granted the database role and
 * given it as its default role; dropping it drops the user first (no new connection can
 * authenticate) and then kills every connection it still has. MariaDB has no password end date, so a
 * grant ends on the server when a sweep ({@code AccessBroker.expire}) runs. Thread-safe.
 */
public final class MariaDbTarget implements AccessTarget {
  private final DataSource admin;
  private final String name;
  private final String prefix;

  /** The target; see {@link AccessTarget#mariadb}. */
  public MariaDbTarget(DataSource admin, String name, String loginPrefix) {
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
      try (PreparedStatement p = c.prepareStatement("SELECT 1 FROM mysql.user WHERE User = ? AND is_role = 'Y'")) {
        p.setString(1, role);
        try (ResultSet rs = p.executeQuery()) {
          if (!rs.next()) {
            throw new PledgeException(name + ": database role '" + role + "' does not exist; create it with the rights"
                + " the policy's role needs (CREATE ROLE " + role + "; GRANT ... TO " + role + ")");
          }
        }
      }
      // DDL takes no parameters; the password's alphabet needs no quoting and the names are checked identifiers.
      s.execute("CREATE USER '" + login + "'@'%' IDENTIFIED BY '" + password.utf8() + "'");
      s.execute("GRANT " + role + " TO '" + login + "'@'%'");
      s.execute("SET DEFAULT ROLE " + role + " FOR '" + login + "'@'%'");
    } catch (SQLException e) {
      password.destroy();
      try {
        dropLogin(login);
      } catch (PledgeException ignored) {
        // the first failure is the one to report
      }
      throw new PledgeException(name + ": cannot create login " + login + ": " + PostgresTarget.clean(e), e);
    }
    return new TargetLogin(name, login, password, until);
  }

  @Override
  public boolean dropLogin(String login) {
    requireOurs(login);
    try (Connection c = admin.getConnection(); Statement s = c.createStatement()) {
      boolean existed;
      try (PreparedStatement p = c.prepareStatement("SELECT 1 FROM mysql.user WHERE User = ?")) {
        p.setString(1, login);
        try (ResultSet rs = p.executeQuery()) {
          existed = rs.next();
        }
      }
      s.execute("DROP USER IF EXISTS '" + login + "'@'%'");
      List<Long> ids = new ArrayList<>();
      try (PreparedStatement p = c.prepareStatement("SELECT ID FROM information_schema.PROCESSLIST WHERE USER = ?")) {
        p.setString(1, login);
        try (ResultSet rs = p.executeQuery()) {
          while (rs.next()) {
            ids.add(rs.getLong(1));
          }
        }
      }
      for (long id : ids) {
        try {
          s.execute("KILL CONNECTION " + id);
        } catch (SQLException gone) {
          // it ended on its own between the list and the kill
        }
      }
      return existed;
    } catch (SQLException e) {
      throw new PledgeException(name + ": cannot drop login " + login + ": " + PostgresTarget.clean(e), e);
    }
  }

  @Override
  public List<String> logins() {
    return names("SELECT DISTINCT User FROM mysql.user WHERE is_role = 'N' AND User LIKE ? ESCAPE '!' ORDER BY User",
        prefix.replace("!", "!!").replace("_", "!_").replace("%", "!%") + "%");
  }

  @Override
  public List<String> administrators() {
    return names("SELECT DISTINCT User FROM mysql.user WHERE is_role = 'N' AND Super_priv = 'Y' AND User LIKE ?"
        + " ORDER BY User", "%");
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
      throw new PledgeException(name + ": cannot list logins: " + PostgresTarget.clean(e), e);
    }
    return out;
  }

  private void requireOurs(String login) {
    Passwords.ident("login", login);
    if (!login.startsWith(prefix)) {
      throw new IllegalArgumentException(name + ": login '" + login + "' does not start with '" + prefix
          + "'; Pledge touches only the logins it made");
    }
  }

  @Override
  public String toString() {
    return "MariaDbTarget[" + name + "]";
  }
}
