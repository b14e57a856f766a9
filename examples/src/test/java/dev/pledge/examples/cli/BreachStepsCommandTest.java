package dev.pledge.examples.cli;

import dev.pledge.core.audit.AuditTrail;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import dev.pledge.security.apikey.ApiKeyStore;
import dev.pledge.security.apikey.ApiKeys;
import dev.pledge.security.apikey.IssuedKey;
import dev.pledge.security.password.ForcedResets;
import dev.pledge.security.store.DataSources;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code pledge breach respond|drill} carrying out P28-P30 itself: customers e-mailed over real SMTP
 * (GreenMail), API keys revoked and reissued, password resets forced, in stores on H2.
 */
class BreachStepsCommandTest {
  @RegisterExtension
  static final GreenMailExtension MAIL = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

  @TempDir Path dir;

  private String db() {
    return "jdbc:h2:file:" + dir.resolve("app").toAbsolutePath() + ";DB_CLOSE_DELAY=0";
  }

  private String[] args(String... first) {
    String[] rest = {"--journal", "file:" + dir.resolve("journal"), "--notify-smtp", "127.0.0.1:" + MAIL.getSmtp().getPort(),
        "--smtp-no-tls", "--notify-from", "breach@zaltek.example", "--customers", dir.resolve("customers.csv").toString(),
        "--api-keys", db(), "--secrets", dir.resolve("secrets").toString(), "--force-resets", db(),
        "--now", "2026-11-02T10:00:00Z", "--json"};
    String[] all = new String[first.length + rest.length];
    System.arraycopy(first, 0, all, 0, first.length);
    System.arraycopy(rest, 0, all, first.length, rest.length);
    return all;
  }

  @Test
  void aResponseMailsEveryCustomerRevokesAndReissuesApiKeysAndForcesResets() throws Exception {
    Files.writeString(dir.resolve("customers.csv"), """
        # id,email,name
        acme,security@acme.example,Acme Ltd
        globex,it@globex.example,Globex, Inc.
        """);
    DataSource ds = DataSources.fromUrl(db());
    ApiKeys keys = ApiKeys.builder(ApiKeyStore.jdbc(ds, "pledge_api_keys")).audit(AuditTrail.inMemory()).build();
    IssuedKey old = keys.issue("acme", "production");

    CliRun r = CliRun.of(args("breach", "respond", "--incident", "BR-90", "--detected", "2026-11-02T09:30:00Z"));

    assertThat(r.exitCode()).as(r.err()).isEqualTo(1);
    JsonNode steps = r.json().get("steps");
    assertThat(steps.get(0).get("status").asText()).as(steps.toString()).isEqualTo("DONE");
    assertThat(steps.get(0).get("detail").asText()).isEqualTo("notified 2 customers by e-mail (2 in this run)");
    assertThat(MAIL.waitForIncomingEmail(5000, 2)).isTrue();
    assertThat(steps.get(1).get("status").asText()).isEqualTo("DONE");
    assertThat(steps.get(1).get("detail").asText()).isEqualTo("revoked 1 API keys and issued 1 new ones for 1 owners");
    assertThat(steps.get(2).get("status").asText()).isEqualTo("DONE");
    assertThat(steps.get(3).get("status").asText()).isEqualTo("NOT_CONFIGURED");
    assertThat(keys.verify(old.text().utf8())).isEmpty();
    String fresh = Files.readString(dir.resolve("secrets").resolve("BR-90.apikey.acme.secret"));
    assertThat(keys.verify(fresh)).isPresent();
    assertThat(r.out()).doesNotContain(fresh);
    assertThat(ForcedResets.jdbc(ds, "pledge_forced_resets").latestFor("anyone"))
        .contains(Instant.parse("2026-11-02T09:30:00Z"));

    // resumed: the finished steps are not run again, nobody is mailed twice
    CliRun again = CliRun.of(args("breach", "respond", "--incident", "BR-90"));
    assertThat(again.json().get("steps").get(0).get("detail").asText()).isEqualTo(steps.get(0).get("detail").asText());
    assertThat(MAIL.waitForIncomingEmail(1, 3)).isFalse();
  }

  @Test
  void aDrillRehearsesEachStepWithoutMailingAnyoneOrTouchingRealKeys() throws Exception {
    Files.writeString(dir.resolve("customers.csv"), "acme,security@acme.example,Acme Ltd\n");
    ApiKeys keys = ApiKeys.builder(ApiKeyStore.jdbc(DataSources.fromUrl(db()), "pledge_api_keys"))
        .audit(AuditTrail.inMemory()).build();
    IssuedKey kept = keys.issue("acme", "production");

    JsonNode steps = CliRun.of(args("breach", "drill", "--id", "DRILL-7")).json().get("steps");

    assertThat(steps.get(0).get("status").asText()).isEqualTo("DONE");
    assertThat(steps.get(0).get("detail").asText()).startsWith("rehearsed: connected to 127.0.0.1:")
        .endsWith("would notify 1 customers");
    assertThat(steps.get(1).get("detail").asText()).startsWith("rehearsed: probe key ");
    assertThat(steps.get(2).get("detail").asText()).contains("probe account");
    assertThat(MAIL.waitForIncomingEmail(1, 1)).isFalse();
    assertThat(keys.verify(kept.text().utf8())).isPresent();
  }

  @Test
  void badStepOptionsAreUsageErrorsThatNameTheProblem() throws Exception {
    Files.writeString(dir.resolve("customers.csv"), "acme,security@acme.example,Acme\nbroken line\n");
    CliRun badLine = CliRun.of(args("breach", "drill"));
    assertThat(badLine.exitCode()).isEqualTo(2);
    assertThat(badLine.err()).contains("customers.csv:2: expected id,email,name");

    CliRun remote = CliRun.of("breach", "drill", "--journal", "file:" + dir, "--notify-smtp", "smtp.example.com:25",
        "--smtp-no-tls", "--notify-from", "a@b.example", "--customers", dir.resolve("customers.csv").toString());
    assertThat(remote.exitCode()).isEqualTo(2);
    assertThat(remote.err()).contains("--smtp-no-tls").contains("smtp.example.com");

    CliRun alone = CliRun.of("breach", "drill", "--journal", "file:" + dir, "--notify-smtp", "127.0.0.1:25");
    assertThat(alone.exitCode()).isEqualTo(2);
    assertThat(alone.err()).contains("--notify-smtp, --notify-from and --customers go together");

    CliRun noSecrets = CliRun.of("breach", "drill", "--journal", "file:" + dir, "--api-keys", db());
    assertThat(noSecrets.exitCode()).isEqualTo(2);
    assertThat(noSecrets.err()).contains("--api-keys needs --secrets DIR");
  }
}
