package dev.pledge.core.audit;

import dev.pledge.core.PledgeException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.sql.DataSource;

/**
 * {@link CheckpointPublisher#toTable}: checkpoints copied into a table, best in another database than
 * the trail's. Reads are small (one row per checkpoint) and are read whole. Thread-safe.
 */
final class JdbcCheckpointPublisher implements CheckpointPublisher {
  private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]{0,60}");
  private final DataSource ds;
  private final String table;
  private volatile boolean created;

  JdbcCheckpointPublisher(DataSource ds, String table) {
    this.ds = Objects.requireNonNull(ds, "dataSource");
    if (table == null || !NAME.matcher(table).matches()) {
      throw new IllegalArgumentException("checkpoint table must be lower-case letters, digits and underscores,"
          + " got '" + table + "'");
    }
    this.table = table;
  }

  private void create(Connection c) throws SQLException {
    if (!created) {
      try (Statement st = c.createStatement()) {
        st.execute("CREATE TABLE IF NOT EXISTS " + table + " (seq BIGINT NOT NULL PRIMARY KEY,"
            + " hash CHAR(64) NOT NULL, previous BIGINT NOT NULL, at_us BIGINT NOT NULL, algorithm VARCHAR(32) NOT NULL,"
            + " key_id VARCHAR(64) NOT NULL, signature VARCHAR(200) NOT NULL)");
      }
      created = true;
    }
  }

  @Override
  public void publish(AuditCheckpoint cp) {
    try (Connection c = ds.getConnection()) {
      c.setAutoCommit(true);
      create(c);
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + table
          + " (seq, hash, previous, at_us, algorithm, key_id, signature) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
        ps.setLong(1, cp.seq());
        ps.setString(2, cp.hash());
        ps.setLong(3, cp.previous());
        ps.setLong(4, JdbcAuditStore.micros(cp.at()));
        ps.setString(5, cp.algorithm());
        ps.setString(6, cp.keyId());
        ps.setString(7, cp.signature());
        ps.executeUpdate();
      } catch (SQLException e) {
        if (!alreadyThere(c, cp)) {
          throw e;
        }
      }
    } catch (SQLException e) {
      throw new PledgeException("cannot publish audit checkpoint to table " + table + ": " + e.getMessage(), e);
    }
  }

  /** Whether this very checkpoint is already published (a retry after a lost acknowledgement). */
  private boolean alreadyThere(Connection c, AuditCheckpoint cp) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT signature FROM " + table + " WHERE seq = ?")) {
      ps.setLong(1, cp.seq());
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() && cp.signature().equals(rs.getString(1));
      }
    }
  }

  @Override
  public Stream<AuditCheckpoint> published() {
    List<AuditCheckpoint> out = new ArrayList<>();
    try (Connection c = ds.getConnection()) {
      create(c);
      try (Statement st = c.createStatement();
          ResultSet rs = st.executeQuery("SELECT seq, hash, previous, at_us, algorithm, key_id, signature FROM "
              + table + " ORDER BY seq")) {
        while (rs.next()) {
          try {
            out.add(new AuditCheckpoint(rs.getLong(1), rs.getString(2).trim(), rs.getLong(3),
                JdbcAuditStore.micros(rs.getLong(4)), rs.getString(5), rs.getString(6), rs.getString(7)));
          } catch (IllegalArgumentException damaged) {
            // a damaged published checkpoint counts as a missing one
          }
        }
      }
    } catch (SQLException e) {
      throw new PledgeException("cannot read audit checkpoints from table " + table + ": " + e.getMessage(), e);
    }
    return out.stream();
  }

  @Override
  public String describe() {
    return "table " + table;
  }
}
