package dev.pledge.security.access.internal;

import dev.pledge.core.PledgeException;
import dev.pledge.security.access.AccessGrant;
import dev.pledge.security.access.AccessRequest;
import dev.pledge.security.access.AccessStore;
import dev.pledge.security.access.EnrolledPerson;
import dev.pledge.security.access.GrantStatus;
import dev.pledge.security.access.Person;
import dev.pledge.security.access.StoredGrant;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * {@link AccessStore#jdbc}: three tables, portable between PostgreSQL, MariaDB and H2. Instants are
 * epoch milliseconds. Every conditional step is one {@code UPDATE ... WHERE} on the row, so the
 * database's row lock decides between racing brokers and exactly one sees a row updated; a new
 * account or id is one {@code INSERT} that the primary key refuses when taken.
 *
 * <p>Thread-safe: each call borrows its own connection, in auto-commit.
 */
public final class JdbcAccessStore implements AccessStore {
  private static final Pattern PREFIX = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,40}");
  private static final String GRANT_COLUMNS = "id, account, role_name, resource_name, reason, approver, targets, "
      + "from_ms, until_ms, status, ended_ms, ended_by, cleanup_node, cleanup_ms, cleaned";
  private static final String REQUEST_COLUMNS = "id, account, role_name, resource_name, reason, duration_ms, "
      + "targets, requested_ms, status, decided_by, decided_ms, grant_id";

  private final DataSource dataSource;
  private final String people;
  private final String requests;
  private final String grants;

  private JdbcAccessStore(DataSource dataSource, String prefix) {
    this.dataSource = dataSource;
    this.people = prefix + "_people";
    this.requests = prefix + "_requests";
    this.grants = prefix + "_grants";
  }

  /** The store in the tables named from {@code prefix}, created when missing. */
  public static JdbcAccessStore create(DataSource dataSource, String prefix) {
    Objects.requireNonNull(dataSource, "dataSource");
    if (prefix == null || !PREFIX.matcher(prefix).matches()) {
      throw new IllegalArgumentException("table prefix must be a plain SQL identifier of at most 41 characters, got '"
          + prefix + "'");
    }
    JdbcAccessStore s = new JdbcAccessStore(dataSource, prefix);
    s.createTables();
    return s;
  }

  private void createTables() {
    create(people, "account VARCHAR(200) NOT NULL PRIMARY KEY, person_name VARCHAR(200) NOT NULL, "
        + "employment VARCHAR(20) NOT NULL, enrolled_ms BIGINT NOT NULL, departed_ms BIGINT");
    create(requests, "id VARCHAR(64) NOT NULL PRIMARY KEY, account VARCHAR(200) NOT NULL, "
        + "role_name VARCHAR(200) NOT NULL, resource_name VARCHAR(200) NOT NULL, reason VARCHAR(1000) NOT NULL, "
        + "duration_ms BIGINT NOT NULL, targets VARCHAR(4000) NOT NULL, requested_ms BIGINT NOT NULL, "
        + "status VARCHAR(12) NOT NULL, decided_by VARCHAR(200), decided_ms BIGINT, grant_id VARCHAR(64)");
    create(grants, "id VARCHAR(64) NOT NULL PRIMARY KEY, account VARCHAR(200) NOT NULL, "
        + "role_name VARCHAR(200) NOT NULL, resource_name VARCHAR(200) NOT NULL, reason VARCHAR(1000) NOT NULL, "
        + "approver VARCHAR(200), targets VARCHAR(4000) NOT NULL, from_ms BIGINT NOT NULL, until_ms BIGINT NOT NULL, "
        + "status VARCHAR(12) NOT NULL, ended_ms BIGINT, ended_by VARCHAR(200), cleanup_node VARCHAR(200), "
        + "cleanup_ms BIGINT, cleaned BOOLEAN NOT NULL");
  }

  private void create(String table, String columns) {
    try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE IF NOT EXISTS " + table + " (" + columns + ")");
    } catch (SQLException e) {
      // Two nodes creating the same table at once: PostgreSQL lets one of them fail; the table is there.
      try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
        s.executeQuery("SELECT COUNT(*) FROM " + table).close();
      } catch (SQLException again) {
        throw fail("create the table " + table, e);
      }
    }
  }

  @Override
  public boolean addPerson(Person person, Instant at) {
    try (Connection c = dataSource.getConnection(); PreparedStatement p = c.prepareStatement("INSERT INTO " + people
        + " (account, person_name, employment, enrolled_ms, departed_ms) VALUES (?, ?, ?, ?, NULL)")) {
      p.setString(1, person.account());
      p.setString(2, person.name());
      p.setString(3, person.employment().name());
      p.setLong(4, at.toEpochMilli());
      return p.executeUpdate() == 1;
    } catch (SQLException e) {
      if (isDuplicate(e)) {
        return false;
      }
      throw fail("enrol " + person.account(), e);
    }
  }

  @Override
  public Optional<EnrolledPerson> person(String account) {
    return queryPeople(" WHERE account = ?", account).stream().findFirst();
  }

  @Override
  public List<EnrolledPerson> people() {
    return queryPeople(" ORDER BY enrolled_ms, account");
  }

  private List<EnrolledPerson> queryPeople(String where, String... args) {
    List<EnrolledPerson> out = new ArrayList<>();
    try (Connection c = dataSource.getConnection(); PreparedStatement p = c.prepareStatement(
        "SELECT account, person_name, employment, enrolled_ms, departed_ms FROM " + people + where)) {
      bind(p, (Object[]) args);
      try (ResultSet rs = p.executeQuery()) {
        while (rs.next()) {
          out.add(new EnrolledPerson(new Person(rs.getString(1), rs.getString(2),
              Person.Employment.valueOf(rs.getString(3))), Instant.ofEpochMilli(rs.getLong(4)), instant(rs, 5)));
        }
      }
    } catch (SQLException e) {
      throw fail("read people", e);
    }
    return out;
  }

  @Override
  public boolean markDeparted(String account, Instant at) {
    return update("record the departure of " + account, "UPDATE " + people
        + " SET departed_ms = ? WHERE account = ? AND departed_ms IS NULL", at.toEpochMilli(), account) == 1;
  }

  @Override
  public void addRequest(AccessRequest r) {
    update("add request " + r.id(), "INSERT INTO " + requests + " (" + REQUEST_COLUMNS
        + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", r.id(), r.account(), r.role(), r.resource(), r.reason(),
        r.duration().toMillis(), String.join("\n", r.targets()), r.requestedAt().toEpochMilli(), r.status().name(),
        r.decidedBy(), millis(r.decidedAt()), r.grantId());
  }

  @Override
  public Optional<AccessRequest> request(String id) {
    return queryRequests(" WHERE id = ?", id).stream().findFirst();
  }

  @Override
  public List<AccessRequest> requests() {
    return queryRequests(" ORDER BY requested_ms, id");
  }

  private List<AccessRequest> queryRequests(String where, String... args) {
    List<AccessRequest> out = new ArrayList<>();
    try (Connection c = dataSource.getConnection(); PreparedStatement p = c.prepareStatement(
        "SELECT " + REQUEST_COLUMNS + " FROM " + requests + where)) {
      bind(p, (Object[]) args);
      try (ResultSet rs = p.executeQuery()) {
        while (rs.next()) {
          out.add(new AccessRequest(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
              rs.getString(5), Duration.ofMillis(rs.getLong(6)), split(rs.getString(7)),
              Instant.ofEpochMilli(rs.getLong(8)), AccessRequest.Status.valueOf(rs.getString(9)), rs.getString(10),
              instant(rs, 11), rs.getString(12)));
        }
      }
    } catch (SQLException e) {
      throw fail("read requests", e);
    }
    return out;
  }

  @Override
  public boolean decideRequest(AccessRequest d) {
    return update("decide request " + d.id(), "UPDATE " + requests
        + " SET status = ?, decided_by = ?, decided_ms = ?, grant_id = ? WHERE id = ? AND status = 'PENDING'",
        d.status().name(), d.decidedBy(), millis(d.decidedAt()), d.grantId(),
        d.id()) == 1;
  }

  @Override
  public void addGrant(AccessGrant g) {
    update("add grant " + g.id(), "INSERT INTO " + grants + " (" + GRANT_COLUMNS
        + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'ACTIVE', NULL, NULL, NULL, NULL, ?)", g.id(), g.account(), g.role(),
        g.resource(), g.reason(), g.approver(), String.join("\n", g.targets()), g.from().toEpochMilli(),
        g.until().toEpochMilli(), Boolean.FALSE);
  }

  @Override
  public Optional<StoredGrant> grant(String id) {
    return queryGrants(" WHERE id = ?", id).stream().findFirst();
  }

  @Override
  public List<StoredGrant> grants() {
    return queryGrants(" ORDER BY from_ms, id");
  }

  private List<StoredGrant> queryGrants(String where, String... args) {
    List<StoredGrant> out = new ArrayList<>();
    try (Connection c = dataSource.getConnection(); PreparedStatement p = c.prepareStatement(
        "SELECT " + GRANT_COLUMNS + " FROM " + grants + where)) {
      bind(p, (Object[]) args);
      try (ResultSet rs = p.executeQuery()) {
        while (rs.next()) {
          AccessGrant g = new AccessGrant(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
              rs.getString(5), Instant.ofEpochMilli(rs.getLong(8)), Instant.ofEpochMilli(rs.getLong(9)),
              rs.getString(6), split(rs.getString(7)));
          out.add(new StoredGrant(g, GrantStatus.valueOf(rs.getString(10)), instant(rs, 11), rs.getString(12),
              rs.getString(13), instant(rs, 14), rs.getBoolean(15)));
        }
      }
    } catch (SQLException e) {
      throw fail("read grants", e);
    }
    return out;
  }

  @Override
  public boolean endGrant(String id, GrantStatus to, Instant at, String by, String node) {
    if (to == GrantStatus.ACTIVE) {
      throw new IllegalArgumentException("a grant ends as REVOKED, EXPIRED or OFFBOARDED, not ACTIVE");
    }
    // cleaned starts true only for a grant that made no login anywhere
    return update("end grant " + id, "UPDATE " + grants + " SET status = ?, ended_ms = ?, ended_by = ?, "
        + "cleanup_node = ?, cleanup_ms = ?, cleaned = (CASE WHEN targets = '' THEN TRUE ELSE FALSE END) "
        + "WHERE id = ? AND status = 'ACTIVE'", to.name(), at.toEpochMilli(), by, node, at.toEpochMilli(), id) == 1;
  }

  @Override
  public boolean claimCleanup(String id, String node, Instant now, Instant staleBefore) {
    return update("take on the cleanup of grant " + id, "UPDATE " + grants
        + " SET cleanup_node = ?, cleanup_ms = ? WHERE id = ? AND status <> 'ACTIVE' AND cleaned = FALSE"
        + " AND (cleanup_ms IS NULL OR cleanup_ms < ?)", node, now.toEpochMilli(), id,
        staleBefore.toEpochMilli()) == 1;
  }

  @Override
  public void markCleaned(String id) {
    update("mark grant " + id + " cleaned", "UPDATE " + grants + " SET cleaned = TRUE WHERE id = ?", id);
  }

  private int update(String what, String sql, Object... args) {
    try (Connection c = dataSource.getConnection(); PreparedStatement p = c.prepareStatement(sql)) {
      bind(p, args);
      return p.executeUpdate();
    } catch (SQLException e) {
      throw fail(what, e);
    }
  }

  private static void bind(PreparedStatement p, Object... args) throws SQLException {
    for (int i = 0; i < args.length; i++) {
      Object a = args[i];
      if (a == null) {
        p.setNull(i + 1, Types.VARCHAR);
      } else if (a instanceof SqlNull n) {
        p.setNull(i + 1, n.type());
      } else if (a instanceof Long l) {
        p.setLong(i + 1, l);
      } else if (a instanceof Boolean b) {
        p.setBoolean(i + 1, b);
      } else {
        p.setString(i + 1, a.toString());
      }
    }
  }

  private static Object millis(Instant t) {
    return t == null ? new SqlNull(Types.BIGINT) : (Object) t.toEpochMilli();
  }

  /** A typed SQL NULL: PostgreSQL refuses a text NULL in a BIGINT column. */
  private record SqlNull(int type) {}

  private static Instant instant(ResultSet rs, int col) throws SQLException {
    long v = rs.getLong(col);
    return rs.wasNull() ? null : Instant.ofEpochMilli(v);
  }

  private static List<String> split(String joined) {
    return joined == null || joined.isEmpty() ? List.of() : Arrays.asList(joined.split("\n"));
  }

  private static boolean isDuplicate(SQLException e) {
    for (SQLException x = e; x != null; x = x.getNextException()) {
      if (x.getSQLState() != null && x.getSQLState().startsWith("23")) {
        return true;
      }
    }
    return false;
  }

  private PledgeException fail(String what, SQLException e) {
    return new PledgeException("access store " + grants.replaceFirst("_grants$", "") + ": cannot " + what + ": "
        + e.getMessage(), e);
  }

  @Override
  public String toString() {
    return "JdbcAccessStore[" + grants.replaceFirst("_grants$", "") + "]";
  }
}
