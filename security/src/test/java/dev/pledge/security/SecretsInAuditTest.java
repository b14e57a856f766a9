package dev.pledge.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import dev.pledge.core.PledgeException;
import dev.pledge.core.Secret;
import dev.pledge.core.audit.AuditTrail;
import dev.pledge.core.audit.ChainedAuditTrail;
import dev.pledge.core.policy.PolicyLoader;
import dev.pledge.core.testing.Requirements;
import dev.pledge.core.time.MutableClock;
import dev.pledge.security.access.AccessBroker;
import dev.pledge.security.access.AccessPolicy;
import dev.pledge.security.access.AccessStore;
import dev.pledge.security.access.AccessTarget;
import dev.pledge.security.access.Granted;
import dev.pledge.security.access.Person;
import dev.pledge.security.access.TargetLogin;
import dev.pledge.security.apikey.ApiKeyStore;
import dev.pledge.security.apikey.ApiKeys;
import dev.pledge.security.apikey.IssuedKey;
import dev.pledge.security.breach.ApiKeyRotation;
import dev.pledge.security.breach.BreachIncident;
import dev.pledge.security.breach.BreachPolicy;
import dev.pledge.security.breach.BreachRunbook;
import dev.pledge.security.breach.Customer;
import dev.pledge.security.breach.EmailNotification;
import dev.pledge.security.breach.PasswordResetAction;
import dev.pledge.security.breach.SecretSink;
import dev.pledge.security.breach.StepKind;
import dev.pledge.security.internal.DriverManagerDataSource;
import dev.pledge.security.password.ForcedResets;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * No secret in any audit record (issue 14, item 6): every auditing component of the security module
 * (API keys, the access broker with a real PostgreSQL target, the breach runbook with API key
 * rotation, forced password resets and customer e-mail over real SMTP) is driven with passwords, keys
 * and tokens in its inputs and in its collaborators' failures, and the trail's bytes on disk are
 * searched for each of them. Error messages the caller sees are searched too.
 */
class SecretsInAuditTest {
  @RegisterExtension
  static final GreenMailExtension MAIL = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

  private static final String DB_PASSWORD = "pg-Adm1n-hunter2-7c1f";
  private static final String SMTP_PASSWORD = "smtp-s3cret-91ab";
  private static final String TOKEN = "tok_live_4f9e0d7a11c2";

  @TempDir Path dir;
  private final MutableClock clock = MutableClock.at("2026-11-02T09:00:00Z");
  private ChainedAuditTrail trail;
  private Path file;
  private final List<String> secrets = new ArrayList<>(List.of(DB_PASSWORD, SMTP_PASSWORD, TOKEN));

  @BeforeEach
  void openTrail() {
    file = dir.resolve("audit.jsonl");
    trail = AuditTrail.jsonLines(file);
  }

  @AfterEach
  void closeTrail() {
    trail.close();
  }

  /** Every secret seen in the test, searched for in the trail's bytes (and in their JSON-escaped form). */
  private void assertTrailHoldsNoSecret() throws Exception {
    trail.close();
    String text = Files.readString(file, StandardCharsets.UTF_8);
    assertThat(text).as("the trail recorded something").isNotBlank();
    for (String s : secrets) {
      assertThat(text).as("the trail must not hold a secret").doesNotContain(s);
      assertThat(text).doesNotContain(s.replace("/", "\\/"));
    }
  }

  @Test
  void apiKeysAuditIssuesAndRevocationsWithoutTheKeys() throws Exception {
    ApiKeys keys = ApiKeys.builder(ApiKeyStore.inMemory()).clock(clock).audit(trail).build();
    IssuedKey acme = keys.issue("acme", "ci deploys");
    IssuedKey globex = keys.issue("globex", "reporting");
    secrets.add(acme.text().utf8());
    secrets.add(globex.text().utf8());
    secrets.add(acme.text().utf8().substring(acme.text().utf8().length() - 32)); // the random part alone
    assertThat(keys.verify(acme.text().utf8())).isPresent();
    assertThat(keys.verify(acme.text().utf8() + "x")).isEmpty();
    keys.revoke(acme.key().id(), "leaked in a build log");
    assertThat(trail.records()).hasSize(3);
    assertTrailHoldsNoSecret();
  }

  @Test
  void theBreachRunbookAuditsRotationsResetsAndFailuresWithoutTheirSecrets() throws Exception {
    MAIL.setUser("breach@zaltek.example", "pledge", "the-real-smtp-password");
    ApiKeys keys = ApiKeys.builder(ApiKeyStore.inMemory()).clock(clock).audit(trail).build();
    secrets.add(keys.issue("acme", "ci").text().utf8());
    secrets.add(keys.issue("globex", "ci").text().utf8());
    SecretSink sinkFolder = SecretSink.folder(dir.resolve("sink"));
    ForcedResets resets = ForcedResets.inMemory();
    EmailNotification mail = EmailNotification.builder("127.0.0.1", MAIL.getSmtp().getPort(), "breach@zaltek.example")
        .requireTls(false).login("pledge", Secret.ofUtf8(SMTP_PASSWORD))
        .customers(() -> List.of(new Customer("acme", "Acme", "security@acme.example"))).log(dir.resolve("mail"))
        .build();
    BreachRunbook runbook = BreachRunbook.builder(BreachPolicy.defaults()).clock(clock).audit(trail)
        .action(StepKind.NOTIFY_CUSTOMERS, mail)
        .action(StepKind.REVOKE_EXTERNAL_KEYS, ApiKeyRotation.of(keys, sinkFolder))
        .action(StepKind.FORCE_PASSWORD_RESET, PasswordResetAction.of(resets))
        .action(StepKind.RESET_CLOUD_CREDENTIALS, incident -> {
          // a collaborator whose failure quotes a location with its password and a token parameter
          throw new PledgeException("cannot reach jdbc:postgresql://admin:" + DB_PASSWORD
              + "@db.internal:5432/iam?sslmode=require&token=" + TOKEN + ": connection refused");
        })
        .build();

    runbook.drill("DR-1");
    runbook.respond(new BreachIncident("BR-9", Instant.parse("2026-11-02T08:00:00Z"), "leaked keys", false));

    try (Stream<Path> rotated = Files.list(dir.resolve("sink"))) {
      for (Path p : rotated.toList()) {
        secrets.add(Files.readString(p).strip()); // every new key the rotation handed over
      }
    }
    assertThat(secrets).hasSizeGreaterThan(5);
    assertThat(trail.records()).anySatisfy(r -> assertThat(r.details().getOrDefault("detail", ""))
        .contains("jdbc:postgresql://admin:***@db.internal"));
    assertTrailHoldsNoSecret();
  }

  @Test
  void theAccessBrokerAuditsGrantsOnARealDatabaseWithoutTheLoginsPasswords() throws Exception {
    Requirements.requirePostgres();
    String tok = "sa" + UUID.randomUUID().toString().replace("-", "").substring(0, 8).toLowerCase(Locale.ROOT);
    DataSource admin = DriverManagerDataSource.of("jdbc:postgresql://127.0.0.1:5432/test?user=postgres");
    sql(admin, "CREATE ROLE " + tok + "_read NOLOGIN");
    AccessTarget pg = AccessTarget.postgres(admin, "pg", tok + "_l_");
    AccessTarget broken = new FailingTarget("vault-db", "jdbc:postgresql://root:" + DB_PASSWORD
        + "@vault:5432/x?password=" + TOKEN);
    AccessPolicy policy = PolicyLoader.create().load("policy.yaml", """
        access:
          administrator: mark
          maxGrant: 8h
          roles:
            - name: operations
              permissions: [database.read]
              production: true
              databaseRole: %s_read
        """.formatted(tok)).require(AccessPolicy.class);
    AccessBroker broker = AccessBroker.builder(policy).clock(clock).audit(trail).store(AccessStore.inMemory())
        .target(pg).target(broken).target(AccessTarget.postgres(DriverManagerDataSource.of(
            "jdbc:postgresql://127.0.0.1:1/test?user=postgres&password=" + DB_PASSWORD + "&token=" + TOKEN), "pg-down",
            tok + "_d_")).build();
    try {
      broker.enrol(Person.employee("mark", "Mark"));
      broker.enrol(Person.employee("ana", "Ana"));
      Granted g = broker.grant("ana", "operations", "shop/production", "INC-7 corrupt orders", Duration.ofHours(1),
          "mark", List.of("pg"));
      for (TargetLogin l : g.logins()) {
        secrets.add(l.password().utf8());
      }
      broker.revoke(g.grant().id(), "mark");
      // a target that breaks its contract and quotes its URL: the trail still holds no password
      assertThatThrownBy(() -> broker.grant("ana", "operations", "shop/production", "INC-8 vault", Duration.ofHours(1),
          "mark", List.of("vault-db"))).isInstanceOf(PledgeException.class);
      // a real PostgreSQL target whose admin connection (password and token in its URL) is refused
      assertThatThrownBy(() -> broker.grant("ana", "operations", "shop/production", "INC-9 pg down", Duration.ofHours(1),
          "mark", List.of("pg-down"))).isInstanceOf(PledgeException.class).satisfies(e -> {
            for (String s : List.of(DB_PASSWORD, TOKEN)) {
              assertThat(String.valueOf(e.getMessage())).as("the caller's error").doesNotContain(s);
            }
          });
      assertThat(trail.records()).filteredOn(r -> r.action().equals("access.login.create"))
          .extracting(r -> r.details().get("target")).containsExactly("pg", "vault-db", "pg-down");
      assertTrailHoldsNoSecret();
    } finally {
      for (String login : pg.logins()) {
        pg.dropLogin(login);
      }
      sql(admin, "DROP ROLE IF EXISTS " + tok + "_read");
    }
  }

  private static void sql(DataSource ds, String statement) throws Exception {
    try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
      s.execute(statement);
    }
  }

  /**
   * A target whose server refuses every login with an error that quotes its admin URL, password and
   * all, as a careless driver or plug-in might.
   */
  private static final class FailingTarget implements AccessTarget {
    private final String name;
    private final String url;

    FailingTarget(String name, String url) {
      this.name = name;
      this.url = url;
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public String loginPrefix() {
      return "pledge_";
    }

    @Override
    public TargetLogin createLogin(String login, String databaseRole, Instant until) {
      throw new PledgeException("cannot create login " + login + " on " + url + ": permission denied");
    }

    @Override
    public boolean dropLogin(String login) {
      return false;
    }

    @Override
    public List<String> logins() {
      return List.of();
    }

    @Override
    public List<String> administrators() {
      return List.of();
    }
  }
}
