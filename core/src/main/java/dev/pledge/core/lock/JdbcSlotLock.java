package dev.pledge.core.lock;

import dev.pledge.core.PledgeException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * A {@link SlotLock} in a table of the database the nodes already share (PostgreSQL or MariaDB/MySQL).
 *
 * <p>One row per schedule holds the latest slot taken, its holder, its lease and whether it
 * completed. Taking a slot is a single conditional {@code UPDATE}, so the database's row lock decides
 * between racing nodes: exactly one sees one row updated. A completed slot is never taken again; an
 * uncompleted one is free again once its lease has passed (the holder died). Times are the nodes'
 * clocks in epoch milliseconds, so nodes should keep their clocks in sync (NTP); a skew shorter than
 * the schedule's period changes nothing.
 *
 * <p>(ShedLock keys a lock by name and time; "this slot has already run" would rest on
 * {@code lockAtLeastFor} arithmetic. Keying the row by slot makes exactly-once per slot exact.)
 *
 * <p>Thread-safe: each call borrows a connection from the data source.
 */
public final class JdbcSlotLock implements SlotLock {
  private static final Pattern TABLE = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}");

  private final DataSource dataSource;
  private final String table;

  private JdbcSlotLock(DataSource dataSource, String table) {
    this.dataSource = dataSource;
    this.table = table;
  }

  /**
   * A lock in {@code table}, created if it does not exist.
   *
   * @throws PledgeException if the table cannot be created
   */
  public static JdbcSlotLock create(DataSource dataSource, String table) {
    Objects.requireNonNull(dataSource, "dataSource");
    if (!TABLE.matcher(table).matches()) {
      throw new IllegalArgumentException("table must be a plain SQL identifier, got '" + table + "'");
    }
    JdbcSlotLock lock = new JdbcSlotLock(dataSource, table);
    lock.createTable();
    return lock;
  }

  /** A lock in the table {@code pledge_schedule_slots}. */
  public static JdbcSlotLock create(DataSource dataSource) {
    return create(dataSource, "pledge_schedule_slots");
  }

  private void createTable() {
    try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE IF NOT EXISTS " + table + " (schedule_name VARCHAR(100) NOT NULL PRIMARY KEY, "
          + "slot_ms BIGINT NOT NULL, node VARCHAR(200) NOT NULL, lease_until_ms BIGINT NOT NULL, "
          + "done BOOLEAN NOT NULL)");
    } catch (SQLException e) {
      throw new PledgeException("cannot create the schedule lock table " + table + ": " + e.getMessage(), e);
    }
  }

  @Override
  public Optional<Lease> tryAcquire(String schedule, Instant slot, String node, Instant now, Instant leaseUntil) {
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(true);
      String product = c.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT);
      String seed = product.contains("postgres")
          ? "INSERT INTO " + table + " VALUES (?, -1, '', 0, TRUE) ON CONFLICT (schedule_name) DO NOTHING"
          : "INSERT IGNORE INTO " + table + " VALUES (?, -1, '', 0, TRUE)";
      try (PreparedStatement ps = c.prepareStatement(seed)) {
        ps.setString(1, schedule);
        ps.executeUpdate();
      }
      try (PreparedStatement ps = c.prepareStatement("UPDATE " + table
          + " SET slot_ms = ?, node = ?, lease_until_ms = ?, done = FALSE WHERE schedule_name = ? AND "
          + "(slot_ms < ? OR (slot_ms = ? AND done = FALSE AND lease_until_ms <= ?))")) {
        long s = slot.toEpochMilli();
        ps.setLong(1, s);
        ps.setString(2, node);
        ps.setLong(3, leaseUntil.toEpochMilli());
        ps.setString(4, schedule);
        ps.setLong(5, s);
        ps.setLong(6, s);
        ps.setLong(7, now.toEpochMilli());
        return ps.executeUpdate() == 1 ? Optional.of(new Lease(schedule, slot, node, leaseUntil)) : Optional.empty();
      }
    } catch (SQLException e) {
      throw new PledgeException("cannot take slot " + slot + " of schedule " + schedule + ": " + e.getMessage(), e);
    }
  }

  @Override
  public Optional<Instant> lastSlot(String schedule) {
    try (Connection c = dataSource.getConnection();
         PreparedStatement ps = c.prepareStatement("SELECT slot_ms FROM " + table + " WHERE schedule_name = ?")) {
      ps.setString(1, schedule);
      try (ResultSet r = ps.executeQuery()) {
        // the seed row (slot -1) is written by a node that tried and found nothing to take
        return r.next() && r.getLong(1) >= 0 ? Optional.of(Instant.ofEpochMilli(r.getLong(1))) : Optional.empty();
      }
    } catch (SQLException e) {
      throw new PledgeException("cannot read the last slot of schedule " + schedule + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void complete(Lease lease) {
    update("UPDATE " + table + " SET done = TRUE WHERE schedule_name = ? AND slot_ms = ? AND node = ?", lease, null);
  }

  @Override
  public boolean extend(Lease lease, Instant until) {
    return update("UPDATE " + table + " SET lease_until_ms = ? WHERE schedule_name = ? AND slot_ms = ? AND node = ?"
        + " AND done = FALSE", lease, until) == 1;
  }

  private int update(String sql, Lease lease, Instant until) {
    try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
      c.setAutoCommit(true);
      int i = 1;
      if (until != null) {
        ps.setLong(i++, until.toEpochMilli());
      }
      ps.setString(i++, lease.schedule());
      ps.setLong(i++, lease.slot().toEpochMilli());
      ps.setString(i, lease.node());
      return ps.executeUpdate();
    } catch (SQLException e) {
      throw new PledgeException("cannot update slot " + lease.slot() + " of schedule " + lease.schedule() + ": "
          + e.getMessage(), e);
    }
  }

  @Override
  public String toString() {
    return "JdbcSlotLock[" + table + "]";
  }
}
