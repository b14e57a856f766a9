package dev.pledge.security.totp;

import dev.pledge.security.store.StoreUnavailableException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * TOTP replay protection shared by every node through a database (P26): PostgreSQL, MariaDB or H2,
 * one row per account holding its last used time step. Accepting a code is one conditional statement
 * that records the step only if it is later than the stored one, so two nodes offered the same code
 * at the same moment accept it once: PostgreSQL {@code INSERT ... ON CONFLICT DO UPDATE ... WHERE},
 * H2 {@code MERGE ... WHEN MATCHED AND}. On MariaDB, whose update count depends on a connection flag,
 * a conditional {@code UPDATE} and, when it changed nothing, an {@code INSERT} that fails on a
 * duplicate: each atomic, neither can accept a step twice.
 *
 * <p>The table ({@code <prefix>_totp_used}) is created when the guard is built. Uses only
 * {@code java.sql}; the driver comes from the application. A database error throws
 * {@link StoreUnavailableException} (never accepting the code). Thread-safe when the data source is.
 */
public final class JdbcReplayGuard implements ReplayGuard {
  private static final Pattern PREFIX = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,40}");

  private enum Dialect { POSTGRESQL, MARIADB, H2 }

  private final DataSource dataSource;
  private final String table;
  private final Dialect dialect;

  private JdbcReplayGuard(DataSource dataSource, String table, Dialect dialect) {
    this.dataSource = dataSource;
    this.table = table;
    this.dialect = dialect;
  }

  /**
   * A guard on {@code dataSource} with tables named {@code <prefix>_...}; creates the table if absent.
   *
   * @throws IllegalArgumentException when the prefix is not a plain SQL identifier or the database is not PostgreSQL, MariaDB or H2
   * @throws StoreUnavailableException when the database cannot be reached
   */
  public static JdbcReplayGuard create(DataSource dataSource, String prefix) {
    Objects.requireNonNull(dataSource, "dataSource");
    if (prefix == null || !PREFIX.matcher(prefix).matches()) {
      throw new IllegalArgumentException("table prefix must be a plain SQL identifier of at most 41 characters, got '"
          + prefix + "'");
    }
    String table = prefix + "_totp_used";
    try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
      Dialect d = dialect(c.getMetaData().getDatabaseProductName());
      st.execute("CREATE TABLE IF NOT EXISTS " + table
          + " (account VARCHAR(255) NOT NULL PRIMARY KEY, step BIGINT NOT NULL)");
      return new JdbcReplayGuard(dataSource, table, d);
    } catch (SQLException e) {
      throw new StoreUnavailableException("TOTP replay guard: cannot prepare table " + table + " ("
          + e.getClass().getSimpleName() + ": " + e.getSQLState() + ")", e);
    }
  }

  private static Dialect dialect(String product) {
    String p = product.toLowerCase(Locale.ROOT);
    if (p.contains("postgres")) {
      return Dialect.POSTGRESQL;
    }
    if (p.contains("mariadb") || p.contains("mysql")) {
      return Dialect.MARIADB;
    }
    if (p.equals("h2")) {
      return Dialect.H2;
    }
    throw new IllegalArgumentException("the TOTP replay guard supports PostgreSQL, MariaDB and H2, not " + product);
  }

  @Override
  public boolean tryUse(String account, long timeStep) {
    Objects.requireNonNull(account, "account");
    if (account.length() > 255) {
      throw new IllegalArgumentException("account must be at most 255 characters, got " + account.length());
    }
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(true);
      switch (dialect) {
        case POSTGRESQL:
          return update(c, "INSERT INTO " + table + " (account, step) VALUES (?, ?) ON CONFLICT (account) "
              + "DO UPDATE SET step = EXCLUDED.step WHERE " + table + ".step < EXCLUDED.step", account, timeStep) == 1;
        case H2:
          String merge = "MERGE INTO " + table + " t USING (VALUES (CAST(? AS VARCHAR(255)), CAST(? AS BIGINT))) "
              + "s(account, step) ON t.account = s.account WHEN MATCHED AND t.step < s.step THEN UPDATE SET step = s.step "
              + "WHEN NOT MATCHED THEN INSERT (account, step) VALUES (s.account, s.step)";
          try {
            return update(c, merge, account, timeStep) == 1;
          } catch (SQLException e) {
            if (!isDuplicate(e)) {
              throw e;
            }
            // H2's MERGE decides NOT MATCHED before it locks: a concurrent first use of the account won the
            // insert. The row exists now, so the same statement decides on it under its row lock.
            return update(c, merge, account, timeStep) == 1;
          }
        default:
          if (update(c, "UPDATE " + table + " SET step = ? WHERE account = ? AND step < ?", timeStep, account,
              timeStep) == 1) {
            return true;
          }
          try {
            return update(c, "INSERT INTO " + table + " (account, step) VALUES (?, ?)", account, timeStep) == 1;
          } catch (SQLException e) {
            if (isDuplicate(e)) {
              return false; // the account has a step at or after this one
            }
            throw e;
          }
      }
    } catch (SQLException e) {
      throw new StoreUnavailableException("TOTP replay guard: " + table + " unavailable ("
          + e.getClass().getSimpleName() + ": " + e.getSQLState() + ")", e);
    }
  }

  private static int update(Connection c, String sql, Object... args) throws SQLException {
    try (PreparedStatement p = c.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        p.setObject(i + 1, args[i]);
      }
      return p.executeUpdate();
    }
  }

  static boolean isDuplicate(SQLException e) {
    return "23505".equals(e.getSQLState()) || "23000".equals(e.getSQLState()) || e.getErrorCode() == 1062;
  }

  @Override
  public String toString() {
    return "JdbcReplayGuard[" + table + ", " + dialect + "]";
  }
}
