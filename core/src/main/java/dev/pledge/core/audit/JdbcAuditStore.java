package dev.pledge.core.audit;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.pledge.core.PledgeException;
import dev.pledge.core.Scope;
import dev.pledge.core.internal.Json;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import javax.sql.DataSource;

/**
 * An {@link AuditStore} in SQL tables that several nodes share (P14, P20): PostgreSQL, MariaDB/MySQL
 * (InnoDB) and H2, through plain JDBC.
 *
 * <p><b>One chain, many writers.</b> The table {@code PREFIX_head} holds one row: the chain's last
 * sequence number and hash and its last checkpoint. Every group is one transaction that first locks
 * that row, so the row lock admits one writer at a time across all nodes; the writer links its records
 * to the head it holds, moves the head, inserts the records and the checkpoint, and commits, which
 * releases the lock. The lock is taken with {@code SELECT ... FOR UPDATE}, or, when this store
 * committed the last group it knows of, by moving the head with a compare-and-set
 * ({@code UPDATE ... WHERE seq = last AND hash = last}), which saves a round trip; when another node
 * wrote in between, the update matches no row and the group is linked again to the head read under
 * the lock. On PostgreSQL that compare-and-set, the checkpoint and the records are one autocommitted
 * statement (a data-modifying {@code WITH}), so a group costs one round trip. On MariaDB they are one
 * anonymous compound statement ({@code BEGIN NOT ATOMIC START TRANSACTION; UPDATE ...; IF ROW_COUNT() = 1
 * THEN INSERT ...; COMMIT; ... END}), one round trip too, with the transaction and the condition inside
 * the server; where the server or the driver refuses it (MySQL, server-side prepared statements), the
 * store keeps the general path. The next writer then reads the head just committed
 * (a locking read returns the latest committed row under READ COMMITTED, which the store sets, and
 * under InnoDB's REPEATABLE READ alike). So sequence numbers never repeat or skip and each record
 * links to the one committed before it, whatever the number of nodes. The primary key on
 * {@code seq} is a second guard: a writer that somehow linked to a stale head fails and writes nothing.
 * The lock is held for one group's inserts and one commit, so nodes share the commit cost instead of
 * waiting on each other record by record.
 *
 * <p><b>Durability.</b> A group is acknowledged when its commit returns, so it is exactly as durable
 * as the database makes a commit. When the connection drops or the server restarts mid-group, the
 * group throws at its callers (none of it is acknowledged) and the next group opens a new connection.
 * {@link Durability#written} is refused ({@link #supportsDeferredForce()} is false): the store cannot
 * hand a group to the database without committing it, and a commit's durability is the server's
 * setting, not the trail's. A PostgreSQL role or database with {@code synchronous_commit = off}
 * gives the same trade (a commit acknowledged before its WAL is flushed, lost in a server crash
 * within about three times {@code wal_writer_delay}); the store neither sets nor checks it.
 *
 * <p>Timestamps are stored as microseconds since the epoch ({@code at_us}), details as their
 * canonical JSON text, so every stored column is covered by the record's hash. Thread-safe.
 */
public final class JdbcAuditStore implements AuditStore {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(JdbcAuditStore.class);
  private static final Pattern PREFIX = Pattern.compile("[a-z][a-z0-9_]{0,40}");
  private static final Pattern SECRET_PARAM = Pattern.compile("(?i)(password|pass|pwd)=[^&;]*");
  private static final String COLUMNS = "seq, at_us, actor, action, resource, outcome, site, env, details, prev, hash";

  private final DataSource dataSource;
  private final String where;
  private final String records;
  private final String head;
  private final String checkpoints;
  private final Object appendLock = new Object();
  private Connection writer;
  /** The head as this store's last commit left it, or null when unknown (first group, after a failure). */
  private Head lastWritten;
  /** Whether the writer's database is PostgreSQL, where a group is one statement (set with the writer). */
  private boolean postgres;
  /**
   * Whether the writer's database is MariaDB and takes a group as one compound statement; cleared for
   * good when it refuses one.
   */
  private boolean mariadbCompound = true;
  private boolean mariadb;
  private volatile boolean closed;

  private JdbcAuditStore(DataSource dataSource, String prefix, String where) {
    this.dataSource = dataSource;
    this.where = where;
    this.records = prefix + "_records";
    this.head = prefix + "_head";
    this.checkpoints = prefix + "_checkpoints";
  }

  /**
   * A store on {@code dataSource} in tables named {@code PREFIX_records}, {@code PREFIX_head} and
   * {@code PREFIX_checkpoints}, created when missing.
   *
   * @param prefix lower-case letters, digits and underscores, such as {@code pledge_audit}
   * @throws IllegalArgumentException when the prefix is not a plain SQL name
   * @throws PledgeException when the database cannot be reached or the tables cannot be created
   */
  public static JdbcAuditStore create(DataSource dataSource, String prefix) {
    Objects.requireNonNull(dataSource, "dataSource");
    String where = "jdbc:" + prefix;
    try (Connection c = dataSource.getConnection()) {
      where = redact(c.getMetaData().getURL()) + " (" + prefix + ")";
    } catch (SQLException e) {
      throw new PledgeException("cannot reach the audit database: " + e.getMessage(), e);
    }
    return create(dataSource, prefix, where);
  }

  /** A store at a JDBC URL ({@code jdbc:postgresql://host/db?user=u}, {@code jdbc:mariadb://...}). */
  public static JdbcAuditStore create(String url, String prefix) {
    return create(dev.pledge.core.jdbc.DataSources.fromUrl(url), prefix, redact(url) + " (" + prefix + ")");
  }

  private static JdbcAuditStore create(DataSource ds, String prefix, String where) {
    Objects.requireNonNull(prefix, "prefix");
    if (!PREFIX.matcher(prefix).matches()) {
      throw new IllegalArgumentException("audit table prefix must be lower-case letters, digits and underscores"
          + " starting with a letter, got '" + prefix + "'");
    }
    JdbcAuditStore s = new JdbcAuditStore(ds, prefix, where);
    s.createTables();
    return s;
  }

  /** {@code url} with any password parameter replaced by {@code ***}. */
  static String redact(String url) {
    return url == null ? "jdbc" : SECRET_PARAM.matcher(url).replaceAll("$1=***");
  }

  private void createTables() {
    try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
      String text = isMySql(c) ? "LONGTEXT" : "TEXT";
      st.execute("CREATE TABLE IF NOT EXISTS " + records + " (seq BIGINT NOT NULL PRIMARY KEY, at_us BIGINT NOT NULL,"
          + " actor VARCHAR(255) NOT NULL, action VARCHAR(255) NOT NULL, resource VARCHAR(1000) NOT NULL,"
          + " outcome VARCHAR(16) NOT NULL, site VARCHAR(100), env VARCHAR(100), details " + text + " NOT NULL,"
          + " prev CHAR(64) NOT NULL, hash CHAR(64) NOT NULL)");
      st.execute("CREATE TABLE IF NOT EXISTS " + head + " (id INT NOT NULL PRIMARY KEY, seq BIGINT NOT NULL,"
          + " hash CHAR(64) NOT NULL, cp_seq BIGINT NOT NULL, cp_at_us BIGINT)");
      st.execute("CREATE TABLE IF NOT EXISTS " + checkpoints + " (seq BIGINT NOT NULL PRIMARY KEY,"
          + " hash CHAR(64) NOT NULL, previous BIGINT NOT NULL, at_us BIGINT NOT NULL, algorithm VARCHAR(32) NOT NULL,"
          + " key_id VARCHAR(64) NOT NULL, signature VARCHAR(200) NOT NULL)");
      for (String col : List.of("at_us", "actor", "action")) {
        st.execute("CREATE INDEX IF NOT EXISTS " + records + "_" + col + " ON " + records + " (" + col + ")");
      }
      try {
        st.executeUpdate("INSERT INTO " + head + " (id, seq, hash, cp_seq, cp_at_us) VALUES (1, 0, '"
            + AuditChain.GENESIS + "', 0, NULL)");
      } catch (SQLException exists) {
        // another node created the head row first; the check below says whether it is there
        if (!c.getAutoCommit()) {
          c.rollback();
        }
        try (ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM " + head + " WHERE id = 1")) {
          if (!rs.next() || rs.getLong(1) != 1) {
            throw exists;
          }
        }
      }
    } catch (SQLException e) {
      throw new PledgeException("cannot prepare audit tables at " + where + ": " + e.getMessage(), e);
    }
  }

  private static boolean isMySql(Connection c) throws SQLException {
    String p = c.getMetaData().getDatabaseProductName().toLowerCase(java.util.Locale.ROOT);
    return p.contains("mysql") || p.contains("mariadb");
  }

  @Override
  public Group append(Linker linker) {
    synchronized (appendLock) {
      if (closed) {
        throw new IllegalStateException("audit trail " + where + " is closed");
      }
      Connection c = null;
      Head known = lastWritten;
      lastWritten = null; // until this group commits, nothing is known about the head
      try {
        c = writer();
        Head h = null;
        Group g = null;
        if (known != null && postgres) {
          g = linker.link(known);
          if (g.isEmpty()) {
            lastWritten = known;
            return g;
          }
          if (!g.records().isEmpty() && g.records().size() <= ROWS_PER_INSERT && oneStatement(c, known, g)) {
            lastWritten = after(known, g);
            return g;
          }
          g = null; // another node wrote since, or a group too large for one statement: the general path
        }
        if (known != null && mariadb && mariadbCompound) {
          g = linker.link(known);
          if (g.isEmpty()) {
            lastWritten = known;
            return g;
          }
          if (!g.records().isEmpty() && g.records().size() <= ROWS_PER_INSERT && compoundStatement(c, known, g)) {
            lastWritten = after(known, g);
            return g;
          }
          g = null;
        }
        c.setAutoCommit(false);
        if (known != null && !postgres && !(mariadb && mariadbCompound)) {
          // the head this store committed last: move it with a compare-and-set, which takes the row lock
          // as SELECT ... FOR UPDATE would, saving that round trip while no other node writes
          g = linker.link(known);
          if (g.isEmpty()) {
            lastWritten = known;
            return g;
          }
          if (moveHead(c, known, g, true)) {
            h = known;
          } else {
            c.rollback(); // another node wrote since: read the head it left, under the lock
            g = null;
          }
        }
        if (g == null) {
          try (PreparedStatement ps = c.prepareStatement(
              "SELECT seq, hash, cp_seq, cp_at_us FROM " + head + " WHERE id = 1 FOR UPDATE");
              ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
              throw new PledgeException("audit trail " + where + " has no head row; was " + head + " emptied?");
            }
            long cpAt = rs.getLong(4);
            h = new Head(rs.getLong(1), rs.getString(2).trim(), rs.getLong(3), rs.wasNull() ? null : micros(cpAt));
          }
          g = linker.link(h);
          if (g.isEmpty()) {
            c.rollback();
            lastWritten = h;
            return g;
          }
          moveHead(c, h, g, false);
        }
        insert(c, g.records());
        AuditCheckpoint cp = g.checkpoint();
        if (cp != null) {
          try (PreparedStatement ins = c.prepareStatement("INSERT INTO " + checkpoints
              + " (seq, hash, previous, at_us, algorithm, key_id, signature) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            bindCheckpoint(ins, 0, cp);
            ins.executeUpdate();
          }
        }
        c.commit();
        lastWritten = after(h, g);
        return g;
      } catch (SQLException e) {
        dropWriter(c);
        throw new PledgeException("cannot append to audit trail " + where + ": " + e.getMessage()
            + " (nothing of this group was acknowledged)", e);
      } catch (RuntimeException e) {
        dropWriter(c);
        throw e;
      }
    }
  }

  /** The head after {@code g} was committed on top of {@code h}. */
  private static Head after(Head h, Group g) {
    ChainedRecord last = g.records().isEmpty() ? null : g.records().get(g.records().size() - 1);
    AuditCheckpoint cp = g.checkpoint();
    return new Head(last == null ? h.seq() : last.seq(), last == null ? h.hash() : last.hash(),
        cp == null ? h.checkpointSeq() : cp.seq(), cp == null ? h.checkpointAt() : cp.at());
  }

  /**
   * Moves the head row from {@code h} to where {@code g} leaves it; with {@code ifStill}, only when
   * the row still holds {@code h} (compare-and-set).
   *
   * @return whether the row moved
   */
  private boolean moveHead(Connection c, Head h, Group g, boolean ifStill) throws SQLException {
    Head to = after(h, g);
    try (PreparedStatement up = c.prepareStatement("UPDATE " + head
        + " SET seq = ?, hash = ?, cp_seq = ?, cp_at_us = ? WHERE id = 1"
        + (ifStill ? " AND seq = ? AND hash = ? AND cp_seq = ?" : ""))) {
      bindHeadMove(up, to, ifStill ? h : null);
      return up.executeUpdate() == 1;
    }
  }

  /**
   * Binds the head's new values (parameters 1 to 4) and, when {@code from} is given, the values it
   * must still hold (5 to 7) of an {@code UPDATE head SET seq, hash, cp_seq, cp_at_us ... WHERE}.
   */
  private static void bindHeadMove(PreparedStatement ps, Head to, Head from) throws SQLException {
    ps.setLong(1, to.seq());
    ps.setString(2, to.hash());
    ps.setLong(3, to.checkpointSeq());
    if (to.checkpointAt() == null) {
      ps.setNull(4, Types.BIGINT);
    } else {
      ps.setLong(4, micros(to.checkpointAt()));
    }
    if (from != null) {
      ps.setLong(5, from.seq());
      ps.setString(6, from.hash());
      ps.setLong(7, from.checkpointSeq());
    }
  }

  /**
   * Binds a checkpoint's seven columns (seq, hash, previous, at_us, algorithm, key_id, signature)
   * after parameter {@code at}.
   *
   * @return the last parameter bound
   */
  private static int bindCheckpoint(PreparedStatement ps, int at, AuditCheckpoint cp) throws SQLException {
    ps.setLong(at + 1, cp.seq());
    ps.setString(at + 2, cp.hash());
    ps.setLong(at + 3, cp.previous());
    ps.setLong(at + 4, micros(cp.at()));
    ps.setString(at + 5, cp.algorithm());
    ps.setString(at + 6, cp.keyId());
    ps.setString(at + 7, cp.signature());
    return at + 7;
  }

  /** Rows a multi-row INSERT carries: 11 parameters each stays far below every driver's limit. */
  private static final int ROWS_PER_INSERT = 200;

  /**
   * Inserts the group's records with multi-row {@code INSERT ... VALUES (...), (...)} statements
   * (one round trip per 200 records; PostgreSQL, MariaDB and H2 all take the form), which a JDBC batch
   * of single-row inserts is not on every driver.
   */
  private void insert(Connection c, List<ChainedRecord> rows) throws SQLException {
    for (int from = 0; from < rows.size(); from += ROWS_PER_INSERT) {
      List<ChainedRecord> chunk = rows.subList(from, Math.min(rows.size(), from + ROWS_PER_INSERT));
      StringBuilder sql = new StringBuilder("INSERT INTO ").append(records).append(" (").append(COLUMNS)
          .append(") VALUES ");
      for (int i = 0; i < chunk.size(); i++) {
        sql.append(i == 0 ? "" : ", ").append("(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
      }
      try (PreparedStatement ins = c.prepareStatement(sql.toString())) {
        int p = 0;
        for (ChainedRecord r : chunk) {
          bind(ins, p, r);
          p += 11;
        }
        ins.executeUpdate();
      }
    }
  }

  private Connection writer() throws SQLException {
    if (writer == null) {
      Connection c = dataSource.getConnection();
      c.setAutoCommit(false);
      c.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
      String product = c.getMetaData().getDatabaseProductName().toLowerCase(java.util.Locale.ROOT);
      postgres = product.contains("postgresql");
      mariadb = product.contains("mariadb") || c.getMetaData().getDatabaseProductVersion().toLowerCase(
          java.util.Locale.ROOT).contains("mariadb");
      writer = c;
    }
    return writer;
  }

  /**
   * PostgreSQL, when this store committed the head it knows: the whole group in one autocommitted
   * statement, one round trip. A data-modifying CTE moves the head with a compare-and-set (taking the
   * row lock), inserts the checkpoint if any, and the records are inserted only when the head moved.
   *
   * @return whether the group was written; false, with nothing written, when the head had moved on
   */
  private boolean oneStatement(Connection c, Head h, Group g) throws SQLException {
    Head to = after(h, g);
    AuditCheckpoint cp = g.checkpoint();
    StringBuilder sql = new StringBuilder("WITH moved AS (UPDATE ").append(head)
        .append(" SET seq = ?, hash = ?, cp_seq = ?, cp_at_us = ? WHERE id = 1 AND seq = ? AND hash = ? AND cp_seq = ?")
        .append(" RETURNING id)");
    if (cp != null) {
      sql.append(", cp AS (INSERT INTO ").append(checkpoints)
          .append(" (seq, hash, previous, at_us, algorithm, key_id, signature)")
          .append(" SELECT ?::bigint, ?, ?::bigint, ?::bigint, ?, ?, ? FROM moved RETURNING seq)");
    }
    sql.append(" INSERT INTO ").append(records).append(" (").append(COLUMNS).append(") SELECT * FROM (VALUES ");
    for (int i = 0; i < g.records().size(); i++) {
      sql.append(i == 0 ? "" : ", ").append("(?::bigint, ?::bigint, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    }
    sql.append(") AS v WHERE EXISTS (SELECT 1 FROM moved)");
    c.setAutoCommit(true);
    try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
      bindHeadMove(ps, to, h);
      int at = 7;
      if (cp != null) {
        at = bindCheckpoint(ps, at, cp);
      }
      for (ChainedRecord r : g.records()) {
        bind(ps, at, r);
        at += 11;
      }
      return ps.executeUpdate() == g.records().size();
    }
  }

  /**
   * MariaDB, when this store committed the head it knows: the whole group as one anonymous compound
   * statement, one round trip. Inside it the server opens a transaction, moves the head with a
   * compare-and-set (taking the row lock), and only when the head moved inserts the records and the
   * checkpoint and commits; otherwise it rolls back. The statement answers with one row: 1 when the
   * group was written, 0 when the head had moved on. A failure inside leaves the transaction open;
   * the caller then rolls it back with the connection.
   *
   * @return whether the group was written; false, with nothing written, when the head had moved on or
   *     the server refused the compound statement (then never tried again)
   */
  private boolean compoundStatement(Connection c, Head h, Group g) throws SQLException {
    Head to = after(h, g);
    AuditCheckpoint cp = g.checkpoint();
    StringBuilder sql = new StringBuilder("BEGIN NOT ATOMIC START TRANSACTION; UPDATE ").append(head)
        .append(" SET seq = ?, hash = ?, cp_seq = ?, cp_at_us = ? WHERE id = 1 AND seq = ? AND hash = ? AND cp_seq = ?;")
        .append(" IF ROW_COUNT() = 1 THEN INSERT INTO ").append(records).append(" (").append(COLUMNS).append(") VALUES ");
    for (int i = 0; i < g.records().size(); i++) {
      sql.append(i == 0 ? "" : ", ").append("(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    }
    sql.append(';');
    if (cp != null) {
      sql.append(" INSERT INTO ").append(checkpoints)
          .append(" (seq, hash, previous, at_us, algorithm, key_id, signature) VALUES (?, ?, ?, ?, ?, ?, ?);");
    }
    sql.append(" COMMIT; SELECT 1; ELSE ROLLBACK; SELECT 0; END IF; END");
    c.setAutoCommit(true);
    PreparedStatement ps;
    try {
      ps = c.prepareStatement(sql.toString());
    } catch (SQLException e) {
      return refused(e);
    }
    try (ps) {
      bindHeadMove(ps, to, h);
      int at = 7;
      for (ChainedRecord r : g.records()) {
        bind(ps, at, r);
        at += 11;
      }
      if (cp != null) {
        bindCheckpoint(ps, at, cp);
      }
      boolean result;
      try {
        result = ps.execute();
      } catch (java.sql.SQLSyntaxErrorException e) {
        return refused(e);
      } catch (SQLException e) {
        if (e.getErrorCode() == 1295) { // not supported by server-side prepared statements
          return refused(e);
        }
        throw e;
      }
      for (int n = 0; n < 8 && !result && ps.getUpdateCount() != -1; n++) {
        result = ps.getMoreResults();
      }
      if (!result) {
        throw new SQLException("the group's compound statement returned no answer");
      }
      try (ResultSet rs = ps.getResultSet()) {
        return rs.next() && rs.getInt(1) == 1;
      }
    }
  }

  /** Whether a group on the head this store knows goes to the database in one round trip (for tests). */
  boolean groupsInOneRoundTrip() {
    synchronized (appendLock) {
      return postgres || (mariadb && mariadbCompound);
    }
  }

  /** The server or the driver refused the compound statement: the general path from now on. */
  private boolean refused(SQLException e) throws SQLException {
    mariadbCompound = false;
    if (!writer.getAutoCommit()) {
      writer.rollback();
    }
    LOG.info("audit trail {}: a group as one compound statement was refused ({}); using one statement per step",
        where, e.getMessage());
    return false;
  }

  private void dropWriter(Connection c) {
    if (c != null) {
      try {
        c.rollback();
      } catch (SQLException ignored) {
        // the connection is being dropped anyway
      }
      try {
        c.close();
      } catch (SQLException ignored) {
        // as above
      }
    }
    writer = null;
  }

  private static void bind(PreparedStatement ps, int at, ChainedRecord c) throws SQLException {
    AuditRecord r = c.record();
    check(r.actor(), 255, "actor");
    check(r.action(), 255, "action");
    check(r.resource(), 1000, "resource");
    ps.setLong(at + 1, c.seq());
    ps.setLong(at + 2, micros(r.at()));
    ps.setString(at + 3, r.actor());
    ps.setString(at + 4, r.action());
    ps.setString(at + 5, r.resource());
    ps.setString(at + 6, r.outcome().name());
    if (r.scope() == null) {
      ps.setNull(at + 7, Types.VARCHAR);
      ps.setNull(at + 8, Types.VARCHAR);
    } else {
      ps.setString(at + 7, r.scope().site().value());
      ps.setString(at + 8, r.scope().environment().name());
    }
    ps.setString(at + 9, AuditChain.detailsJson(r.details()));
    ps.setString(at + 10, c.prev());
    ps.setString(at + 11, c.hash());
  }

  private static void check(String v, int max, String field) {
    if (v.length() > max) {
      throw new IllegalArgumentException("audit record " + field + " is " + v.length() + " characters; the JDBC"
          + " audit store keeps at most " + max);
    }
  }

  static long micros(Instant at) {
    return ChronoUnit.MICROS.between(Instant.EPOCH, at);
  }

  static Instant micros(long us) {
    return Instant.EPOCH.plus(us, ChronoUnit.MICROS);
  }

  /** The smallest whole microsecond not before {@code at}. */
  private static long ceilMicros(Instant at) {
    long us = micros(at);
    return micros(us).isBefore(at) ? us + 1 : us;
  }

  @Override
  public Head head() {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement("SELECT seq, hash, cp_seq, cp_at_us FROM " + head + " WHERE id = 1");
        ResultSet rs = ps.executeQuery()) {
      if (!rs.next()) {
        return Head.EMPTY;
      }
      long cpAt = rs.getLong(4);
      return new Head(rs.getLong(1), rs.getString(2).trim(), rs.getLong(3), rs.wasNull() ? null : micros(cpAt));
    } catch (SQLException e) {
      throw new PledgeException("cannot read audit trail " + where + ": " + e.getMessage(), e);
    }
  }

  @Override
  public Stream<ChainedRecord> records(AuditQuery q) {
    StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM " + records + " WHERE 1 = 1");
    List<Object> args = new ArrayList<>();
    q.from().ifPresent(f -> {
      sql.append(" AND at_us >= ?");
      args.add(ceilMicros(f));
    });
    q.to().ifPresent(t -> {
      sql.append(" AND at_us < ?");
      args.add(ceilMicros(t));
    });
    q.actor().ifPresent(a -> {
      sql.append(" AND actor = ?");
      args.add(a);
    });
    q.action().ifPresent(a -> {
      sql.append(" AND action = ?");
      args.add(a);
    });
    q.resource().ifPresent(a -> {
      sql.append(" AND resource = ?");
      args.add(a);
    });
    q.outcome().ifPresent(o -> {
      sql.append(" AND outcome = ?");
      args.add(o.name());
    });
    sql.append(" ORDER BY seq");
    // the query re-checks each row, so a row whose indexed columns were edited still answers truthfully
    return stream(sql.toString(), args, 0, rs -> row(rs)).filter(c -> q.matches(c.record()));
  }

  @Override
  public List<ChainedRecord> tail(int n) {
    if (n < 0) {
      throw new IllegalArgumentException("tail needs n >= 0, got " + n);
    }
    if (n == 0) {
      return List.of();
    }
    List<ChainedRecord> out;
    try (Stream<ChainedRecord> s = stream("SELECT " + COLUMNS + " FROM " + records + " ORDER BY seq DESC",
        List.of(), n, this::row)) {
      out = new ArrayList<>(s.toList());
    }
    Collections.reverse(out);
    return out;
  }

  @Override
  public Stream<AuditCheckpoint> checkpoints() {
    return stream("SELECT seq, hash, previous, at_us, algorithm, key_id, signature FROM " + checkpoints
        + " ORDER BY seq", List.of(), 0, rs -> {
          try {
            return new AuditCheckpoint(rs.getLong(1), rs.getString(2).trim(), rs.getLong(3), micros(rs.getLong(4)),
                rs.getString(5), rs.getString(6), rs.getString(7));
          } catch (IllegalArgumentException e) {
            return null; // a damaged checkpoint counts as a missing one
          }
        });
  }

  private ChainedRecord row(ResultSet rs) throws SQLException {
    long seq = rs.getLong(1);
    String place = where + " seq " + seq;
    try {
      String site = rs.getString(7);
      String env = rs.getString(8);
      AuditRecord r = new AuditRecord(micros(rs.getLong(2)), rs.getString(3), rs.getString(4), rs.getString(5),
          AuditOutcome.valueOf(rs.getString(6)), site == null && env == null ? null : Scope.of(site, env),
          details(rs.getString(9), place));
      return new ChainedRecord(seq, r, rs.getString(10).trim(), rs.getString(11).trim());
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new AuditFormatException(place + ": not an audit record: " + e.getMessage());
    }
  }

  private static TreeMap<String, String> details(String json, String place) {
    TreeMap<String, String> out = new TreeMap<>();
    try (JsonParser p = Json.mapper().getFactory().createParser(json)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new AuditFormatException(place + ": details are not a JSON object");
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String k = p.currentName();
        if (p.nextToken() != JsonToken.VALUE_STRING) {
          throw new AuditFormatException(place + ": details." + k + " is not a string");
        }
        out.put(k, p.getText());
      }
    } catch (IOException e) {
      throw new AuditFormatException(place + ": details are not JSON");
    }
    return out;
  }

  @FunctionalInterface
  private interface RowMapper<T> {
    T map(ResultSet rs) throws SQLException;
  }

  /** Streams a query on its own connection, a page of rows at a time; closing the stream frees it. */
  private <T> Stream<T> stream(String sql, List<Object> args, int maxRows, RowMapper<T> mapper) {
    Connection c = null;
    PreparedStatement ps = null;
    ResultSet rs;
    try {
      c = dataSource.getConnection();
      c.setAutoCommit(false); // PostgreSQL streams with a cursor only inside a transaction
      c.setReadOnly(true);
      ps = c.prepareStatement(sql, ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY);
      ps.setFetchSize(500);
      if (maxRows > 0) {
        ps.setMaxRows(maxRows);
      }
      for (int i = 0; i < args.size(); i++) {
        ps.setObject(i + 1, args.get(i));
      }
      rs = ps.executeQuery();
    } catch (SQLException e) {
      closeAll(ps, c);
      throw new PledgeException("cannot read audit trail " + where + ": " + e.getMessage(), e);
    }
    Connection conn = c;
    PreparedStatement st = ps;
    Iterator<T> it = new Iterator<>() {
      private T next;
      private boolean done;

      @Override
      public boolean hasNext() {
        try {
          while (next == null && !done) {
            if (rs.next()) {
              next = mapper.map(rs);
            } else {
              done = true;
            }
          }
        } catch (SQLException e) {
          throw new PledgeException("cannot read audit trail " + where + ": " + e.getMessage(), e);
        }
        return next != null;
      }

      @Override
      public T next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        T t = next;
        next = null;
        return t;
      }
    };
    return StreamSupport.stream(Spliterators.spliteratorUnknownSize(it, Spliterator.ORDERED | Spliterator.NONNULL),
        false).onClose(() -> {
          try {
            rs.close();
          } catch (SQLException ignored) {
            // closing the connection below frees it anyway
          }
          closeAll(st, conn);
        });
  }

  private static void closeAll(Statement st, Connection c) {
    try {
      if (st != null) {
        st.close();
      }
    } catch (SQLException ignored) {
      // the connection's close below frees it
    }
    try {
      if (c != null) {
        c.rollback();
        c.close();
      }
    } catch (SQLException ignored) {
      // nothing was written on this connection
    }
  }

  /** Drops the three tables (for tests and decommissioning); the chain is gone afterwards. */
  public void dropTables() {
    try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
      for (String t : List.of(records, head, checkpoints)) {
        st.execute("DROP TABLE IF EXISTS " + t);
      }
    } catch (SQLException e) {
      throw new PledgeException("cannot drop audit tables at " + where + ": " + e.getMessage(), e);
    }
  }

  @Override
  public String describe() {
    return where;
  }

  @Override
  public void close() {
    synchronized (appendLock) {
      closed = true;
      if (writer != null) {
        try {
          writer.close();
        } catch (SQLException ignored) {
          // closing
        }
        writer = null;
      }
    }
  }

  @Override
  public String toString() {
    return "JdbcAuditStore[" + where + "]";
  }
}
