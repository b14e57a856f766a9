package dev.pledge.sla.history.internal;

import dev.pledge.core.PledgeException;
import dev.pledge.core.SiteId;
import dev.pledge.sla.clock.SlaEvent;
import dev.pledge.sla.history.AlertDeliveryRecord;
import dev.pledge.sla.history.FailoverRecord;
import dev.pledge.sla.history.MaintenanceRecord;
import dev.pledge.sla.history.MonthlyReportRecord;
import dev.pledge.sla.history.ProbeRecord;
import dev.pledge.sla.history.ReportHistory;
import dev.pledge.sla.history.SlaHistory;
import dev.pledge.sla.maintenance.MaintenanceWindow;
import dev.pledge.sla.oncall.TriageEvent;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * {@link SlaHistory#jdbc}: six tables, each with an index on its time column, portable between PostgreSQL, MariaDB and H2, created on first
 * use. Instants are kept as epoch seconds and nanoseconds. Events are keyed by report, stream and
 * sequence number, so two writers appending the same event of one report cannot both succeed.
 * Thread-safe: each call uses its own connection.
 */
public final class JdbcSlaHistory implements SlaHistory {
  private static final Pattern PREFIX = Pattern.compile("[a-z][a-z0-9_]{0,39}");
  private static final String CLOCK = "clock";
  private static final String TRIAGE = "triage";
  private static final String CANCELLED = "CANCELLED";

  private final DataSource dataSource;
  private final String events;
  private final String probes;
  private final String monthly;
  private final String alerts;
  private final String failover;
  private final String maintenance;
  private volatile boolean ready;

  /** A history in the tables named by {@code prefix}, created when first used. */
  public JdbcSlaHistory(DataSource dataSource, String prefix) {
    this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    checkPrefix(prefix);
    this.events = prefix + "_events";
    this.probes = prefix + "_probes";
    this.monthly = prefix + "_monthly";
    this.alerts = prefix + "_alerts";
    this.failover = prefix + "_failover";
    this.maintenance = prefix + "_maintenance";
  }

  /**
   * Validates a table prefix.
   *
   * @throws IllegalArgumentException naming the prefix when it is not a safe table name
   */
  public static void checkPrefix(String prefix) {
    if (prefix == null || !PREFIX.matcher(prefix).matches()) {
      throw new IllegalArgumentException("table must be lower-case letters, digits and underscores, starting with a"
          + " letter, at most 40 characters, got '" + prefix + "'");
    }
  }

  private Connection open() throws SQLException {
    Connection c = dataSource.getConnection();
    if (!ready) {
      try {
        createTables(c);
      } catch (SQLException e) {
        c.close();
        throw e;
      }
    }
    return c;
  }

  private synchronized void createTables(Connection c) throws SQLException {
    if (ready) {
      return;
    }
    create(c, events, "CREATE TABLE IF NOT EXISTS " + events + " (report_id VARCHAR(200) NOT NULL,"
        + " stream VARCHAR(8) NOT NULL, seq INT NOT NULL, kind VARCHAR(16) NOT NULL, at_s BIGINT NOT NULL,"
        + " at_n INT NOT NULL, rnk INT NOT NULL, actor VARCHAR(200) NOT NULL, assignee VARCHAR(200) NOT NULL,"
        + " is_queue SMALLINT NOT NULL, note VARCHAR(2000) NOT NULL, customer VARCHAR(200) NOT NULL,"
        + " PRIMARY KEY (report_id, stream, seq))");
    create(c, probes, "CREATE TABLE IF NOT EXISTS " + probes + " (site VARCHAR(63) NOT NULL, probe VARCHAR(400) NOT NULL,"
        + " at_s BIGINT NOT NULL, at_n INT NOT NULL, healthy SMALLINT NOT NULL, detail VARCHAR(1000) NOT NULL,"
        + " PRIMARY KEY (site, probe, at_s, at_n))");
    create(c, monthly, "CREATE TABLE IF NOT EXISTS " + monthly + " (site VARCHAR(63) NOT NULL, month_of CHAR(7) NOT NULL,"
        + " produced_s BIGINT NOT NULL, produced_n INT NOT NULL, uptime VARCHAR(40) NOT NULL, target VARCHAR(20) NOT NULL,"
        + " met SMALLINT NOT NULL, down_minutes BIGINT NOT NULL, PRIMARY KEY (site, month_of, produced_s, produced_n))");
    create(c, alerts, "CREATE TABLE IF NOT EXISTS " + alerts + " (at_s BIGINT NOT NULL, at_n INT NOT NULL,"
        + " cond VARCHAR(300) NOT NULL, channel VARCHAR(40) NOT NULL, destination VARCHAR(200) NOT NULL,"
        + " delivered SMALLINT NOT NULL, title VARCHAR(400) NOT NULL, error VARCHAR(1000) NOT NULL)");
    create(c, failover, "CREATE TABLE IF NOT EXISTS " + failover + " (grp VARCHAR(200) NOT NULL, at_s BIGINT NOT NULL,"
        + " at_n INT NOT NULL, kind VARCHAR(20) NOT NULL, detail VARCHAR(1000) NOT NULL)");
    create(c, maintenance, "CREATE TABLE IF NOT EXISTS " + maintenance + " (id VARCHAR(200) NOT NULL, kind VARCHAR(20)"
        + " NOT NULL, site VARCHAR(63) NOT NULL, start_s BIGINT NOT NULL, start_n INT NOT NULL, end_s BIGINT NOT NULL,"
        + " end_n INT NOT NULL, announced_s BIGINT NOT NULL, announced_n INT NOT NULL, emergency SMALLINT NOT NULL,"
        + " impact VARCHAR(1000) NOT NULL, PRIMARY KEY (id, kind))");
    // Every read is by time: an index on each time column keeps a long history quick to judge.
    index(c, events, "at_s");
    index(c, probes, "at_s");
    index(c, monthly, "produced_s");
    index(c, alerts, "at_s");
    index(c, failover, "at_s");
    index(c, maintenance, "start_s");
    index(c, maintenance, "end_s");
    ready = true;
  }

  /** Creates a table; when another node created it at the same moment, that is as good. */
  private static void create(Connection c, String table, String ddl) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.executeUpdate(ddl);
    } catch (SQLException e) {
      try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT 1 FROM " + table + " WHERE 1 = 0")) {
        return; // it exists
      } catch (SQLException again) {
        e.addSuppressed(again);
        throw e;
      }
    }
  }

  /**
   * Creates {@code TABLE_COLUMN_ix} unless it exists (PostgreSQL 9.5+, MariaDB 10.1.4+ and H2 all
   * know {@code IF NOT EXISTS}); an index another node created at the same moment is as good.
   */
  private static void index(Connection c, String table, String column) {
    try (Statement s = c.createStatement()) {
      s.executeUpdate("CREATE INDEX IF NOT EXISTS " + table + "_" + column + "_ix ON " + table + " (" + column + ")");
    } catch (SQLException e) {
      org.slf4j.LoggerFactory.getLogger(JdbcSlaHistory.class).debug("index on {}.{} not created: {}", table, column,
          e.getMessage());
    }
  }

  @Override
  public void appendDelivery(AlertDeliveryRecord d) {
    Objects.requireNonNull(d, "delivery");
    try (Connection c = open();
        PreparedStatement p = c.prepareStatement("INSERT INTO " + alerts
            + " (at_s, at_n, cond, channel, destination, delivered, title, error) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
      p.setLong(1, d.at().getEpochSecond());
      p.setInt(2, d.at().getNano());
      p.setString(3, cut(d.condition(), 300));
      p.setString(4, cut(d.channel(), 40));
      p.setString(5, cut(d.destination(), 200));
      p.setShort(6, (short) (d.delivered() ? 1 : 0));
      p.setString(7, cut(d.title(), 400));
      p.setString(8, cut(d.error(), 1000));
      p.executeUpdate();
    } catch (SQLException ex) {
      throw fail("record the delivery of alert " + d.condition() + " on " + d.channel(), ex);
    }
  }

  @Override
  public void appendFailover(FailoverRecord e) {
    Objects.requireNonNull(e, "event");
    try (Connection c = open();
        PreparedStatement p = c.prepareStatement("INSERT INTO " + failover
            + " (grp, at_s, at_n, kind, detail) VALUES (?, ?, ?, ?, ?)")) {
      p.setString(1, cut(e.group(), 200));
      p.setLong(2, e.at().getEpochSecond());
      p.setInt(3, e.at().getNano());
      p.setString(4, e.kind().name());
      p.setString(5, cut(e.detail(), 1000));
      p.executeUpdate();
    } catch (SQLException ex) {
      throw fail("record failover event " + e.kind() + " of group " + e.group(), ex);
    }
  }

  @Override
  public void appendMaintenance(MaintenanceRecord r) {
    Objects.requireNonNull(r, "window");
    MaintenanceWindow w = r.window();
    insertWindow(r.id(), r.kind().name(), r.site().value(), w.start(), w.end(), w.announced(), w.emergency(), w.impact());
  }

  @Override
  public void appendCancellation(String id, Instant at) {
    Objects.requireNonNull(at, "at");
    insertWindow(id, CANCELLED, "", at, at, at, false, "");
  }

  private void insertWindow(String id, String kind, String site, Instant start, Instant end, Instant announced,
      boolean emergency, String impact) {
    if (id == null || id.isBlank() || id.length() > 200) {
      throw new IllegalArgumentException("id must be 1 to 200 characters, got '" + id + "'");
    }
    try (Connection c = open();
        PreparedStatement p = c.prepareStatement("INSERT INTO " + maintenance + " (id, kind, site, start_s, start_n,"
            + " end_s, end_n, announced_s, announced_n, emergency, impact) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      p.setString(1, id);
      p.setString(2, kind);
      p.setString(3, site);
      p.setLong(4, start.getEpochSecond());
      p.setInt(5, start.getNano());
      p.setLong(6, end.getEpochSecond());
      p.setInt(7, end.getNano());
      p.setLong(8, announced.getEpochSecond());
      p.setInt(9, announced.getNano());
      p.setShort(10, (short) (emergency ? 1 : 0));
      p.setString(11, cut(impact, 1000));
      p.executeUpdate();
    } catch (SQLException ex) {
      if (ex.getSQLState() != null && ex.getSQLState().startsWith("23")) {
        throw new PledgeException("SLA history: maintenance window " + id + " is already recorded"
            + (CANCELLED.equals(kind) ? " as cancelled" : ""), ex);
      }
      throw fail("record maintenance window " + id, ex);
    }
  }

  @Override
  public List<AlertDeliveryRecord> deliveries(Instant from, Instant to) {
    List<AlertDeliveryRecord> out = new ArrayList<>();
    try (Connection c = open();
        PreparedStatement p = c.prepareStatement("SELECT at_s, at_n, cond, channel, destination, delivered, title, error"
            + " FROM " + alerts + " WHERE at_s >= ? AND at_s <= ? ORDER BY at_s, at_n")) {
      p.setLong(1, from.getEpochSecond());
      p.setLong(2, to.getEpochSecond());
      try (ResultSet rs = p.executeQuery()) {
        while (rs.next()) {
          Instant at = Instant.ofEpochSecond(rs.getLong(1), rs.getInt(2));
          if (!at.isBefore(from) && at.isBefore(to)) {
            out.add(new AlertDeliveryRecord(at, rs.getString(3), rs.getString(4), rs.getString(5), rs.getShort(6) != 0,
                rs.getString(7), rs.getString(8)));
          }
        }
      }
    } catch (SQLException ex) {
      throw fail("read the alert deliveries of " + from + " to " + to, ex);
    }
    return out;
  }

  @Override
  public List<FailoverRecord> failovers(Instant from, Instant to) {
    List<FailoverRecord> out = new ArrayList<>();
    try (Connection c = open();
        PreparedStatement p = c.prepareStatement("SELECT grp, at_s, at_n, kind, detail FROM " + failover
            + " WHERE at_s >= ? AND at_s <= ? ORDER BY at_s, at_n")) {
      p.setLong(1, from.getEpochSecond());
      p.setLong(2, to.getEpochSecond());
      try (ResultSet rs = p.executeQuery()) {
        while (rs.next()) {
          Instant at = Instant.ofEpochSecond(rs.getLong(2), rs.getInt(3));
          String kind = rs.getString(4).strip();
          FailoverRecord.Kind k;
          try {
            k = FailoverRecord.Kind.valueOf(kind);
          } catch (IllegalArgumentException bad) {
            throw new PledgeException("SLA history: failover event of " + rs.getString(1) + " at " + at
                + " has an unknown kind '" + kind + "'", bad);
          }
          if (!at.isBefore(from) && at.isBefore(to)) {
            out.add(new FailoverRecord(rs.getString(1), at, k, rs.getString(5)));
          }
        }
      }
    } catch (SQLException ex) {
      throw fail("read the failover events of " + from + " to " + to, ex);
    }
    return out;
  }

  @Override
  public List<MaintenanceRecord> maintenance(Instant from, Instant to) {
    java.util.Map<String, Instant> cancelled = new java.util.HashMap<>();
    List<Object[]> rows = new ArrayList<>();
    try (Connection c = open()) {
      try (PreparedStatement p = c.prepareStatement("SELECT id, kind, site, start_s, start_n, end_s, end_n, announced_s,"
          + " announced_n, emergency, impact FROM " + maintenance + " WHERE kind <> '" + CANCELLED + "' AND ((start_s <= ?"
          + " AND end_s >= ?) OR (announced_s >= ? AND announced_s <= ?)) ORDER BY start_s, start_n, id")) {
        p.setLong(1, to.getEpochSecond());
        p.setLong(2, from.getEpochSecond());
        p.setLong(3, from.getEpochSecond());
        p.setLong(4, to.getEpochSecond());
        try (ResultSet rs = p.executeQuery()) {
          while (rs.next()) {
            rows.add(new Object[] {rs.getString(1), rs.getString(2).strip(), rs.getString(3),
                Instant.ofEpochSecond(rs.getLong(4), rs.getInt(5)), Instant.ofEpochSecond(rs.getLong(6), rs.getInt(7)),
                Instant.ofEpochSecond(rs.getLong(8), rs.getInt(9)), rs.getShort(10) != 0, rs.getString(11)});
          }
        }
      }
      try (PreparedStatement p = c.prepareStatement("SELECT id, start_s, start_n FROM " + maintenance + " WHERE kind = '"
          + CANCELLED + "'"); ResultSet rs = p.executeQuery()) {
        while (rs.next()) {
          cancelled.put(rs.getString(1), Instant.ofEpochSecond(rs.getLong(2), rs.getInt(3)));
        }
      }
    } catch (SQLException ex) {
      throw fail("read the maintenance windows of " + from + " to " + to, ex);
    }
    List<MaintenanceRecord> out = new ArrayList<>();
    for (Object[] r : rows) {
      String id = (String) r[0];
      try {
        MaintenanceWindow w = new MaintenanceWindow((Instant) r[3], (Instant) r[4], (Instant) r[5], (Boolean) r[6],
            (String) r[7]);
        boolean overlaps = w.start().isBefore(to) && w.end().isAfter(from);
        boolean announcedIn = !w.announced().isBefore(from) && w.announced().isBefore(to);
        if (overlaps || announcedIn) {
          out.add(new MaintenanceRecord(id, SiteId.of((String) r[2]), MaintenanceRecord.Kind.valueOf((String) r[1]), w,
              Optional.ofNullable(cancelled.get(id))));
        }
      } catch (RuntimeException bad) {
        throw new PledgeException("SLA history: maintenance window " + id + " cannot be read: " + bad.getMessage(), bad);
      }
    }
    return out;
  }

  @Override
  public void appendClock(String reportId, String customer, int seq, SlaEvent e) {
    Objects.requireNonNull(e, "event");
    int rank = e instanceof SlaEvent.Opened o ? o.rank() : e instanceof SlaEvent.Reclassified r ? r.rank() : 0;
    String note = e instanceof SlaEvent.Paused p ? p.reason() : "";
    insertEvent(reportId, CLOCK, seq, e.kind(), e.at(), rank, "", "", false, note,
        seq == 0 && customer != null ? customer : "");
  }

  @Override
  public void appendTriage(String reportId, int seq, TriageEvent e) {
    Objects.requireNonNull(e, "event");
    if (e instanceof TriageEvent.Classified c) {
      insertEvent(reportId, TRIAGE, seq, "classified", c.at(), c.rank(), c.by(), "", false, String.join("\n", c.reasons()), "");
    } else if (e instanceof TriageEvent.Assigned a) {
      insertEvent(reportId, TRIAGE, seq, "assigned", a.at(), 0, a.by(), a.to().id(), a.to().queue(), a.note(), "");
    } else if (e instanceof TriageEvent.Reclassified r) {
      insertEvent(reportId, TRIAGE, seq, "reclassified", r.at(), r.rank(), r.by(), "", false, r.reason(), "");
    } else {
      throw new IllegalArgumentException("unknown triage event " + e.getClass().getSimpleName());
    }
  }

  private void insertEvent(String reportId, String stream, int seq, String kind, Instant at, int rank, String actor,
      String assignee, boolean queue, String note, String customer) {
    if (reportId == null || reportId.isBlank() || reportId.length() > 200) {
      throw new IllegalArgumentException("reportId must be 1 to 200 characters, got '" + reportId + "'");
    }
    if (seq < 0) {
      throw new IllegalArgumentException("seq must not be negative, got " + seq);
    }
    try (Connection c = open();
        PreparedStatement p = c.prepareStatement("INSERT INTO " + events + " (report_id, stream, seq, kind, at_s, at_n,"
            + " rnk, actor, assignee, is_queue, note, customer) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      p.setString(1, reportId);
      p.setString(2, stream);
      p.setInt(3, seq);
      p.setString(4, kind);
      p.setLong(5, at.getEpochSecond());
      p.setInt(6, at.getNano());
      p.setInt(7, rank);
      p.setString(8, cut(actor, 200));
      p.setString(9, cut(assignee, 200));
      p.setShort(10, (short) (queue ? 1 : 0));
      p.setString(11, cut(note, 2000));
      p.setString(12, cut(customer, 200));
      p.executeUpdate();
    } catch (SQLException ex) {
      if (ex.getSQLState() != null && ex.getSQLState().startsWith("23")) {
        throw new PledgeException("SLA history: report " + reportId + ": " + stream + " event #" + seq
            + " is already recorded (another writer appended to this report)", ex);
      }
      throw fail("record " + stream + " event #" + seq + " of report " + reportId, ex);
    }
  }

  @Override
  public void appendProbes(List<ProbeRecord> list) {
    if (list.isEmpty()) {
      return;
    }
    try (Connection c = open();
        PreparedStatement p = c.prepareStatement("INSERT INTO " + probes
            + " (site, probe, at_s, at_n, healthy, detail) VALUES (?, ?, ?, ?, ?, ?)")) {
      for (ProbeRecord r : list) {
        p.setString(1, r.site().value());
        p.setString(2, cut(r.probe(), 400));
        p.setLong(3, r.at().getEpochSecond());
        p.setInt(4, r.at().getNano());
        p.setShort(5, (short) (r.healthy() ? 1 : 0));
        p.setString(6, cut(r.detail(), 1000));
        p.addBatch();
      }
      p.executeBatch();
    } catch (SQLException ex) {
      throw fail("record " + list.size() + " probe results", ex);
    }
  }

  @Override
  public void appendMonthlyReport(MonthlyReportRecord r) {
    try (Connection c = open();
        PreparedStatement p = c.prepareStatement("INSERT INTO " + monthly
            + " (site, month_of, produced_s, produced_n, uptime, target, met, down_minutes) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
      p.setString(1, r.site().value());
      p.setString(2, r.month().toString());
      p.setLong(3, r.producedAt().getEpochSecond());
      p.setInt(4, r.producedAt().getNano());
      p.setString(5, r.uptimePercent().toPlainString());
      p.setString(6, cut(r.target(), 20));
      p.setShort(7, (short) (r.met() ? 1 : 0));
      p.setLong(8, r.downMinutes());
      p.executeUpdate();
    } catch (SQLException ex) {
      throw fail("record the monthly report of " + r.site() + " for " + r.month(), ex);
    }
  }

  @Override
  public List<SlaEvent> clockEvents(String reportId) {
    return load(reportId).clock();
  }

  @Override
  public List<TriageEvent> triageEvents(String reportId) {
    return load(reportId).triage();
  }

  private ReportHistory load(String reportId) {
    try (Connection c = open()) {
      return load(c, reportId);
    } catch (SQLException ex) {
      throw fail("read the history of report " + reportId, ex);
    }
  }

  private ReportHistory load(Connection c, String reportId) throws SQLException {
    List<SlaEvent> clock = new ArrayList<>();
    List<TriageEvent> triage = new ArrayList<>();
    String customer = "";
    try (PreparedStatement p = c.prepareStatement("SELECT stream, seq, kind, at_s, at_n, rnk, actor, assignee, is_queue,"
        + " note, customer FROM " + events + " WHERE report_id = ? ORDER BY stream, seq")) {
      p.setString(1, reportId);
      try (ResultSet rs = p.executeQuery()) {
        while (rs.next()) {
          String stream = rs.getString(1);
          int seq = rs.getInt(2);
          String kind = rs.getString(3);
          Instant at = Instant.ofEpochSecond(rs.getLong(4), rs.getInt(5));
          int rank = rs.getInt(6);
          String actor = rs.getString(7);
          String where = "report " + reportId + ", " + stream + " event #" + seq + " (" + kind + ")";
          try {
            if (CLOCK.equals(stream)) {
              if (seq != clock.size()) {
                throw new IllegalStateException("event #" + clock.size() + " is missing");
              }
              if (seq == 0) {
                customer = rs.getString(11);
              }
              clock.add(clockEvent(kind, at, rank, rs.getString(10)));
            } else if (TRIAGE.equals(stream)) {
              if (seq != triage.size()) {
                throw new IllegalStateException("event #" + triage.size() + " is missing");
              }
              triage.add(triageEvent(reportId, kind, at, rank, actor, rs.getString(8), rs.getShort(9) != 0,
                  rs.getString(10)));
            } else {
              throw new IllegalStateException("unknown stream");
            }
          } catch (IllegalArgumentException | IllegalStateException bad) {
            throw new PledgeException("SLA history: " + where + " cannot be read: " + bad.getMessage(), bad);
          }
        }
      }
    }
    return new ReportHistory(reportId, customer == null || customer.isEmpty() ? Optional.empty() : Optional.of(customer),
        clock, triage);
  }

  private static SlaEvent clockEvent(String kind, Instant at, int rank, String note) {
    return switch (kind) {
      case "opened" -> new SlaEvent.Opened(at, rank);
      case "responded" -> new SlaEvent.Responded(at);
      case "paused" -> new SlaEvent.Paused(at, note);
      case "resumed" -> new SlaEvent.Resumed(at);
      case "reclassified" -> new SlaEvent.Reclassified(at, rank);
      case "resolved" -> new SlaEvent.Resolved(at);
      default -> throw new IllegalArgumentException("unknown kind '" + kind + "'");
    };
  }

  private static TriageEvent triageEvent(String reportId, String kind, Instant at, int rank, String actor, String assignee,
      boolean queue, String note) {
    return switch (kind) {
      case "classified" -> new TriageEvent.Classified(at, reportId, rank,
          note.isEmpty() ? List.of() : Arrays.asList(note.split("\n")), actor);
      case "assigned" -> new TriageEvent.Assigned(at, new TriageEvent.Assignee(queue, assignee), actor, note);
      case "reclassified" -> new TriageEvent.Reclassified(at, rank, actor, note);
      default -> throw new IllegalArgumentException("unknown kind '" + kind + "'");
    };
  }

  @Override
  public List<ReportHistory> reports(Instant from, Instant to) {
    TreeSet<String> ids = new TreeSet<>();
    try (Connection c = open()) {
      try (PreparedStatement p = c.prepareStatement("SELECT DISTINCT report_id FROM " + events
          + " WHERE at_s >= ? AND at_s <= ?")) {
        p.setLong(1, from.getEpochSecond());
        p.setLong(2, to.getEpochSecond());
        collect(p, ids);
      }
      try (PreparedStatement p = c.prepareStatement("SELECT e.report_id FROM " + events + " e WHERE e.stream = '" + CLOCK
          + "' AND e.seq = 0 AND e.at_s <= ? AND NOT EXISTS (SELECT 1 FROM " + events + " x WHERE x.report_id = e.report_id"
          + " AND x.stream = '" + CLOCK + "' AND x.kind IN ('responded', 'resolved') AND x.at_s < ?)")) {
        p.setLong(1, to.getEpochSecond());
        p.setLong(2, from.getEpochSecond());
        collect(p, ids);
      }
      List<ReportHistory> out = new ArrayList<>();
      for (String id : ids) {
        ReportHistory h = load(c, id);
        if (touches(h, from, to)) {
          out.add(h);
        }
      }
      return out;
    } catch (SQLException ex) {
      throw fail("read the reports of " + from + " to " + to, ex);
    }
  }

  /** An event in {@code [from, to)}, or a clock opened before {@code to} and not stopped before {@code from}. */
  private static boolean touches(ReportHistory h, Instant from, Instant to) {
    if (h.clock().stream().anyMatch(e -> !e.at().isBefore(from) && e.at().isBefore(to))
        || h.triage().stream().anyMatch(e -> !e.at().isBefore(from) && e.at().isBefore(to))) {
      return true;
    }
    if (h.clock().isEmpty() || !h.clock().get(0).at().isBefore(to)) {
      return false;
    }
    return h.clock().stream().noneMatch(e -> (e instanceof SlaEvent.Responded || e instanceof SlaEvent.Resolved)
        && e.at().isBefore(from));
  }

  private static void collect(PreparedStatement p, TreeSet<String> ids) throws SQLException {
    try (ResultSet rs = p.executeQuery()) {
      while (rs.next()) {
        ids.add(rs.getString(1));
      }
    }
  }

  @Override
  public List<ProbeRecord> probes(Instant from, Instant to) {
    List<ProbeRecord> out = new ArrayList<>();
    try (Connection c = open();
        PreparedStatement p = c.prepareStatement("SELECT site, probe, at_s, at_n, healthy, detail FROM " + probes
            + " WHERE at_s >= ? AND at_s <= ? ORDER BY at_s, at_n, site, probe")) {
      p.setLong(1, from.getEpochSecond());
      p.setLong(2, to.getEpochSecond());
      try (ResultSet rs = p.executeQuery()) {
        while (rs.next()) {
          Instant at = Instant.ofEpochSecond(rs.getLong(3), rs.getInt(4));
          if (!at.isBefore(from) && at.isBefore(to)) {
            out.add(new ProbeRecord(SiteId.of(rs.getString(1)), rs.getString(2), at, rs.getShort(5) != 0, rs.getString(6)));
          }
        }
      }
    } catch (SQLException ex) {
      throw fail("read the probe results of " + from + " to " + to, ex);
    }
    return out;
  }

  @Override
  public List<MonthlyReportRecord> monthlyReports() {
    List<MonthlyReportRecord> out = new ArrayList<>();
    try (Connection c = open();
        PreparedStatement p = c.prepareStatement("SELECT site, month_of, produced_s, produced_n, uptime, target, met,"
            + " down_minutes FROM " + monthly + " ORDER BY site, month_of, produced_s, produced_n");
        ResultSet rs = p.executeQuery()) {
      while (rs.next()) {
        String site = rs.getString(1);
        String month = rs.getString(2).strip();
        try {
          out.add(new MonthlyReportRecord(SiteId.of(site), YearMonth.parse(month),
              Instant.ofEpochSecond(rs.getLong(3), rs.getInt(4)), new BigDecimal(rs.getString(5).strip()),
              rs.getString(6), rs.getShort(7) != 0, rs.getLong(8)));
        } catch (RuntimeException bad) {
          throw new PledgeException("SLA history: the monthly report of " + site + " for '" + month
              + "' cannot be read: " + bad.getMessage(), bad);
        }
      }
    } catch (SQLException ex) {
      throw fail("read the monthly reports", ex);
    }
    return out;
  }

  private static String cut(String s, int max) {
    return s == null ? "" : s.length() > max ? s.substring(0, max) : s;
  }

  private PledgeException fail(String what, SQLException e) {
    return new PledgeException("SLA history (" + events + "): cannot " + what + ": " + e.getMessage(), e);
  }

  @Override
  public String toString() {
    return "JdbcSlaHistory[" + events + ", " + probes + ", " + monthly + ", " + alerts + ", " + failover + ", "
        + maintenance + "]";
  }
}
