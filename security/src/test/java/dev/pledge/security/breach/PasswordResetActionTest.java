package dev.pledge.security.breach;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pledge.core.testing.Requirements;
import dev.pledge.security.internal.DriverManagerDataSource;
import dev.pledge.security.password.ForcedResets;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** P30 on a shared JDBC record of forced resets (H2, PostgreSQL, MariaDB). */
class PasswordResetActionTest {

  @ParameterizedTest
  @ValueSource(strings = {"h2", "postgres", "mariadb"})
  void aBreachForcesEveryPasswordSetBeforeItsDetectionToChangeOnEveryNode(String kind) throws Exception {
    String table = "fr" + UUID.randomUUID().toString().replace("-", "").substring(0, 10).toLowerCase(Locale.ROOT);
    DataSource ds = switch (kind) {
      case "postgres" -> {
        Requirements.requirePostgres();
        yield DriverManagerDataSource.of("jdbc:postgresql://127.0.0.1:5432/test?user=postgres");
      }
      case "mariadb" -> {
        Requirements.requireMariaDb();
        yield DriverManagerDataSource.of("jdbc:mariadb://127.0.0.1:3306/test?user=root");
      }
      default -> DriverManagerDataSource.of("jdbc:h2:mem:" + table + ";DB_CLOSE_DELAY=-1");
    };
    try {
      ForcedResets nodeA = ForcedResets.jdbc(ds, table);
      ForcedResets nodeB = ForcedResets.jdbc(ds, table);
      Instant before = Instant.parse("2026-10-01T00:00:00Z");
      Instant detected = Instant.parse("2026-11-02T08:00:00Z");
      nodeA.force(List.of("ana"), before);
      PasswordResetAction action = PasswordResetAction.of(nodeA);
      BreachIncident incident = new BreachIncident("BR-30", detected, "leak", false);

      assertThat(action.perform(incident)).contains("must be changed");
      action.perform(incident);
      nodeA.forceAll(before);

      assertThat(nodeB.latestFor("ana")).contains(detected);
      assertThat(nodeB.latestFor("someone")).contains(detected);
      nodeB.force(List.of("ben"), detected.plusSeconds(60));
      assertThat(nodeA.latestFor("ben")).contains(detected.plusSeconds(60));

      String drill = action.perform(new BreachIncident("DRILL-1", detected.plusSeconds(120), "drill", true));
      assertThat(drill).startsWith("rehearsed");
      assertThat(nodeB.latestFor("ana")).as("a drill resets no real account").contains(detected);
    } finally {
      try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
        s.execute("DROP TABLE IF EXISTS " + table);
      }
    }
  }
}
