package dev.pledge.core.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pledge.core.Scope;
import dev.pledge.core.testing.Requirements;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The JDBC store keeps one linear chain when two nodes (two stores, two trails) append at once, on the
 * machine's PostgreSQL and MariaDB and on embedded H2; edits and deletions made in SQL are found
 * (P14, P20).
 */
class JdbcAuditStoreTest {
  private static final CheckpointKey KEY = CheckpointKey.generateEd25519();
  private static final Instant T0 = Instant.parse("2026-11-01T06:00:00Z");

  @TempDir
  Path dir;
  private final List<JdbcAuditStore> toDrop = new ArrayList<>();
  private final String prefix = "t_audit_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
  private String url;

  private String url(String db) {
    switch (db) {
      case "postgresql" -> {
        Requirements.requirePostgres();
        return "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";
      }
      case "mariadb" -> {
        Requirements.requireMariaDb();
        return "jdbc:mariadb://127.0.0.1:3306/test?user=root";
      }
      default -> {
        return "jdbc:h2:file:" + dir.resolve("h2/audit") + ";DB_CLOSE_DELAY=-1";
      }
    }
  }

  private JdbcAuditStore store() {
    JdbcAuditStore s = JdbcAuditStore.create(url, prefix);
    toDrop.add(s);
    return s;
  }

  @AfterEach
  void dropTables() {
    if (!toDrop.isEmpty()) {
      toDrop.get(0).dropTables();
    }
    toDrop.forEach(JdbcAuditStore::close);
  }

  private void sql(String statement) throws Exception {
    try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement()) {
      st.executeUpdate(statement);
    }
  }

  private AuditVerification verify() {
    try (JdbcAuditStore s = JdbcAuditStore.create(url, prefix)) {
      return AuditVerifier.create().key(KEY).verify(s);
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"h2", "postgresql", "mariadb"})
  void twoNodesAppendingAtOnceKeepOneLinearChainWithEveryRecord(String db) throws Exception {
    url = url(db);
    int perThread = 60;
    List<Thread> threads = new ArrayList<>();
    CountDownLatch go = new CountDownLatch(1);
    try (ChainedAuditTrail nodeA = ChainedAuditTrail.builder(store()).key(KEY).checkpointEvery(50).build();
        ChainedAuditTrail nodeB = ChainedAuditTrail.builder(store()).key(KEY).checkpointEvery(50).build()) {
      for (int t = 0; t < 8; t++) {
        ChainedAuditTrail node = t % 2 == 0 ? nodeA : nodeB;
        String actor = (t % 2 == 0 ? "a" : "b") + t;
        Thread th = new Thread(() -> {
          try {
            go.await();
          } catch (InterruptedException e) {
            return;
          }
          for (int n = 0; n < perThread; n++) {
            node.record(new AuditRecord(T0.plusSeconds(n), actor, "test.append", "r-" + n,
                n % 10 == 0 ? AuditOutcome.DENIED : AuditOutcome.SUCCESS, Scope.of("shop", "production"),
                Map.of("quote", "she said \"no\"\n", "n", String.valueOf(n))));
          }
        });
        threads.add(th);
        th.start();
      }
      go.countDown();
      for (Thread th : threads) {
        th.join();
      }
    }
    if (!db.equals("h2")) { // PostgreSQL: one WITH statement; MariaDB: one compound statement
      assertThat(toDrop).allSatisfy(s -> assertThat(s.groupsInOneRoundTrip()).as(db).isTrue());
    }
    AuditVerification v = verify();
    assertThat(v.intact()).as(v.toString()).isTrue();
    assertThat(v.records()).isEqualTo(8 * perThread);
    assertThat(v.checkpoints()).isGreaterThanOrEqualTo(8 * perThread / 50);

    try (JdbcAuditStore s = JdbcAuditStore.create(url, prefix)) {
      try (Stream<ChainedRecord> r = s.records(AuditQuery.builder().actor("b3").outcome(AuditOutcome.DENIED).build())) {
        assertThat(r.map(c -> c.record().resource())).containsExactly("r-0", "r-10", "r-20", "r-30", "r-40", "r-50");
      }
      try (Stream<ChainedRecord> r = s.records(AuditQuery.builder().from(T0.plusSeconds(10)).to(T0.plusSeconds(12))
          .build())) {
        assertThat(r.count()).isEqualTo(16);
      }
      List<ChainedRecord> tail = s.tail(3);
      assertThat(tail).extracting(ChainedRecord::seq).containsExactly(478L, 479L, 480L);
      assertThat(tail.get(0).record().details()).containsEntry("quote", "she said \"no\"\n");
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"h2", "postgresql", "mariadb"})
  void anEditOrADeletionMadeInSqlIsFoundAndNamed(String db) throws Exception {
    url = url(db);
    try (ChainedAuditTrail trail = ChainedAuditTrail.builder(store()).key(KEY).checkpointEvery(4).build()) {
      for (int n = 1; n <= 12; n++) {
        trail.record(AuditRecord.of(T0.plusSeconds(n), n == 5 ? "mallory" : "alice", "access.grant", "db/shop",
            AuditOutcome.SUCCESS));
      }
    }
    assertThat(verify().intact()).isTrue();

    sql("UPDATE " + prefix + "_records SET actor = 'alice' WHERE seq = 5");
    AuditVerification edited = verify();
    assertThat(edited.finding()).isNotNull();
    assertThat(edited.finding().kind()).isEqualTo(AuditVerification.Tampering.EDITED);
    assertThat(edited.finding().seq()).isEqualTo(5);

    sql("UPDATE " + prefix + "_records SET actor = 'mallory' WHERE seq = 5");
    sql("DELETE FROM " + prefix + "_records WHERE seq = 9");
    AuditVerification deleted = verify();
    assertThat(deleted.finding().kind()).isEqualTo(AuditVerification.Tampering.DELETED);
    assertThat(deleted.finding().seq()).isEqualTo(9);

    sql("DELETE FROM " + prefix + "_records WHERE seq >= 9");
    AuditVerification cut = verify();
    assertThat(cut.finding().kind()).as(cut.toString()).isEqualTo(AuditVerification.Tampering.TRUNCATED);
    assertThat(cut.finding().seq()).isEqualTo(9);
  }
}
