package dev.pledge.benchmarks;

import dev.pledge.core.audit.AuditOutcome;
import dev.pledge.core.audit.AuditRecord;
import dev.pledge.core.audit.ChainedAuditTrail;
import dev.pledge.core.audit.Durability;
import dev.pledge.core.audit.JdbcAuditStore;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Audit records into PostgreSQL (127.0.0.1:5432, database {@code test}) or, with
 * {@code -p db=mariadb}, MariaDB (127.0.0.1:3306, database {@code test}), or the database at
 * {@code -Durl=...}, from many threads, each durable before the call returns (P20): the chained JDBC trail with group commit
 * ({@code group}: one transaction per group under the head-row lock; {@code group-nogather} without
 * waiting for the callers just acknowledged), beside the plainest peer, one
 * autocommitted {@code INSERT} per record on a connection per thread with no chain at all
 * ({@code autocommit}). One op = one record.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 1, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(1)
@Threads(32)
public class AuditJdbcBenchmark {
  @Param({"group", "group-nogather", "autocommit"})
  public String impl;

  /** {@code postgresql} or {@code mariadb}; {@code -Durl=...} overrides either. */
  @Param({"postgresql"})
  public String db;

  String url;

  private final String prefix = "bench_audit_" + Long.toHexString(System.nanoTime());
  private JdbcAuditStore store;
  private ChainedAuditTrail trail;
  private final AuditRecord record = AuditRecord.of(Instant.parse("2026-11-01T06:30:00Z"), "alice",
      "access.grant", "db/shop", AuditOutcome.SUCCESS).withDetail("role", "operations");

  @Setup
  public void setUp() throws SQLException {
    url = System.getProperty("url", db.equals("mariadb") ? "jdbc:mariadb://127.0.0.1:3306/test?user=root"
        : "jdbc:postgresql://127.0.0.1:5432/test?user=postgres");
    store = JdbcAuditStore.create(url, prefix);
    trail = ChainedAuditTrail.builder(store).durability(impl.equals("group-nogather")
        ? Durability.grouped(1000).withoutGathering() : Durability.grouped(1000)).ownsStore(false).build();
    try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement()) {
      String id = url.startsWith("jdbc:mariadb:") || url.startsWith("jdbc:mysql:") ? "BIGINT AUTO_INCREMENT"
          : "BIGSERIAL";
      st.execute("CREATE TABLE " + prefix + "_plain (id " + id + " PRIMARY KEY, at_us BIGINT NOT NULL,"
          + " actor VARCHAR(255) NOT NULL, action VARCHAR(255) NOT NULL, resource VARCHAR(1000) NOT NULL,"
          + " outcome VARCHAR(16) NOT NULL, details TEXT NOT NULL)");
    }
  }

  @TearDown
  public void tearDown() throws SQLException {
    trail.close();
    store.dropTables();
    store.close();
    try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement()) {
      st.execute("DROP TABLE IF EXISTS " + prefix + "_plain");
    }
  }

  /** One connection per thread for the autocommit peer. */
  @State(Scope.Thread)
  public static class Plain {
    Connection c;
    PreparedStatement ps;

    @Setup
    public void open(AuditJdbcBenchmark b) throws SQLException {
      if (b.impl.equals("autocommit")) {
        c = DriverManager.getConnection(b.url);
        ps = c.prepareStatement("INSERT INTO " + b.prefix + "_plain (at_us, actor, action, resource, outcome, details)"
            + " VALUES (?, ?, ?, ?, ?, ?)");
      }
    }

    @TearDown
    public void close() throws SQLException {
      if (c != null) {
        c.close();
      }
    }
  }

  @Benchmark
  public void record(Plain plain) throws SQLException {
    if (plain.ps == null) {
      trail.record(record);
      return;
    }
    PreparedStatement ps = plain.ps;
    ps.setLong(1, 1_793_507_400_000_000L);
    ps.setString(2, record.actor());
    ps.setString(3, record.action());
    ps.setString(4, record.resource());
    ps.setString(5, record.outcome().name());
    ps.setString(6, "{\"role\":\"operations\"}");
    ps.executeUpdate();
  }
}
