package dev.pledge.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pledge.core.testing.Requirements;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;
import dev.pledge.security.breach.BreachIncident;
import dev.pledge.security.breach.BreachJournal;
import dev.pledge.security.breach.StepKind;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code pledge breach} per CLI.md on a folder journal. */
class BreachCommandTest {
  @TempDir Path dir;

  @Test
  void aDrillRehearsesAndAResponseRotatesAMariaDbPasswordIntoTheSecretsFolder() throws Exception {
    Requirements.requireMariaDb();
    String login = "bc" + UUID.randomUUID().toString().replace("-", "").substring(0, 8).toLowerCase(Locale.ROOT);
    try (Connection admin = DriverManager.getConnection("jdbc:mariadb://127.0.0.1:3306/", "root", "");
        Statement s = admin.createStatement()) {
      s.execute("CREATE USER '" + login + "'@'%' IDENTIFIED BY 'old-password-123'");
      try {
        String cred = "mysql:mysql://root@127.0.0.1:3306/test#" + login;
        String journal = "file:" + dir.resolve("journal");
        String secrets = dir.resolve("secrets").toString();
        JsonNode drill = CliRun.of("breach", "drill", "--journal", journal, "--rotate", cred, "--secrets", secrets,
            "--json").json();
        assertThat(drill.get("steps").get(4).get("status").asText()).isEqualTo("DONE");
        assertThat(drill.get("steps").get(4).get("detail").asText()).contains("probe pledge_probe_");

        CliRun respond = CliRun.of("breach", "respond", "--incident", "BR-77", "--journal", journal, "--rotate", cred,
            "--secrets", secrets, "--json");
        assertThat(respond.json().get("steps").get(4).get("status").asText()).as(respond.out()).isEqualTo("DONE");
        String pw = Files.readString(dir.resolve("secrets").resolve(("BR-77." + cred).replaceAll("[^A-Za-z0-9._-]", "_")
            + ".secret"));
        DriverManager.getConnection("jdbc:mariadb://127.0.0.1:3306/", login, pw).close();
        assertThatThrownBy(() -> DriverManager.getConnection("jdbc:mariadb://127.0.0.1:3306/", login,
            "old-password-123").close()).isInstanceOf(java.sql.SQLException.class);
        assertThat(respond.out()).doesNotContain(pw);
        assertThat(CliRun.of("breach", "drill", "--journal", journal, "--rotate", cred).exitCode()).isEqualTo(2);
      } finally {
        s.execute("DROP USER IF EXISTS '" + login + "'@'%'");
      }
    }
  }

  @Test
  void aDrillIsJournaledAndStatusShowsTheNextDrillAndWhereAnOpenResponseStands() {
    String journal = "file:" + dir;
    CliRun drill = CliRun.of("breach", "drill", "--journal", journal, "--now", "2026-11-02T09:00:00Z", "--json");
    // the command line has no host actions: the drill says which steps a deployment still lacks
    assertThat(drill.exitCode()).isEqualTo(1);
    assertThat(drill.json().get("steps")).hasSize(5);
    assertThat(drill.json().get("steps").get(0).get("status").asText()).isEqualTo("NOT_CONFIGURED");

    // a response interrupted after its first step, as a crash would leave it
    BreachJournal j = BreachJournal.folder(dir);
    j.begin(new BreachIncident("BR-3", Instant.parse("2026-11-03T08:00:00Z"), "leak", false),
        Instant.parse("2026-11-03T08:01:00Z"));
    j.stepStarted("BR-3", StepKind.NOTIFY_CUSTOMERS, Instant.parse("2026-11-03T08:02:00Z"));

    JsonNode status = CliRun.of("breach", "status", "--journal", journal, "--now", "2026-11-04T00:00:00Z", "--json")
        .json();
    assertThat(status.has("lastDrill")).as("an incomplete drill does not count").isFalse();
    assertThat(status.get("drillOverdue").asBoolean()).isTrue();
    assertThat(status.get("open")).hasSize(1);
    assertThat(status.get("open").get(0).get("incident").asText()).isEqualTo("BR-3");
    assertThat(status.get("open").get(0).get("step").asText()).isEqualTo("NOTIFY_CUSTOMERS");
    assertThat(status.get("open").get(0).get("stepStatus").asText()).isEqualTo("STARTED");
    assertThat(status.get("open").get(0).get("notifyRegulatorBy").asText()).as("GDPR Art. 33: 72 hours")
        .isEqualTo("2026-11-06T08:00:00Z");

    CliRun resumed = CliRun.of("breach", "respond", "--incident", "BR-3", "--journal", journal, "--json");
    assertThat(resumed.json().get("detectedAt").asText()).as("the first detection time is kept")
        .isEqualTo("2026-11-03T08:00:00Z");
    assertThat(CliRun.of("breach", "status", "--journal", journal, "--json").json().get("open")).isEmpty();
    assertThat(CliRun.of("breach", "status", "--journal", "nowhere:x").exitCode()).isEqualTo(2);
  }
}
