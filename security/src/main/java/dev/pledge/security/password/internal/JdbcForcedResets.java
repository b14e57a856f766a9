package dev.pledge.security.password.internal;

import dev.pledge.core.PledgeException;
import dev.pledge.security.password.ForcedResets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.Collection;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * {@link ForcedResets#jdbc}: one row per account (and one for "every account") holding the latest
 * forced reset; a later reset replaces an earlier one by a conditional {@code UPDATE}, never the
 * other way round. Portable between PostgreSQL, MariaDB and H2. Thread-safe.
 */
public final class JdbcForcedResets implements ForcedResets {
  private static final Pattern TABLE = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}");
  /** The scope of a reset that applies to every account; accounts are never blank. */
  private static final String ALL = " ";
  private final DataSource ds;
  private final String table;

  private JdbcForcedResets(DataSource ds, String table) {
    this.ds = ds;
    this.table = table;
  }

  /** The record in {@code table}, created when missing. */
  public static JdbcForcedResets create(DataSource ds, String table) {
    Objects.requireNonNull(ds, "dataSource");
    if (table == null || !TABLE.matcher(table).matches()) {
      throw new IllegalArgumentException("table must be a plain SQL identifier, got '" + table + "'");
    }
    try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE IF NOT EXISTS " + table
          + " (scope VARCHAR(200) NOT NULL PRIMARY KEY, at_ms BIGINT NOT NULL)");
    } catch (SQLException e) {
      throw new PledgeException("cannot create the forced-reset table " + table + ": " + e.getMessage(), e);
    }
    return new JdbcForcedResets(ds, table);
  }

  @Override
  public void forceAll(Instant at) {
    raise(ALL, Objects.requireNonNull(at, "at"));
  }

  @Override
  public void force(Collection<String> accounts, Instant at) {
    Objects.requireNonNull(at, "at");
    for (String a : Objects.requireNonNull(accounts, "accounts")) {
      if (a == null || a.isBlank()) {
        throw new IllegalArgumentException("an account must not be blank");
      }
      raise(a, at);
    }
  }

  private void raise(String scope, Instant at) {
    try (Connection c = ds.getConnection()) {
      for (int attempt = 0; attempt < 2; attempt++) {
        try (PreparedStatement u = c.prepareStatement("UPDATE " + table + " SET at_ms = ? WHERE scope = ? AND at_ms < ?")) {
          u.setLong(1, at.toEpochMilli());
          u.setString(2, scope);
          u.setLong(3, at.toEpochMilli());
          if (u.executeUpdate() == 1) {
            return;
          }
        }
        try (PreparedStatement q = c.prepareStatement("SELECT 1 FROM " + table + " WHERE scope = ?")) {
          q.setString(1, scope);
          try (ResultSet rs = q.executeQuery()) {
            if (rs.next()) {
              return; // a reset at least as late is already recorded
            }
          }
        }
        try (PreparedStatement i = c.prepareStatement("INSERT INTO " + table + " (scope, at_ms) VALUES (?, ?)")) {
          i.setString(1, scope);
          i.setLong(2, at.toEpochMilli());
          i.executeUpdate();
          return;
        } catch (SQLException raced) {
          if (raced.getSQLState() == null || !raced.getSQLState().startsWith("23")) {
            throw raced;
          }
          // another node inserted it first: take the conditional update again
        }
      }
    } catch (SQLException e) {
      throw new PledgeException("cannot record a forced password reset in " + table + ": " + e.getMessage(), e);
    }
  }

  @Override
  public Optional<Instant> latestFor(String account) {
    try (Connection c = ds.getConnection(); PreparedStatement p = c.prepareStatement(
        "SELECT MAX(at_ms) FROM " + table + " WHERE scope = ? OR scope = ?")) {
      p.setString(1, ALL);
      p.setString(2, account);
      try (ResultSet rs = p.executeQuery()) {
        rs.next();
        long v = rs.getLong(1);
        return rs.wasNull() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(v));
      }
    } catch (SQLException e) {
      throw new PledgeException("cannot read forced password resets from " + table + ": " + e.getMessage(), e);
    }
  }
}
