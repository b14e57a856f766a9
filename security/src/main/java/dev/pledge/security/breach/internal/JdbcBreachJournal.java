package dev.pledge.security.breach.internal;

import dev.pledge.core.PledgeException;
import dev.pledge.security.breach.BreachIncident;
import dev.pledge.security.breach.BreachJournal;
import dev.pledge.security.breach.BreachReport;
import dev.pledge.security.breach.StepKind;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * {@link BreachJournal#jdbc}: a table of responses and a table of steps (one row per response and
 * step, replaced by each attempt), portable between PostgreSQL, MariaDB and H2. Opening a response
 * is one {@code INSERT} that the primary key refuses when it exists. Thread-safe: each call borrows
 * its own connection.
 */
public final class JdbcBreachJournal implements BreachJournal {
  private static final Pattern PREFIX = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,40}");
  private final DataSource ds;
  private final String responses;
  private final String steps;

  private JdbcBreachJournal(DataSource ds, String prefix) {
    this.ds = ds;
    this.responses = prefix + "_responses";
    this.steps = prefix + "_steps";
  }

  /** The journal in the tables named from {@code prefix}, created when missing. */
  public static JdbcBreachJournal create(DataSource ds, String prefix) {
    Objects.requireNonNull(ds, "dataSource");
    if (prefix == null || !PREFIX.matcher(prefix).matches()) {
      throw new IllegalArgumentException("table prefix must be a plain SQL identifier of at most 41 characters, got '"
          + prefix + "'");
    }
    JdbcBreachJournal j = new JdbcBreachJournal(ds, prefix);
    j.create(j.responses, "id VARCHAR(200) NOT NULL PRIMARY KEY, drill BOOLEAN NOT NULL, detected_ms BIGINT NOT NULL, "
        + "summary VARCHAR(2000) NOT NULL, started_ms BIGINT NOT NULL, finished_ms BIGINT, complete BOOLEAN NOT NULL, "
        + "notified_ms BIGINT");
    j.create(j.steps, "id VARCHAR(200) NOT NULL, step VARCHAR(40) NOT NULL, seq INT NOT NULL, required BOOLEAN NOT NULL, "
        + "status VARCHAR(20) NOT NULL, started_ms BIGINT NOT NULL, ended_ms BIGINT, detail VARCHAR(2000) NOT NULL, "
        + "PRIMARY KEY (id, step)");
    return j;
  }

  private void create(String table, String columns) {
    try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE IF NOT EXISTS " + table + " (" + columns + ")");
    } catch (SQLException e) {
      try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
        s.executeQuery("SELECT COUNT(*) FROM " + table).close();
      } catch (SQLException again) {
        throw fail("create the table " + table, e);
      }
    }
  }

  @Override
  public Entry begin(BreachIncident incident, Instant at) {
    try (Connection c = ds.getConnection(); PreparedStatement p = c.prepareStatement("INSERT INTO " + responses
        + " (id, drill, detected_ms, summary, started_ms, finished_ms, complete, notified_ms)"
        + " VALUES (?, ?, ?, ?, ?, NULL, FALSE, NULL)")) {
      p.setString(1, incident.id());
      p.setBoolean(2, incident.drill());
      p.setLong(3, incident.detectedAt().toEpochMilli());
      p.setString(4, cut(incident.summary()));
      p.setLong(5, at.toEpochMilli());
      p.executeUpdate();
    } catch (SQLException e) {
      if (e.getSQLState() == null || !e.getSQLState().startsWith("23")) {
        throw fail("open response " + incident.id(), e);
      }
    }
    return entry(incident.id()).orElseThrow();
  }

  @Override
  public Optional<Entry> entry(String id) {
    return query(" WHERE id = ?", id).stream().findFirst();
  }

  @Override
  public List<Entry> entries() {
    return query(" ORDER BY started_ms, id");
  }

  private List<Entry> query(String where, String... args) {
    Map<String, Object[]> rows = new LinkedHashMap<>();
    try (Connection c = ds.getConnection()) {
      try (PreparedStatement p = c.prepareStatement("SELECT id, drill, detected_ms, summary, started_ms, finished_ms,"
          + " complete, notified_ms FROM " + responses + where)) {
        for (int i = 0; i < args.length; i++) {
          p.setString(i + 1, args[i]);
        }
        try (ResultSet rs = p.executeQuery()) {
          while (rs.next()) {
            rows.put(rs.getString(1), new Object[] {
                new BreachIncident(rs.getString(1), Instant.ofEpochMilli(rs.getLong(3)), rs.getString(4),
                    rs.getBoolean(2)),
                Instant.ofEpochMilli(rs.getLong(5)), instant(rs, 6), rs.getBoolean(7), instant(rs, 8)});
          }
        }
      }
      List<Entry> out = new ArrayList<>();
      for (Map.Entry<String, Object[]> r : rows.entrySet()) {
        List<BreachReport.StepResult> st = new ArrayList<>();
        try (PreparedStatement p = c.prepareStatement("SELECT step, required, status, started_ms, ended_ms, detail FROM "
            + steps + " WHERE id = ? ORDER BY seq")) {
          p.setString(1, r.getKey());
          try (ResultSet rs = p.executeQuery()) {
            while (rs.next()) {
              st.add(new BreachReport.StepResult(StepKind.valueOf(rs.getString(1)), rs.getBoolean(2),
                  BreachReport.StepResult.Status.valueOf(rs.getString(3)), Instant.ofEpochMilli(rs.getLong(4)),
                  instant(rs, 5), rs.getString(6)));
            }
          }
        }
        Object[] v = r.getValue();
        out.add(new Entry((BreachIncident) v[0], (Instant) v[1], st, (Instant) v[2], (Boolean) v[3], (Instant) v[4]));
      }
      return out;
    } catch (SQLException e) {
      throw fail("read the journal", e);
    }
  }

  @Override
  public void stepStarted(String id, StepKind step, Instant at) {
    write(id, new BreachReport.StepResult(step, false, BreachReport.StepResult.Status.STARTED, at, null, ""));
  }

  @Override
  public void stepFinished(String id, BreachReport.StepResult result) {
    write(id, result);
  }

  private void write(String id, BreachReport.StepResult r) {
    try (Connection c = ds.getConnection()) {
      int updated;
      try (PreparedStatement p = c.prepareStatement("UPDATE " + steps
          + " SET required = ?, status = ?, started_ms = ?, ended_ms = ?, detail = ? WHERE id = ? AND step = ?")) {
        bindStep(p, r);
        p.setString(6, id);
        p.setString(7, r.step().name());
        updated = p.executeUpdate();
      }
      if (updated == 0) {
        try (PreparedStatement p = c.prepareStatement("INSERT INTO " + steps
            + " (required, status, started_ms, ended_ms, detail, id, step, seq) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
          bindStep(p, r);
          p.setString(6, id);
          p.setString(7, r.step().name());
          p.setInt(8, r.step().ordinal());
          p.executeUpdate();
        }
      }
    } catch (SQLException e) {
      throw fail("record step " + r.step() + " of " + id, e);
    }
  }

  private static void bindStep(PreparedStatement p, BreachReport.StepResult r) throws SQLException {
    p.setBoolean(1, r.required());
    p.setString(2, r.status().name());
    p.setLong(3, r.startedAt().toEpochMilli());
    if (r.endedAt() == null) {
      p.setNull(4, Types.BIGINT);
    } else {
      p.setLong(4, r.endedAt().toEpochMilli());
    }
    p.setString(5, cut(r.detail() == null ? "" : r.detail()));
  }

  @Override
  public void finish(String id, Instant at, boolean complete, Instant customersNotifiedAt) {
    try (Connection c = ds.getConnection(); PreparedStatement p = c.prepareStatement("UPDATE " + responses
        + " SET finished_ms = ?, complete = ?, notified_ms = ? WHERE id = ?")) {
      p.setLong(1, at.toEpochMilli());
      p.setBoolean(2, complete);
      if (customersNotifiedAt == null) {
        p.setNull(3, Types.BIGINT);
      } else {
        p.setLong(3, customersNotifiedAt.toEpochMilli());
      }
      p.setString(4, id);
      p.executeUpdate();
    } catch (SQLException e) {
      throw fail("finish " + id, e);
    }
  }

  private static Instant instant(ResultSet rs, int col) throws SQLException {
    long v = rs.getLong(col);
    return rs.wasNull() ? null : Instant.ofEpochMilli(v);
  }

  private static String cut(String s) {
    return s.length() > 2000 ? s.substring(0, 2000) : s;
  }

  private PledgeException fail(String what, SQLException e) {
    return new PledgeException("breach journal " + responses + ": cannot " + what + ": " + e.getMessage(), e);
  }
}
