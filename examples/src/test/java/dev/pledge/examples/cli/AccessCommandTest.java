package dev.pledge.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pledge.core.testing.Requirements;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code pledge access} per CLI.md, on a folder store and the machine's PostgreSQL as target. */
class AccessCommandTest {
  @TempDir Path dir;

  private String store() {
    return "file:" + dir.resolve("access");
  }

  @Test
  void enrolGrantListRevokeAndOffboardOnAFolderStoreAcrossRuns() {
    assertThat(CliRun.of("access", "enrol", "--account", "mark", "--name", "Mark M", "--employment", "employee",
        "--store", store()).exitCode()).isZero();
    assertThat(CliRun.of("access", "enrol", "--account", "ana", "--name", "Ana", "--employment", "employee",
        "--store", store()).exitCode()).isZero();
    assertThat(CliRun.of("access", "enrol", "--account", "carl", "--name", "Carl", "--employment", "contractor",
        "--store", store()).exitCode()).isZero();
    CliRun again = CliRun.of("access", "enrol", "--account", "ana", "--name", "Other", "--employment", "employee",
        "--store", store());
    assertThat(again.exitCode()).isEqualTo(1);
    assertThat(again.err()).contains("P19");

    CliRun contractor = CliRun.of("access", "grant", "--account", "carl", "--role", "engineer", "--reason", "PROJ-1",
        "--for", "1d", "--store", store());
    assertThat(contractor.exitCode()).isEqualTo(1);
    assertThat(contractor.err()).contains("contractor");
    CliRun noApprover = CliRun.of("access", "grant", "--account", "ana", "--role", "operations", "--reason",
        "INC-7 orders", "--for", "2h", "--store", store());
    assertThat(noApprover.exitCode()).isEqualTo(1);
    assertThat(noApprover.err()).contains("approver");
    CliRun tooLong = CliRun.of("access", "grant", "--account", "ana", "--role", "operations", "--reason",
        "INC-7 orders", "--for", "9h", "--approver", "mark", "--store", store());
    assertThat(tooLong.exitCode()).isEqualTo(1);
    assertThat(tooLong.err()).contains("at most 8h");
    CliRun noReason = CliRun.of("access", "grant", "--account", "ana", "--role", "operations", "--for", "2h",
        "--approver", "mark", "--store", store());
    assertThat(noReason.exitCode()).isEqualTo(1);
    assertThat(noReason.err()).contains("reason");

    CliRun granted = CliRun.of("access", "grant", "--account", "ana", "--role", "operations", "--reason",
        "INC-7 orders", "--for", "2h", "--approver", "mark", "--store", store(), "--now", "2026-11-02T09:00:00Z",
        "--json");
    assertThat(granted.exitCode()).as(granted.err()).isZero();
    String id = granted.json().get("grant").asText();
    assertThat(granted.json().get("until").asText()).isEqualTo("2026-11-02T11:00:00Z");

    JsonNode list = CliRun.of("access", "list", "--store", store(), "--json", "--now", "2026-11-02T10:00:00Z").json();
    assertThat(list.get("grants")).hasSize(1);
    assertThat(list.get("grants").get(0).get("status").asText()).isEqualTo("active");
    assertThat(list.get("people")).hasSize(3);

    CliRun expire = CliRun.of("access", "expire", "--store", store(), "--now", "2026-11-02T11:00:00Z", "--json");
    assertThat(expire.json().get("expired").get(0).asText()).isEqualTo(id);
    assertThat(CliRun.of("access", "revoke", "--grant", id, "--store", store()).exitCode())
        .as("already ended").isEqualTo(1);
    assertThat(CliRun.of("access", "revoke", "--grant", "gnope", "--store", store()).exitCode()).isEqualTo(2);

    CliRun off = CliRun.of("access", "offboard", "--account", "ana", "--store", store());
    assertThat(off.exitCode()).isZero();
    assertThat(CliRun.of("access", "enrol", "--account", "ana", "--name", "Ana 2", "--employment", "employee",
        "--store", store()).err()).contains("never reused");
    assertThat(dir.resolve("access/audit.jsonl")).content().contains("access.expire", "access.offboard");
  }

  @Test
  void aJdbcStoreIsSharedByEveryRunAndExpiryIsSweptFromAnyOfThem() {
    String jdbc = "jdbc:h2:file:" + dir.resolve("h2/access");
    for (String a : new String[] {"mark", "ana"}) {
      assertThat(CliRun.of("access", "enrol", "--account", a, "--name", a, "--employment", "employee", "--store", jdbc)
          .exitCode()).isZero();
    }
    CliRun granted = CliRun.of("access", "grant", "--account", "ana", "--role", "operations", "--reason", "INC-3",
        "--for", "1h", "--approver", "mark", "--store", jdbc, "--now", "2026-11-02T09:00:00Z");
    assertThat(granted.exitCode()).as(granted.err()).isZero();
    String id = granted.out().trim();

    JsonNode expired = CliRun.of("access", "expire", "--store", jdbc, "--now", "2026-11-02T10:00:00Z", "--json").json();
    assertThat(expired.get("expired").get(0).asText()).isEqualTo(id);
    assertThat(CliRun.of("access", "expire", "--store", jdbc, "--now", "2026-11-02T10:00:00Z", "--json").json()
        .get("expired")).as("swept once").isEmpty();
    assertThat(CliRun.of("access", "list", "--store", jdbc, "--json").json().get("grants").get(0).get("status").asText())
        .isEqualTo("expired");
    // with neither --audit nor an audit section, the trail lives in the store's own database
    CliRun trail = CliRun.of("audit", "query", "--trail", jdbc, "--json");
    assertThat(trail.exitCode()).as(trail.err()).isZero();
    assertThat(trail.out()).contains(id).contains("ana");
    assertThat(CliRun.of("audit", "verify", "--trail", jdbc).exitCode()).isZero();
  }

  @Test
  void aGrantOnAPostgresTargetPrintsItsPasswordOnceAndRevokeDropsTheLogin() throws Exception {
    Requirements.requirePostgres();
    String role = "pc" + UUID.randomUUID().toString().replace("-", "").substring(0, 8).toLowerCase(Locale.ROOT);
    Path policy = dir.resolve("policy.yaml");
    Files.writeString(policy, """
        access:
          administrator: mark
          roles:
            - name: operations
              permissions: [database.read]
              production: true
              databaseRole: %s
        """.formatted(role));
    String target = "postgres:postgresql://postgres@127.0.0.1:5432/test";
    try (Connection admin = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/test", "postgres", "");
        Statement s = admin.createStatement()) {
      s.execute("CREATE ROLE " + role + " NOLOGIN");
      try {
        for (String a : new String[] {"mark", "ana"}) {
          CliRun.of("access", "enrol", "--account", a, "--name", a, "--employment", "employee", "--store", store(),
              "--policy", policy.toString());
        }
        CliRun granted = CliRun.of("access", "grant", "--account", "ana", "--role", "operations", "--reason", "INC-9",
            "--for", "1h", "--approver", "mark", "--store", store(), "--target", target, "--policy", policy.toString(),
            "--json");
        assertThat(granted.exitCode()).as(granted.err()).isZero();
        String user = granted.json().get("username").asText();
        String password = granted.json().get("password").asText();
        assertThat(user).startsWith("pledge_ana_g");
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/test", user, password);
            Statement q = c.createStatement()) {
          q.executeQuery("SELECT 1").close();
          assertThat(Files.readString(dir.resolve("access/access.json"))).doesNotContain(password);
          assertThat(Files.readString(dir.resolve("access/audit.jsonl"))).doesNotContain(password);

          CliRun revoked = CliRun.of("access", "revoke", "--grant", granted.json().get("grant").asText(), "--store",
              store(), "--policy", policy.toString());
          assertThat(revoked.exitCode()).as(revoked.err()).isZero();
          assertThatThrownBy(() -> q.executeQuery("SELECT 1")).isInstanceOf(SQLException.class);
        }
        assertThatThrownBy(() -> DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/test", user, password))
            .isInstanceOf(SQLException.class);
      } finally {
        s.execute("DROP ROLE IF EXISTS " + role);
      }
    }
  }

  @Test
  void driftMeasuresATargetAndRecordsTheMeasurementWhereTheReportReadsIt() throws Exception {
    Requirements.requirePostgres();
    Path policy = dir.resolve("policy.yaml");
    Files.writeString(policy, """
        access:
          administrator: mark
          roles: [{name: operations, permissions: [database.read], production: true}]
        """);
    String target = "postgres:postgresql://postgres@127.0.0.1:5432/test";

    // the shared server may hold other runs' pledge_ logins at this instant: the verdict is theirs to
    // make; what this run shows is that the measurement is made and recorded
    CliRun drift = CliRun.of("access", "drift", "--store", store(), "--target", target, "--policy", policy.toString(),
        "--json");

    assertThat(drift.exitCode()).as(drift.err()).isIn(0, 1);
    JsonNode measured = drift.json().get("targets").get(0);
    assertThat(measured.get("target").asText()).isEqualTo(target);
    assertThat(measured.get("administrators").toString()).contains("postgres");
    assertThat(Files.readString(dir.resolve("access/audit.jsonl"))).contains("\"access.drift\"")
        .contains(target);
  }
}
