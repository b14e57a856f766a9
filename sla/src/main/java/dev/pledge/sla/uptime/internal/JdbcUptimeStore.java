package dev.pledge.sla.uptime.internal;

import dev.pledge.core.PledgeException;
import dev.pledge.core.SiteId;
import dev.pledge.sla.uptime.SiteState;
import dev.pledge.sla.uptime.StateChange;
import dev.pledge.sla.uptime.UptimeStore;
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

/**
 * {@link UptimeStore#jdbc}: one table, portable between PostgreSQL and MariaDB; instants are kept as
 * epoch seconds and nanoseconds. Thread-safe: each call uses its own connection.
 */
public final class JdbcUptimeStore implements UptimeStore {
  private static final String TABLE = "pledge_uptime_changes";
  private final ConnectionFactory connections;

  /** Opens the store and creates its table when missing. */
  public JdbcUptimeStore(ConnectionFactory connections) {
    this.connections = Objects.requireNonNull(connections, "connections");
    try (Connection c = connections.open(); Statement s = c.createStatement()) {
      s.executeUpdate("CREATE TABLE IF NOT EXISTS " + TABLE + " (site VARCHAR(63) NOT NULL, at_seconds BIGINT NOT NULL,"
          + " at_nanos INT NOT NULL, to_state VARCHAR(8) NOT NULL, reason VARCHAR(1000) NOT NULL)");
    } catch (SQLException e) {
      throw fail("create the table " + TABLE, e);
    }
  }

  @Override
  public void record(StateChange change) {
    try (Connection c = connections.open();
        PreparedStatement p = c.prepareStatement("INSERT INTO " + TABLE
            + " (site, at_seconds, at_nanos, to_state, reason) VALUES (?, ?, ?, ?, ?)")) {
      p.setString(1, change.site().value());
      p.setLong(2, change.at().getEpochSecond());
      p.setInt(3, change.at().getNano());
      p.setString(4, change.to().name());
      String reason = change.reason();
      p.setString(5, reason.length() > 1000 ? reason.substring(0, 1000) : reason);
      p.executeUpdate();
    } catch (SQLException e) {
      throw fail("record a state change of " + change.site(), e);
    }
  }

  @Override
  public List<StateChange> changes(SiteId site, Instant from, Instant to) {
    List<StateChange> out = query("SELECT site, at_seconds, at_nanos, to_state, reason FROM " + TABLE
        + " WHERE site = ? AND at_seconds >= ? AND at_seconds <= ? ORDER BY at_seconds, at_nanos", site,
        from.getEpochSecond(), to.getEpochSecond());
    out.removeIf(c -> c.at().isBefore(from) || !c.at().isBefore(to));
    return out;
  }

  @Override
  public Optional<StateChange> lastBefore(SiteId site, Instant at) {
    List<StateChange> out = query("SELECT site, at_seconds, at_nanos, to_state, reason FROM " + TABLE
        + " WHERE site = ? AND at_seconds >= ? AND at_seconds <= ? ORDER BY at_seconds DESC, at_nanos DESC", site,
        Long.MIN_VALUE, at.getEpochSecond());
    return out.stream().filter(c -> c.at().isBefore(at)).findFirst();
  }

  @Override
  public List<SiteId> sites() {
    List<SiteId> out = new ArrayList<>();
    try (Connection c = connections.open(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT DISTINCT site FROM " + TABLE + " ORDER BY site")) {
      while (rs.next()) {
        out.add(SiteId.of(rs.getString(1)));
      }
    } catch (SQLException e) {
      throw fail("list the sites", e);
    }
    return out;
  }

  private List<StateChange> query(String sql, SiteId site, long from, long to) {
    List<StateChange> out = new ArrayList<>();
    try (Connection c = connections.open(); PreparedStatement p = c.prepareStatement(sql)) {
      p.setString(1, site.value());
      p.setLong(2, from);
      p.setLong(3, to);
      try (ResultSet rs = p.executeQuery()) {
        while (rs.next()) {
          out.add(new StateChange(SiteId.of(rs.getString(1)), Instant.ofEpochSecond(rs.getLong(2), rs.getInt(3)),
              SiteState.valueOf(rs.getString(4)), rs.getString(5)));
        }
      }
    } catch (SQLException e) {
      throw fail("read the state changes of " + site, e);
    }
    return out;
  }

  private static PledgeException fail(String what, SQLException e) {
    return new PledgeException("uptime store: cannot " + what + ": " + e.getMessage(), e);
  }
}
