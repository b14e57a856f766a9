package dev.pledge.security.apikey.internal;

import dev.pledge.core.PledgeException;
import dev.pledge.security.apikey.ApiKey;
import dev.pledge.security.apikey.ApiKeyStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * {@link ApiKeyStore#jdbc}: one table, portable between PostgreSQL, MariaDB and H2; revocation is one
 * conditional {@code UPDATE}. Thread-safe: each call borrows its own connection.
 */
public final class JdbcApiKeyStore implements ApiKeyStore {
  private static final Pattern TABLE = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}");
  private final DataSource ds;
  private final String table;

  private JdbcApiKeyStore(DataSource ds, String table) {
    this.ds = ds;
    this.table = table;
  }

  /** The store in {@code table}, created when missing. */
  public static JdbcApiKeyStore create(DataSource ds, String table) {
    Objects.requireNonNull(ds, "dataSource");
    if (table == null || !TABLE.matcher(table).matches()) {
      throw new IllegalArgumentException("table must be a plain SQL identifier, got '" + table + "'");
    }
    JdbcApiKeyStore s = new JdbcApiKeyStore(ds, table);
    try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
      st.execute("CREATE TABLE IF NOT EXISTS " + table + " (id VARCHAR(12) NOT NULL PRIMARY KEY, owner VARCHAR(200) NOT NULL,"
          + " label VARCHAR(200) NOT NULL, hash VARCHAR(64) NOT NULL, created_ms BIGINT NOT NULL, revoked_ms BIGINT,"
          + " revoked_reason VARCHAR(500))");
    } catch (SQLException e) {
      throw new PledgeException("cannot create the API key table " + table + ": " + e.getMessage(), e);
    }
    return s;
  }

  @Override
  public void insert(ApiKey k) {
    try (Connection c = ds.getConnection(); PreparedStatement p = c.prepareStatement("INSERT INTO " + table
        + " (id, owner, label, hash, created_ms, revoked_ms, revoked_reason) VALUES (?, ?, ?, ?, ?, NULL, NULL)")) {
      p.setString(1, k.id());
      p.setString(2, k.owner());
      p.setString(3, k.label());
      p.setString(4, k.hash());
      p.setLong(5, k.createdAt().toEpochMilli());
      p.executeUpdate();
    } catch (SQLException e) {
      throw new PledgeException("cannot store API key " + k.id() + ": " + e.getMessage(), e);
    }
  }

  @Override
  public Optional<ApiKey> find(String id) {
    return query(" WHERE id = ?", id).stream().findFirst();
  }

  @Override
  public List<ApiKey> all() {
    return query(" ORDER BY created_ms, id");
  }

  private List<ApiKey> query(String where, String... args) {
    List<ApiKey> out = new ArrayList<>();
    try (Connection c = ds.getConnection(); PreparedStatement p = c.prepareStatement(
        "SELECT id, owner, label, hash, created_ms, revoked_ms, revoked_reason FROM " + table + where)) {
      for (int i = 0; i < args.length; i++) {
        p.setString(i + 1, args[i]);
      }
      try (ResultSet rs = p.executeQuery()) {
        while (rs.next()) {
          long revoked = rs.getLong(6);
          Instant r = rs.wasNull() ? null : Instant.ofEpochMilli(revoked);
          out.add(new ApiKey(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
              Instant.ofEpochMilli(rs.getLong(5)), r, rs.getString(7)));
        }
      }
    } catch (SQLException e) {
      throw new PledgeException("cannot read API keys from " + table + ": " + e.getMessage(), e);
    }
    return out;
  }

  @Override
  public boolean revoke(String id, Instant at, String reason) {
    try (Connection c = ds.getConnection(); PreparedStatement p = c.prepareStatement("UPDATE " + table
        + " SET revoked_ms = ?, revoked_reason = ? WHERE id = ? AND revoked_ms IS NULL")) {
      p.setLong(1, at.toEpochMilli());
      p.setString(2, reason);
      p.setString(3, id);
      return p.executeUpdate() == 1;
    } catch (SQLException e) {
      throw new PledgeException("cannot revoke API key " + id + ": " + e.getMessage(), e);
    }
  }
}
