package dev.pledge.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pledge.backup.crypto.LocalKeyWrapper;
import dev.pledge.backup.schedule.BackupFreshness;
import dev.pledge.core.audit.AuditOutcome;
import dev.pledge.core.audit.AuditRecord;
import dev.pledge.core.audit.AuditTrail;
import dev.pledge.security.ratelimit.LoginThrottle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * What the starter opens for the application is closed with the Spring context: the audit trail's
 * connection to the machine's real PostgreSQL (counted in {@code pg_stat_activity}), the backup stores
 * the policy names and the login throttle's shared store (both plugged in through Pledge's provider
 * interfaces, as {@code pledge-backup-s3} and {@code pledge-security-redis} plug in theirs).
 */
class ClosingWithTheContextTest {
  private static final String PG = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";

  @TempDir Path tmp;

  private static String suffix() {
    return HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
  }

  private static Connection postgres() {
    try {
      return DriverManager.getConnection(PG);
    } catch (SQLException e) {
      if ("true".equals(System.getenv("CI"))) {
        throw new IllegalStateException("PostgreSQL at 127.0.0.1:5432 is needed in CI: " + e.getMessage(), e);
      }
      Assumptions.abort("PostgreSQL at 127.0.0.1:5432 (user postgres, db test) is not reachable: " + e.getMessage());
      return null;
    }
  }

  private static int sessions(Connection admin, String applicationName) throws SQLException {
    try (PreparedStatement st = admin.prepareStatement("select count(*) from pg_stat_activity where application_name = ?")) {
      st.setString(1, applicationName);
      try (ResultSet rs = st.executeQuery()) {
        rs.next();
        return rs.getInt(1);
      }
    }
  }

  /**
   * The sessions of {@code applicationName} once closed ones have left. A client's close sends
   * Terminate and returns; the server's backend then exits on its own, so pg_stat_activity can list
   * it for a moment after close() returned (seen once in CI under load). A bounded poll of the real
   * server's state: an open connection stays listed through all of it and fails the test.
   */
  private static int sessionsOnceGone(Connection admin, String applicationName) throws Exception {
    long deadline = System.nanoTime() + java.time.Duration.ofSeconds(20).toNanos();
    int n = sessions(admin, applicationName);
    while (n > 0 && System.nanoTime() < deadline) {
      try (Statement st = admin.createStatement()) {
        st.execute("select pg_stat_clear_snapshot()"); // the next read sees the current activity, not a cached one
      }
      try (Statement st = admin.createStatement()) {
        st.execute("select pg_sleep(0.05)"); // wait on the server, not on the test's clock
      }
      n = sessions(admin, applicationName);
    }
    return n;
  }

  @Test
  void theAuditTrailsConnectionToPostgresqlIsClosedWithTheContext() throws Exception {
    String app = "pledge-starter-" + suffix();
    String table = "pledge_audit_starter_" + suffix();
    try (Connection admin = postgres()) {
      try {
        Files.writeString(tmp.resolve("policy.yaml"), "audit:\n  store: " + PG + "&ApplicationName=" + app + "\n"
            + "  table: " + table + "\n");
        ConfigurableApplicationContext[] kept = new ConfigurableApplicationContext[1];
        AuditTrail[] trail = new AuditTrail[1];
        new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(PledgeAutoConfiguration.class))
            .withPropertyValues("pledge.policy=" + tmp.resolve("policy.yaml"))
            .run(context -> {
              assertThat(context).hasNotFailed();
              kept[0] = context;
              trail[0] = context.getBean(AuditTrail.class);
              trail[0].record(new AuditRecord(Instant.parse("2026-11-02T10:00:00Z"), "alice", "access.grant", "shop-db",
                  AuditOutcome.SUCCESS, null, Map.of()));
              assertThat(sessions(admin, app)).as("the trail keeps its writer connection").isPositive();
            });
        assertThat(kept[0].isActive()).isFalse();
        assertThat(sessionsOnceGone(admin, app)).as("closed with the context").isZero();
        assertThatThrownBy(() -> trail[0].record(new AuditRecord(Instant.parse("2026-11-02T10:01:00Z"), "bob",
            "access.grant", "shop-db", AuditOutcome.SUCCESS, null, Map.of())))
            .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        try (Statement st = admin.createStatement();
            ResultSet rs = st.executeQuery("select count(*) from " + table + "_records")) {
          rs.next();
          assertThat(rs.getInt(1)).as("what was recorded before is kept").isEqualTo(1);
        }
      } finally {
        dropTables(admin, table);
      }
    }
  }

  private static void dropTables(Connection admin, String prefix) throws SQLException {
    List<String> mine = new ArrayList<>();
    try (PreparedStatement st = admin.prepareStatement(
        "select table_name from information_schema.tables where table_schema = current_schema() and table_name like ?")) {
      st.setString(1, prefix + "%");
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          mine.add(rs.getString(1));
        }
      }
    }
    try (Statement st = admin.createStatement()) {
      for (String t : mine) {
        st.execute("drop table if exists " + t);
      }
    }
  }

  @Test
  void theBackupStoresAndTheLoginStoreArClosedWithTheContextAndRefuseUseAfterwards() throws Exception {
    String london = "london-" + suffix();
    String dublin = "dublin-" + suffix();
    String logins = "tracked-" + suffix();
    LocalKeyWrapper.generate(tmp.resolve("backup.key"));
    Files.writeString(tmp.resolve("policy.yaml"), """
        backups:
          locations: [tracked://%s, tracked://%s]
          minimumLocations: 2
          key: {kind: LOCAL, file: backup.key}
          schedules:
            - {site: shop, environment: production, every: 5m}
        loginThrottle:
          store: redis://%s
        """.formatted(london, dublin, logins));
    BackupFreshness[] freshness = new BackupFreshness[1];
    new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(PledgeAutoConfiguration.class))
        .withPropertyValues("pledge.policy=" + tmp.resolve("policy.yaml"))
        .run(context -> {
          assertThat(context).hasNotFailed().hasSingleBean(PledgeBackupStores.class).hasSingleBean(LoginThrottle.class);
          assertThat(context.getBean(PledgeBackupStores.class).stores()).hasSize(2);
          assertThat(TrackedStores.OPEN).contains(london, dublin, logins);
          freshness[0] = context.getBean(BackupFreshness.class);
          assertThat(freshness[0].check()).singleElement().satisfies(s -> assertThat(s.stale()).isTrue());
        });
    assertThat(TrackedStores.OPEN).doesNotContain(london, dublin, logins);
    assertThat(TrackedStores.CLOSED).containsEntry(london, 1).containsEntry(dublin, 1).containsEntry(logins, 1);
    assertThatThrownBy(() -> freshness[0].check()).hasMessageContaining("is closed");
  }
}
