package dev.pledge.security.totp;

import dev.pledge.security.store.StoreUnavailableException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * Recovery codes shared by every node through PostgreSQL, MariaDB or H2 (P26): one row per unused
 * code hash in {@code <prefix>_recovery_codes}. Redeeming removes the row with
 * {@code DELETE ... WHERE account = ? AND hash = ?}; the database lets exactly one of two concurrent
 * deletes of one row count it, so a code is accepted once across nodes. Uses only {@code java.sql}.
 * Database errors throw {@link StoreUnavailableException}. Thread-safe when the data source is.
 */
public final class JdbcRecoveryCodeStore implements RecoveryCodeStore {
  private static final Pattern PREFIX = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,40}");
  private final DataSource dataSource;
  private final String table;

  private JdbcRecoveryCodeStore(DataSource dataSource, String table) {
    this.dataSource = dataSource;
    this.table = table;
  }

  /**
   * A store on {@code dataSource} with its table named {@code <prefix>_recovery_codes}, created if absent.
   *
   * @throws StoreUnavailableException when the database cannot be reached
   */
  public static JdbcRecoveryCodeStore create(DataSource dataSource, String prefix) {
    Objects.requireNonNull(dataSource, "dataSource");
    if (prefix == null || !PREFIX.matcher(prefix).matches()) {
      throw new IllegalArgumentException("table prefix must be a plain SQL identifier of at most 41 characters, got '"
          + prefix + "'");
    }
    String table = prefix + "_recovery_codes";
    try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
      st.execute("CREATE TABLE IF NOT EXISTS " + table
          + " (account VARCHAR(255) NOT NULL, hash VARCHAR(255) NOT NULL, PRIMARY KEY (account, hash))");
    } catch (SQLException e) {
      throw failure(table, e);
    }
    return new JdbcRecoveryCodeStore(dataSource, table);
  }

  @Override
  public void replace(String account, RecoveryCodes codes) {
    Objects.requireNonNull(account, "account");
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try (PreparedStatement del = c.prepareStatement("DELETE FROM " + table + " WHERE account = ?");
           PreparedStatement ins = c.prepareStatement("INSERT INTO " + table + " (account, hash) VALUES (?, ?)")) {
        del.setString(1, account);
        del.executeUpdate();
        for (String h : codes.hashes()) {
          ins.setString(1, account);
          ins.setString(2, h);
          ins.addBatch();
        }
        ins.executeBatch();
        c.commit();
      } catch (SQLException e) {
        c.rollback();
        throw e;
      }
    } catch (SQLException e) {
      throw failure(table, e);
    }
  }

  @Override
  public RecoveryCodes load(String account) {
    try (Connection c = dataSource.getConnection();
         PreparedStatement p = c.prepareStatement("SELECT hash FROM " + table + " WHERE account = ? ORDER BY hash")) {
      p.setString(1, Objects.requireNonNull(account, "account"));
      List<String> hashes = new ArrayList<>();
      try (ResultSet rs = p.executeQuery()) {
        while (rs.next()) {
          hashes.add(rs.getString(1));
        }
      }
      return new RecoveryCodes(hashes);
    } catch (SQLException e) {
      throw failure(table, e);
    }
  }

  @Override
  public boolean consume(String account, String hash) {
    try (Connection c = dataSource.getConnection();
         PreparedStatement p = c.prepareStatement("DELETE FROM " + table + " WHERE account = ? AND hash = ?")) {
      c.setAutoCommit(true);
      p.setString(1, Objects.requireNonNull(account, "account"));
      p.setString(2, Objects.requireNonNull(hash, "hash"));
      return p.executeUpdate() == 1;
    } catch (SQLException e) {
      throw failure(table, e);
    }
  }

  private static StoreUnavailableException failure(String table, SQLException e) {
    return new StoreUnavailableException("recovery codes: " + table + " unavailable (" + e.getClass().getSimpleName()
        + ": " + e.getSQLState() + ")", e);
  }

  @Override
  public String toString() {
    return "JdbcRecoveryCodeStore[" + table + "]";
  }
}
