package dev.pledge.security.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pledge.core.audit.AuditRecord;
import dev.pledge.core.audit.AuditTrail;
import dev.pledge.core.audit.InMemoryAuditTrail;
import dev.pledge.core.policy.PolicyLoader;
import dev.pledge.core.testing.Requirements;
import dev.pledge.core.time.MutableClock;
import dev.pledge.security.internal.DriverManagerDataSource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Grants as real logins on the machine's PostgreSQL and MariaDB: a granted login connects and reads;
 * after revocation, expiry or offboarding it cannot connect and a session it had open is gone.
 * Every role, user and table has a name unique to the test and is dropped after it.
 */
class AccessTargetTest {
  private final String tok = "pj" + UUID.randomUUID().toString().replace("-", "").substring(0, 8)
      .toLowerCase(Locale.ROOT);
  private final MutableClock clock = MutableClock.at("2026-11-02T09:00:00Z");
  private final InMemoryAuditTrail audit = AuditTrail.inMemory();
  private final AccessPolicy policy = PolicyLoader.create().load("policy.yaml", """
      access:
        administrator: mark
        maxGrant: 8h
        roles:
          - name: operations
            permissions: [database.read]
            production: true
            databaseRole: %s_read
      """.formatted(tok)).require(AccessPolicy.class);
  private String kind;
  private DataSource admin;
  private AccessTarget target;

  private AccessBroker broker(String node) {
    return AccessBroker.builder(policy).clock(clock).audit(audit).store(store).target(target).node(node).build();
  }

  private final AccessStore store = AccessStore.inMemory();

  private void setUp(String kind) throws SQLException {
    this.kind = kind;
    if (kind.equals("postgres")) {
      Requirements.requirePostgres();
      admin = DriverManagerDataSource.of(Stores.POSTGRES);
      target = AccessTarget.postgres(admin, "pg", tok + "_l_");
      sql("CREATE ROLE " + tok + "_read NOLOGIN", "CREATE TABLE " + tok + "_orders (id INT)",
          "INSERT INTO " + tok + "_orders VALUES (7)", "GRANT SELECT ON " + tok + "_orders TO " + tok + "_read");
    } else {
      Requirements.requireMariaDb();
      admin = DriverManagerDataSource.of(Stores.MARIADB);
      target = AccessTarget.mariadb(admin, "maria", tok + "_l_");
      sql("CREATE ROLE " + tok + "_read", "CREATE TABLE " + tok + "_orders (id INT)",
          "INSERT INTO " + tok + "_orders VALUES (7)", "GRANT SELECT ON test." + tok + "_orders TO " + tok + "_read");
    }
    AccessBroker b = broker("setup");
    b.enrol(Person.employee("mark", "Mark"));
    b.enrol(Person.employee("ana", "Ana"));
  }

  @AfterEach
  void cleanUp() throws SQLException {
    if (admin == null) {
      return;
    }
    for (String login : target.logins()) {
      target.dropLogin(login);
    }
    sql("DROP TABLE IF EXISTS " + tok + "_orders", "DROP ROLE IF EXISTS " + tok + "_read");
  }

  private void sql(String... statements) throws SQLException {
    try (Connection c = admin.getConnection(); Statement s = c.createStatement()) {
      for (String st : statements) {
        s.execute(st);
      }
    }
  }

  private Connection connect(TargetLogin login) throws SQLException {
    String url = kind.equals("postgres") ? "jdbc:postgresql://127.0.0.1:5432/test" : "jdbc:mariadb://127.0.0.1:3306/test";
    return DriverManager.getConnection(url, login.username(), login.password().utf8());
  }

  private int readOrders(Connection c) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT id FROM " + tok + "_orders")) {
      rs.next();
      return rs.getInt(1);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"postgres", "mariadb"})
  void aGrantedLoginReadsAndAfterRevocationCannotConnectAndItsOpenSessionIsGone(String kind) throws Exception {
    setUp(kind);
    AccessBroker broker = broker("a");
    Granted g = broker.grant("ana", "operations", "shop/production", "INC-7 corrupt orders", Duration.ofHours(2),
        "mark", List.of(target.name()));

    TargetLogin login = g.logins().get(0);
    assertThat(login.username()).startsWith(tok + "_l_ana_g");
    assertThat(login.toString()).doesNotContain(login.password().utf8());
    assertThat(login.until()).isEqualTo(g.grant().until());
    try (Connection open = connect(login)) {
      assertThat(readOrders(open)).isEqualTo(7);

      assertThat(broker.revoke(g.grant().id(), "mark")).isTrue();

      assertThatThrownBy(() -> readOrders(open)).as("the open session is gone").isInstanceOf(SQLException.class);
    }
    assertThatThrownBy(() -> connect(login).close()).as("no new connection").isInstanceOf(SQLException.class);
    assertThat(target.logins()).isEmpty();
    assertThat(store.grant(g.grant().id()).orElseThrow().cleaned()).isTrue();
    assertThat(audit.records()).extracting(AuditRecord::action)
        .contains("access.request", "access.approve", "access.grant", "access.login.create", "access.revoke",
            "access.login.drop");
    assertThat(audit.records()).allSatisfy(r -> assertThat(r.details().values())
        .noneMatch(v -> v.contains(login.password().utf8())));
  }

  @ParameterizedTest
  @ValueSource(strings = {"postgres", "mariadb"})
  void anotherNodeEndsAnExpiredGrantOnTheServerAndFinishesACleanupADeadNodeAbandoned(String kind) throws Exception {
    setUp(kind);
    AccessBroker maker = broker("maker");
    Granted expiring = maker.grant("ana", "operations", "shop/production", "INC-8", Duration.ofHours(1), "mark",
        List.of(target.name()));
    Granted abandoned = maker.grant("ana", "operations", "shop/production", "INC-9", Duration.ofHours(4), "mark",
        List.of(target.name()));
    // a node ended the second grant in the store and died before it reached the server
    assertThat(store.endGrant(abandoned.grant().id(), GrantStatus.REVOKED, clock.instant(), "mark", "dead")).isTrue();

    try (Connection open = connect(expiring.logins().get(0))) {
      assertThat(readOrders(open)).isEqualTo(7);
      clock.advance(Duration.ofHours(1));
      AccessBroker other = broker("other");

      assertThat(other.expire()).extracting(AccessGrant::id).containsExactly(expiring.grant().id());

      assertThatThrownBy(() -> readOrders(open)).isInstanceOf(SQLException.class);
    }
    assertThatThrownBy(() -> connect(expiring.logins().get(0)).close()).isInstanceOf(SQLException.class);
    assertThat(target.logins()).as("the cleanup lease (5 min) of the dead node has passed").isEmpty();
    assertThat(store.grants()).allSatisfy(s -> assertThat(s.cleaned()).isTrue());
  }

  @ParameterizedTest
  @ValueSource(strings = {"postgres", "mariadb"})
  void orphanLoginsAreReportedAsDriftAndRemovedAndALeaverLosesEveryLogin(String kind) throws Exception {
    setUp(kind);
    AccessBroker broker = broker("a");
    Granted kept = broker.grant("ana", "operations", "shop/production", "INC-10", Duration.ofHours(2), "mark",
        List.of(target.name()));
    // a login Pledge made for a grant the store never recorded (a crash between the two)
    target.createLogin(tok + "_l_ghost_gdeadbeef0000", tok + "_read", clock.instant().plus(Duration.ofHours(1)))
        .password().destroy();

    AccessDrift drift = broker.drift();
    AccessDrift.Target t = drift.targets().get(0);
    assertThat(t.orphans()).containsExactly(tok + "_l_ghost_gdeadbeef0000");
    assertThat(t.expected()).containsExactly(kept.logins().get(0).username());
    assertThat(t.missing()).isEmpty();
    assertThat(t.administrators()).isNotEmpty();
    assertThat(drift.findings()).anySatisfy(f -> assertThat(f).contains("no active grant holds"));

    assertThat(broker.removeOrphans()).containsExactly(target.name() + ": " + tok + "_l_ghost_gdeadbeef0000");
    assertThat(target.logins()).containsExactly(kept.logins().get(0).username());

    try (Connection open = connect(kept.logins().get(0))) {
      assertThat(broker.offboard("ana", "hr")).extracting(AccessGrant::id).containsExactly(kept.grant().id());
      assertThatThrownBy(() -> readOrders(open)).isInstanceOf(SQLException.class);
    }
    assertThat(target.logins()).isEmpty();
    assertThat(broker.drift().targets().get(0).orphans()).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"postgres", "mariadb"})
  void aTargetThatRefusesTheLoginLeavesNoGrantBehind(String kind) throws Exception {
    setUp(kind);
    sql("DROP TABLE " + tok + "_orders", "DROP ROLE " + tok + "_read");
    AccessBroker broker = broker("a");

    assertThatThrownBy(() -> broker.grant("ana", "operations", "shop/production", "INC-11", Duration.ofHours(1),
        "mark", List.of(target.name()))).hasMessageContaining("database role '" + tok + "_read' does not exist");

    assertThat(broker.activeGrants()).isEmpty();
    assertThat(target.logins()).isEmpty();
  }
}
