package dev.pledge.security.apikey;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pledge.core.audit.AuditTrail;
import dev.pledge.core.audit.InMemoryAuditTrail;
import dev.pledge.core.testing.Requirements;
import dev.pledge.core.time.MutableClock;
import dev.pledge.security.breach.ApiKeyRotation;
import dev.pledge.security.breach.BreachIncident;
import dev.pledge.security.breach.SecretSink;
import dev.pledge.security.internal.DriverManagerDataSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Instant;
import java.util.Locale;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** P29: API keys on a JDBC store (H2, PostgreSQL, MariaDB), verified, revoked and regenerated after a breach. */
class ApiKeysTest {
  @TempDir Path dir;

  private static DataSource dataSource(String kind, String name) {
    switch (kind) {
      case "postgres":
        Requirements.requirePostgres();
        return DriverManagerDataSource.of("jdbc:postgresql://127.0.0.1:5432/test?user=postgres");
      case "mariadb":
        Requirements.requireMariaDb();
        return DriverManagerDataSource.of("jdbc:mariadb://127.0.0.1:3306/test?user=root");
      default:
        return DriverManagerDataSource.of("jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"h2", "postgres", "mariadb"})
  void keysVerifyUntilRevokedAndABreachRegeneratesEveryOwnersKeyExactlyOnce(String kind) throws Exception {
    String table = "k" + UUID.randomUUID().toString().replace("-", "").substring(0, 10).toLowerCase(Locale.ROOT);
    DataSource ds = dataSource(kind, table);
    try {
      MutableClock clock = MutableClock.at("2026-11-02T09:00:00Z");
      InMemoryAuditTrail audit = AuditTrail.inMemory();
      ApiKeys keys = ApiKeys.builder(ApiKeyStore.jdbc(ds, table)).clock(clock).audit(audit).build();
      IssuedKey acme = keys.issue("acme", "issued");
      IssuedKey globex = keys.issue("globex", "issued");
      String acmeText = acme.text().utf8();

      assertThat(acmeText).matches("pk_[0-9a-f]{12}_[A-Za-z0-9]{32}");
      assertThat(acme.toString()).doesNotContain(acmeText);
      assertThat(keys.verify(acmeText)).map(ApiKey::owner).contains("acme");
      // the last character changed (to one it is not: a random key ends in 'x' once in 62)
      char last = acmeText.charAt(acmeText.length() - 1);
      assertThat(keys.verify(acmeText.substring(0, acmeText.length() - 1) + (last == 'x' ? 'y' : 'x'))).isEmpty();
      assertThat(keys.verify("pk_000000000000_" + acmeText.substring(acmeText.length() - 32))).isEmpty();
      assertThat(keys.verify("nonsense")).isEmpty();
      assertThat(keys.keys()).allSatisfy(k -> assertThat(k.hash()).doesNotContain(acmeText.substring(16)));

      SecretSink sink = SecretSink.folder(dir.resolve("keys"));
      ApiKeyRotation rotation = ApiKeyRotation.of(keys, sink);
      BreachIncident incident = new BreachIncident("BR-29", Instant.parse("2026-11-02T08:00:00Z"), "leak", false);

      assertThat(rotation.perform(incident)).isEqualTo("revoked 2 API keys and issued 2 new ones for 2 owners");
      assertThat(rotation.perform(incident)).as("resumed: nothing left to do")
          .isEqualTo("revoked 0 API keys and issued 0 new ones for 2 owners");

      assertThat(keys.verify(acmeText)).isEmpty();
      assertThat(keys.verify(globex.text().utf8())).isEmpty();
      String newAcme = sink.get("BR-29.apikey.acme").orElseThrow().utf8();
      assertThat(keys.verify(newAcme)).map(ApiKey::label).contains("rotated for BR-29");
      assertThat(keys.activeKeys("acme")).hasSize(1);
      assertThat(keys.activeKeys("globex")).hasSize(1);
      assertThat(audit.byAction("apikey.revoke")).hasSize(2);

      String drill = rotation.perform(new BreachIncident("DRILL-1", clock.instant(), "drill", true));
      assertThat(drill).startsWith("rehearsed: probe key");
      assertThat(keys.verify(newAcme)).as("a drill leaves real keys alone").isPresent();
      assertThat(keys.activeKeys("pledge-probe")).isEmpty();
    } finally {
      try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
        s.execute("DROP TABLE IF EXISTS " + table);
      }
    }
  }
}
