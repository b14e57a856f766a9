package dev.pledge.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pledge.core.testing.Requirements;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * No secret in any audit record or error (issue 14, item 6) from the command line: every command that
 * audits ({@code backup}, {@code breach}, {@code access}) is run with passwords in its URLs, a key
 * file, and a real password rotation; the trails' bytes, standard output and standard error are
 * searched for each secret.
 */
class SecretsInCliAuditTest {
  private static final String PW = "cli-Adm1n-hunter2-e4b7";

  @TempDir Path dir;
  private final List<String> secrets = new ArrayList<>(List.of(PW));

  private void assertNoSecret(String where, String text) {
    for (String s : secrets) {
      assertThat(text).as(where + " must not hold a secret").doesNotContain(s);
    }
  }

  private void assertNoSecretIn(CliRun run) {
    assertNoSecret("standard output", run.out());
    assertNoSecret("standard error", run.err());
  }

  private void assertTrailHoldsNoSecret(Path trail) throws Exception {
    assertThat(trail).exists();
    assertNoSecret("the trail " + trail, Files.readString(trail, StandardCharsets.UTF_8));
  }

  @Test
  void backupCommandsAuditWithoutTheKeyOrAPasswordGivenInAUrl() throws Exception {
    Path key = dir.resolve("backup.key");
    assertThat(CliRun.of("backup", "keygen", "--out", key.toString()).exitCode()).isZero();
    secrets.add(Base64.getEncoder().encodeToString(Files.readAllBytes(key)));
    secrets.add(Files.readString(key, StandardCharsets.ISO_8859_1).strip());
    Files.createDirectories(dir.resolve("site"));
    Files.writeString(dir.resolve("site/.env"), "DB_PASSWORD=" + PW + "\n");
    Path trail = dir.resolve("audit.jsonl");
    String[] common = {"--store", "file:" + dir.resolve("store"), "--key-file", key.toString(), "--site", "shop",
        "--env", "production", "--audit", "file:" + trail};

    CliRun ok = CliRun.of(concat(new String[] {"backup", "run", "--source", "dir:" + dir.resolve("site")}, common));
    assertThat(ok.exitCode()).as(ok.err()).isZero();
    assertNoSecretIn(ok);
    CliRun withPassword = CliRun.of(concat(new String[] {"backup", "run", "--source",
        "postgres:postgresql://app:" + PW + "@127.0.0.1:1/shop"}, common));
    assertThat(withPassword.exitCode()).isEqualTo(2);
    assertNoSecretIn(withPassword);
    CliRun unreachable = CliRun.of(concat(new String[] {"backup", "run", "--source",
        "postgres:postgresql://app@127.0.0.1:1/shop"}, common));
    assertThat(unreachable.exitCode()).isNotZero();
    assertNoSecretIn(unreachable);
    assertTrailHoldsNoSecret(trail);
  }

  @Test
  void accessAndBreachCommandsAuditWithoutLoginPasswordsOrRotatedOnes() throws Exception {
    Requirements.requirePostgres();
    String tok = "sc" + UUID.randomUUID().toString().replace("-", "").substring(0, 8).toLowerCase(Locale.ROOT);
    Path policy = dir.resolve("policy.yaml");
    Files.writeString(policy, """
        access:
          administrator: mark
          roles:
            - name: operations
              permissions: [database.read]
              production: true
              databaseRole: %s_read
        """.formatted(tok));
    String store = "file:" + dir.resolve("access");
    try (Connection admin = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/test", "postgres", "");
        Statement s = admin.createStatement()) {
      s.execute("CREATE ROLE " + tok + "_read NOLOGIN");
      s.execute("CREATE ROLE " + tok + "_app LOGIN PASSWORD 'old-password-123'");
      try {
        for (String a : new String[] {"mark", "ana"}) {
          CliRun.of("access", "enrol", "--account", a, "--name", a, "--employment", "employee", "--store", store,
              "--policy", policy.toString());
        }
        CliRun refused = CliRun.of("access", "grant", "--account", "ana", "--role", "operations", "--reason", "INC-9",
            "--for", "1h", "--approver", "mark", "--store", store, "--policy", policy.toString(), "--target",
            "postgres:postgresql://postgres:" + PW + "@127.0.0.1:5432/test");
        assertThat(refused.exitCode()).isEqualTo(2);
        assertNoSecretIn(refused);
        CliRun granted = CliRun.of("access", "grant", "--account", "ana", "--role", "operations", "--reason", "INC-9",
            "--for", "1h", "--approver", "mark", "--store", store, "--policy", policy.toString(), "--target",
            "postgres:postgresql://postgres@127.0.0.1:5432/test", "--json");
        assertThat(granted.exitCode()).as(granted.err()).isZero();
        secrets.add(granted.json().get("password").asText());
        assertThat(CliRun.of("access", "revoke", "--grant", granted.json().get("grant").asText(), "--store", store,
            "--policy", policy.toString()).exitCode()).isZero();
        assertTrailHoldsNoSecret(dir.resolve("access/audit.jsonl"));

        String journal = "file:" + dir.resolve("journal");
        Path secretsDir = dir.resolve("secrets");
        CliRun badCred = CliRun.of("breach", "respond", "--incident", "BR-5", "--journal", journal, "--rotate",
            "postgres:postgresql://postgres:" + PW + "@127.0.0.1:5432/test#" + tok + "_app", "--secrets",
            secretsDir.toString());
        assertThat(badCred.exitCode()).isEqualTo(2);
        assertNoSecretIn(badCred);
        CliRun respond = CliRun.of("breach", "respond", "--incident", "BR-6", "--journal", journal, "--rotate",
            "postgres:postgresql://postgres@127.0.0.1:5432/test#" + tok + "_app", "--secrets", secretsDir.toString(),
            "--json");
        try (Stream<Path> files = Files.list(secretsDir)) {
          for (Path f : files.toList()) {
            secrets.add(Files.readString(f).strip());
          }
        }
        assertThat(secrets).as("the rotation handed over a new password").hasSizeGreaterThan(2);
        assertNoSecretIn(respond);
        assertTrailHoldsNoSecret(dir.resolve("journal/audit.jsonl"));
      } finally {
        s.execute("DROP ROLE IF EXISTS " + tok + "_app");
        s.execute("DROP ROLE IF EXISTS " + tok + "_read");
      }
    }
  }

  private static String[] concat(String[] a, String[] b) {
    String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
