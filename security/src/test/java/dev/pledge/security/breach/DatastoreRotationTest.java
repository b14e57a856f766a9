package dev.pledge.security.breach;

import dev.pledge.core.audit.AuditTrail;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pledge.core.Secret;
import dev.pledge.core.testing.Requirements;
import dev.pledge.core.time.MutableClock;
import dev.pledge.security.internal.DriverManagerDataSource;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * P31 on the machine's PostgreSQL, MariaDB and Redis: each login gets a new password that only the
 * secret sink holds; a resumed rotation sets the same one; a drill leaves no probe behind.
 */
class DatastoreRotationTest {
  private static final String OLD = "old-password-123";
  private final String login = "pr" + UUID.randomUUID().toString().replace("-", "").substring(0, 8)
      .toLowerCase(Locale.ROOT);
  private final DataSource pg = DriverManagerDataSource.of("jdbc:postgresql://127.0.0.1:5432/test?user=postgres");
  private final DataSource maria = DriverManagerDataSource.of("jdbc:mariadb://127.0.0.1:3306/test?user=root");
  private final InetSocketAddress redis = new InetSocketAddress("127.0.0.1", 6379);
  @TempDir Path dir;

  @AfterEach
  void dropLogins() throws Exception {
    sql(pg, "DROP ROLE IF EXISTS " + login);
    sql(maria, "DROP USER IF EXISTS '" + login + "'@'%'");
    redis("ACL", "DELUSER", login);
  }

  @Test
  void everyLoginGetsANewPasswordThatOnlyTheSinkHoldsAndAResumedRotationSetsTheSameOne() throws Exception {
    Requirements.requirePostgres();
    Requirements.requireMariaDb();
    Requirements.requireRedis();
    sql(pg, "CREATE ROLE " + login + " LOGIN PASSWORD '" + OLD + "'");
    sql(maria, "CREATE USER '" + login + "'@'%' IDENTIFIED BY '" + OLD + "'");
    assertThat(redis("ACL", "SETUSER", login, "on", ">" + OLD, "~*", "+@all")).isEqualTo("+OK");
    String pgHashBefore = pgHash();
    SecretSink sink = SecretSink.folder(dir.resolve("secrets"));
    DatastoreRotation rotation = DatastoreRotation.of(sink, List.of(
        DatastoreCredential.postgres("pg-app", pg, login),
        DatastoreCredential.mariadb("maria-app", maria, login, "%"),
        DatastoreCredential.redis("redis-app", redis, null, null, login)));
    BreachIncident incident = new BreachIncident("BR-31", Instant.parse("2026-11-02T08:00:00Z"), "leak", false);

    assertThat(rotation.perform(incident)).isEqualTo("rotated 3 data-store credentials: pg-app, maria-app, redis-app");

    String mariaPw = secret(sink, "BR-31.maria-app");
    assertThatThrownBy(() -> DriverManager.getConnection("jdbc:mariadb://127.0.0.1:3306/", login, OLD).close())
        .isInstanceOf(SQLException.class);
    DriverManager.getConnection("jdbc:mariadb://127.0.0.1:3306/", login, mariaPw).close();
    String redisPw = secret(sink, "BR-31.redis-app");
    assertThat(redis("AUTH", login, OLD)).startsWith("-WRONGPASS");
    assertThat(redis("AUTH", login, redisPw)).isEqualTo("+OK");
    assertThat(pgHash()).as("PostgreSQL keeps a new verifier (the machine's server trusts local logins, so the"
        + " password itself is not asked)").isNotEqualTo(pgHashBefore);
    assertThat(Files.getPosixFilePermissions(dir.resolve("secrets/BR-31.pg-app.secret")))
        .isEqualTo(PosixFilePermissions.fromString("rw-------"));
    assertThat(List.of(secret(sink, "BR-31.pg-app"), mariaPw, redisPw)).doesNotHaveDuplicates()
        .allSatisfy(p -> assertThat(p).hasSize(32));

    // the process died after the store changed: the resumed step sets the password the sink holds
    String pgHashAfter = pgHash();
    rotation.perform(incident);
    DriverManager.getConnection("jdbc:mariadb://127.0.0.1:3306/", login, mariaPw).close();
    assertThat(redis("AUTH", login, redisPw)).isEqualTo("+OK");
    assertThat(secret(sink, "BR-31.pg-app")).isNotBlank();
    assertThat(pgHashAfter).isNotNull();
  }

  @Test
  void aDrillRehearsesOnEveryStoreWithNoLastingEffectAndAMissingLoginFailsTheStepByName() throws Exception {
    Requirements.requirePostgres();
    Requirements.requireMariaDb();
    Requirements.requireRedis();
    SecretSink sink = SecretSink.folder(dir.resolve("secrets"));
    DatastoreRotation rotation = DatastoreRotation.of(sink, List.of(
        DatastoreCredential.postgres("pg-app", pg, login),
        DatastoreCredential.mariadb("maria-app", maria, login, "%"),
        DatastoreCredential.redis("redis-app", redis, null, null, login)));
    MutableClock clock = MutableClock.at("2026-11-02T09:00:00Z");
    BreachRunbook runbook = BreachRunbook.builder(BreachPolicy.defaults()).clock(clock).audit(AuditTrail.inMemory())
        .action(StepKind.ROTATE_DATASTORE_CREDENTIALS, rotation).build();

    BreachReport drill = runbook.drill("DRILL-1");

    BreachReport.StepResult step = drill.steps().get(4);
    assertThat(step.status()).isEqualTo(BreachReport.StepResult.Status.DONE);
    assertThat(step.detail()).startsWith("rehearsed 3 data-store credentials").contains("pledge_probe_");
    for (String probe : step.detail().split("probe ")) {
      if (probe.startsWith("pledge_probe_")) {
        String name = probe.substring(0, "pledge_probe_".length() + 12);
        assertThat(count(pg, "SELECT COUNT(*) FROM pg_roles WHERE rolname = '" + name + "'")).isZero();
        assertThat(count(maria, "SELECT COUNT(*) FROM mysql.user WHERE User = '" + name + "'")).isZero();
        assertThat(redis("ACL", "GETUSER", name)).isIn("*-1", "$-1");
      }
    }
    assertThat(Files.list(dir.resolve("secrets"))).as("a drill hands out no secret").isEmpty();

    BreachReport real = runbook.respond(new BreachIncident("BR-32", clock.instant(), "x", false));
    assertThat(real.steps().get(4).status()).isEqualTo(BreachReport.StepResult.Status.FAILED);
    assertThat(real.steps().get(4).detail()).contains("pg-app: pg-app: role '" + login + "' does not exist")
        .contains("maria-app").contains("redis-app");
  }

  private String pgHash() throws SQLException {
    try (Connection c = pg.getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT rolpassword FROM pg_authid WHERE rolname = '" + login + "'")) {
      return rs.next() ? rs.getString(1) : null;
    }
  }

  private static String secret(SecretSink sink, String name) {
    Secret s = sink.get(name).orElseThrow();
    return s.utf8();
  }

  private static long count(DataSource ds, String sql) throws SQLException {
    try (Connection c = ds.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static void sql(DataSource ds, String sql) throws SQLException {
    try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
      s.execute(sql);
    } catch (SQLException e) {
      if (!(e.getMessage() != null && e.getMessage().contains("Connection refused"))) {
        throw e;
      }
    }
  }

  /** One Redis command as an inline command; the first line of the reply. */
  private static String redis(String... args) throws Exception {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", 6379), 2000);
      s.setSoTimeout(5000);
      OutputStream out = s.getOutputStream();
      out.write((String.join(" ", args) + "\r\n").getBytes(StandardCharsets.UTF_8));
      out.flush();
      return new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8)).readLine();
    } catch (java.net.ConnectException e) {
      return null;
    }
  }
}
