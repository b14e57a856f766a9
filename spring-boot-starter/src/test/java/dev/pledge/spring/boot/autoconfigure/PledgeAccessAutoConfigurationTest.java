package dev.pledge.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pledge.core.audit.AuditTrail;
import dev.pledge.core.audit.InMemoryAuditTrail;
import dev.pledge.core.lock.JdbcSlotLock;
import dev.pledge.core.lock.SlotLock;
import dev.pledge.core.policy.PolicyLoader;
import dev.pledge.core.time.MutableClock;
import dev.pledge.security.access.AccessBroker;
import dev.pledge.security.access.AccessGrant;
import dev.pledge.security.access.AccessPolicy;
import dev.pledge.security.access.AccessStore;
import dev.pledge.security.access.ExpirySweeper;
import dev.pledge.security.access.GrantStatus;
import dev.pledge.security.access.Person;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * The access-expiry sweeper (P15, P17) is there exactly when its collaborators are: the application's
 * {@link AccessBroker} and a lock, either the application's own or a {@link JdbcSlotLock} on its
 * {@link DataSource} (the machine's real PostgreSQL here) in the table the settings name, never an
 * in-memory one by default. It starts with the context, ends a grant past its end, and stops with it.
 */
class PledgeAccessAutoConfigurationTest {
  private static final String PG = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";
  private static final AccessPolicy POLICY = PolicyLoader.create().load("policy.yaml", """
      access:
        administrator: mark
        roles:
          - name: operations
            permissions: [database.read]
            production: true
      """).require(AccessPolicy.class);

  private final MutableClock clock = MutableClock.at("2026-11-02T09:00:00Z");
  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(PledgeAutoConfiguration.class, PledgeAccessAutoConfiguration.class))
      .withPropertyValues("pledge.policy=classpath:test-policy.yaml")
      .withBean(Clock.class, () -> clock);

  private static String suffix() {
    return HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
  }

  private static PGSimpleDataSource postgres() {
    PGSimpleDataSource ds = new PGSimpleDataSource();
    ds.setURL(PG);
    try (Connection c = ds.getConnection()) {
      return ds;
    } catch (SQLException e) {
      if ("true".equals(System.getenv("CI"))) {
        throw new IllegalStateException("PostgreSQL at 127.0.0.1:5432 is needed in CI: " + e.getMessage(), e);
      }
      Assumptions.abort("PostgreSQL at 127.0.0.1:5432 (user postgres, db test) is not reachable: " + e.getMessage());
      return null;
    }
  }

  private AccessBroker broker(AuditTrail audit) {
    return AccessBroker.builder(POLICY).clock(clock).audit(audit).store(AccessStore.inMemory()).node("api").build();
  }

  @Test
  void withTheBrokerAndALockOnTheDatabaseTheSweeperStartsWithTheContextEndsAGrantPastItsEndAndStopsWithIt()
      throws Exception {
    PGSimpleDataSource ds = postgres();
    String table = "pledge_api_expiry_slots_" + suffix();
    InMemoryAuditTrail audit = AuditTrail.inMemory();
    CountDownLatch expired = new CountDownLatch(1);
    AccessBroker broker = broker(r -> {
      audit.record(r);
      if (r.action().equals("access.expire")) {
        expired.countDown();
      }
    });
    broker.enrol(Person.employee("mark", "Mark"));
    broker.enrol(Person.employee("ana", "Ana"));
    AccessGrant grant = broker.grantJustInTime("ana", "operations", "shop/production", "INC-7",
        Duration.ofMinutes(5), "mark");
    clock.advance(Duration.ofMinutes(6));
    PledgeExpirySweeping[] sweeping = new PledgeExpirySweeping[1];
    try {
      runner.withBean(AccessBroker.class, () -> broker).withBean(DataSource.class, () -> ds)
          .withPropertyValues("pledge.access.expiry.lock-table=" + table, "pledge.access.expiry.node=api-node-1")
          .run(context -> {
            assertThat(context).hasNotFailed().hasSingleBean(JdbcSlotLock.class).hasSingleBean(ExpirySweeper.class);
            sweeping[0] = context.getBean(PledgeExpirySweeping.class);
            assertThat(sweeping[0].isRunning()).as("started with the context").isTrue();
            assertThat(sweeping[0].sweeper()).isSameAs(context.getBean(ExpirySweeper.class));
            // the first sweep runs at once on the sweeper's own thread; wait for it, bounded
            assertThat(expired.await(30, TimeUnit.SECONDS)).as("the grant past its end was ended").isTrue();
            assertThat(broker.store().grant(grant.id()).orElseThrow().status()).isEqualTo(GrantStatus.EXPIRED);
            try (Connection c = ds.getConnection();
                PreparedStatement st = c.prepareStatement("select node, done from " + table + " where schedule_name = ?")) {
              st.setString(1, ExpirySweeper.DEFAULT_NAME);
              try (ResultSet rs = st.executeQuery()) {
                assertThat(rs.next()).as("the slot was taken through the table the settings name").isTrue();
                assertThat(rs.getString(1)).isEqualTo("api-node-1");
              }
            }
          });
      assertThat(sweeping[0].isRunning()).as("stopped when the context closed").isFalse();
      assertThat(audit.byAction("access.expire")).hasSize(1);
    } finally {
      try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
        st.execute("drop table if exists " + table);
      }
    }
  }

  @Test
  void withoutALockThereIsNoSweeperAndTheStarterNeverMakesAnInMemoryOne() {
    PGSimpleDataSource unused = new PGSimpleDataSource(); // never connected: no setting names a table
    unused.setURL(PG);
    runner.withBean(AccessBroker.class, () -> broker(AuditTrail.inMemory())).run(context -> {
      assertThat(context).hasNotFailed().doesNotHaveBean(SlotLock.class).doesNotHaveBean(ExpirySweeper.class)
          .doesNotHaveBean(PledgeExpirySweeping.class);
    });
    runner.withBean(AccessBroker.class, () -> broker(AuditTrail.inMemory())).withBean(DataSource.class, () -> unused)
        .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(SlotLock.class)
            .doesNotHaveBean(ExpirySweeper.class));
  }

  @Test
  void withoutABrokerThereIsNoSweeper() {
    runner.withBean(SlotLock.class, SlotLock::inMemory).run(context -> {
      assertThat(context).hasNotFailed().hasSingleBean(SlotLock.class).doesNotHaveBean(ExpirySweeper.class)
          .doesNotHaveBean(PledgeExpirySweeping.class);
    });
  }

  @Test
  void theApplicationsOwnLockIsUsedAndTheSettingTurnsTheSweeperOff() {
    SlotLock mine = SlotLock.inMemory();
    ApplicationContextRunner withBoth = runner.withBean(AccessBroker.class, () -> broker(AuditTrail.inMemory()))
        .withBean(SlotLock.class, () -> mine);
    withBoth.withPropertyValues("pledge.access.expiry.period=10m").run(context -> {
      assertThat(context).hasNotFailed().hasSingleBean(ExpirySweeper.class).doesNotHaveBean(JdbcSlotLock.class);
      assertThat(context.getBean(ExpirySweeper.class).toString()).contains("every PT10M").contains(mine.toString());
      assertThat(context.getBean(PledgeExpirySweeping.class).isRunning()).isTrue();
    });
    withBoth.withPropertyValues("pledge.access.expiry.enabled=false").run(context -> {
      assertThat(context).hasNotFailed().doesNotHaveBean(ExpirySweeper.class)
          .doesNotHaveBean(PledgeExpirySweeping.class);
    });
  }

  @Test
  void aLockTableThatIsNotAPlainIdentifierStopsTheStartNamingTheSetting() {
    PGSimpleDataSource unused = new PGSimpleDataSource();
    unused.setURL(PG);
    runner.withBean(AccessBroker.class, () -> broker(AuditTrail.inMemory())).withBean(DataSource.class, () -> unused)
        .withPropertyValues("pledge.access.expiry.lock-table=slots; drop table users").run(context -> {
          assertThat(context).hasFailed();
          assertThat(context.getStartupFailure()).rootCause()
              .hasMessageStartingWith("table must be a plain SQL identifier");
          assertThat(context.getStartupFailure()).hasStackTraceContaining("pledge.access.expiry.lock-table: ");
        });
  }
}
