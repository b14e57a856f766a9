package dev.pledge.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pledge.core.internal.Json;
import dev.pledge.core.jdbc.DataSources;
import dev.pledge.core.testing.Requirements;
import dev.pledge.security.aws.FakeAws;
import dev.pledge.security.aws.SecretsManagerRotation;
import dev.pledge.security.aws.SecretsManagerRotationTest;
import dev.pledge.security.breach.BreachIncident;
import dev.pledge.security.breach.DatastoreCredential;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code pledge access grant --target iam:...} and {@code pledge breach respond --iam-user} against
 * the IAM stand-in of pledge-security-aws's tests, which keeps users and keys as IAM does and
 * refuses requests not signed with its test credentials (given here through the SDK's default
 * chain, as the {@code aws.accessKeyId} and {@code aws.secretAccessKey} system properties).
 */
class AwsCommandTest {
  private final FakeAws aws = new FakeAws();
  @TempDir Path dir;

  @BeforeEach
  void credentials() {
    System.setProperty("aws.accessKeyId", FakeAws.KEY_ID);
    System.setProperty("aws.secretAccessKey", FakeAws.SECRET_KEY);
  }

  @AfterEach
  void stop() {
    System.clearProperty("aws.accessKeyId");
    System.clearProperty("aws.secretAccessKey");
    aws.close();
  }

  @Test
  void aBreachResponseReplacesTheAccessKeysOfTheNamedIamUsers() throws Exception {
    String old = aws.addKey("ci-deployer").id;

    CliRun r = CliRun.of("breach", "respond", "--incident", "BR-31", "--journal", "file:" + dir.resolve("journal"),
        "--iam-user", "ci-deployer", "--secrets", dir.resolve("secrets").toString(), "--aws-endpoint", aws.url(),
        "--json");

    JsonNode step = r.json().get("steps").get(3);
    assertThat(step.get("step").asText()).isEqualTo("RESET_CLOUD_CREDENTIALS");
    assertThat(step.get("status").asText()).as(step.toString()).isEqualTo("DONE");
    JsonNode handed = Json.mapper().readTree(Files.readString(dir.resolve("secrets").resolve("BR-31.iam.ci-deployer.secret")));
    assertThat(aws.users.get("ci-deployer").keys).containsOnlyKeys(handed.get("AccessKeyId").asText())
        .doesNotContainKey(old);
    assertThat(r.out()).doesNotContain(handed.get("SecretAccessKey").asText());

    CliRun noSecrets = CliRun.of("breach", "drill", "--journal", "file:" + dir, "--iam-user", "ci-deployer");
    assertThat(noSecrets.exitCode()).isEqualTo(2);
    assertThat(noSecrets.err()).contains("--iam-user needs --secrets DIR");
  }

  @Test
  void newSecretsGoToSecretsManagerWhenSecretsNamesAPrefixThere() throws Exception {
    String old = aws.addKey("ci-deployer").id;

    CliRun r = CliRun.of("breach", "respond", "--incident", "BR-32", "--journal", "file:" + dir.resolve("journal"),
        "--iam-user", "ci-deployer", "--secrets", "secretsmanager:pledge/breach/", "--aws-endpoint", aws.url(), "--json");

    assertThat(r.json().get("steps").get(3).get("status").asText()).as(r.out()).isEqualTo("DONE");
    JsonNode handed = Json.mapper().readTree(aws.value("pledge/breach/BR-32.iam.ci-deployer", "AWSCURRENT"));
    assertThat(aws.users.get("ci-deployer").keys).containsOnlyKeys(handed.get("AccessKeyId").asText())
        .doesNotContainKey(old);
    assertThat(aws.received()).filteredOn(x -> x.service().equals("secretsmanager")).extracting(FakeAws.Received::action)
        .containsExactly("GetSecretValue", "PutSecretValue", "CreateSecret");
    assertThat(dir.resolve("secrets")).doesNotExist();
  }

  private static JsonNode step(CliRun r, String name) {
    for (JsonNode s : r.json().get("steps")) {
      if (s.get("step").asText().equals(name)) {
        return s;
      }
    }
    throw new AssertionError("no step " + name + " in " + r.out());
  }

  @Test
  void rotateSecretStagesANewPostgresPasswordInSecretsManagerAndADrillWritesNothing() throws Exception {
    Requirements.requirePostgres();
    DataSource admin = DataSources.fromUrl("jdbc:postgresql://127.0.0.1:5432/test?user=postgres");
    String role = "pcli" + UUID.randomUUID().toString().replace("-", "").substring(0, 8).toLowerCase(Locale.ROOT);
    try (Connection c = admin.getConnection(); Statement s = c.createStatement()) {
      s.execute("CREATE ROLE " + role + " LOGIN PASSWORD 'before-the-breach-1'");
    }
    try {
      String secretId = "prod/" + role + "/orders-db";
      aws.secret(secretId, "{\"engine\":\"postgres\",\"host\":\"127.0.0.1\",\"username\":\"" + role
          + "\",\"password\":\"before-the-breach-1\"}");
      String before = aws.stages(secretId).keySet().iterator().next();
      String cred = "postgres:postgresql://postgres@127.0.0.1:5432/test#" + role;
      String journal = "file:" + dir.resolve("journal");

      CliRun drill = CliRun.of("breach", "drill", "--id", "DRILL-33", "--journal", journal, "--rotate-secret",
          cred + "=" + secretId, "--aws-endpoint", aws.url(), "--json");

      JsonNode rehearsed = step(drill, "ROTATE_DATASTORE_CREDENTIALS");
      assertThat(rehearsed.get("status").asText()).as(drill.out() + drill.err()).isEqualTo("DONE");
      assertThat(rehearsed.get("detail").asText()).contains("readable at version " + before);
      assertThat(aws.actions()).containsExactly("DescribeSecret", "GetSecretValue");
      assertThat(aws.stages(secretId)).containsOnlyKeys(before);
      aws.clearReceived();

      CliRun r = CliRun.of("breach", "respond", "--incident", "BR-33", "--journal", journal, "--rotate-secret",
          cred + "=" + secretId, "--aws-endpoint", aws.url(), "--json");

      assertThat(step(r, "ROTATE_DATASTORE_CREDENTIALS").get("status").asText()).as(r.out() + r.err()).isEqualTo("DONE");
      String version = SecretsManagerRotation.versionId(new BreachIncident("BR-33", Instant.EPOCH, "", false),
          DatastoreCredential.postgres(cred, admin, role));
      assertThat(aws.stages(secretId)).isEqualTo(Map.of(before, Set.of("AWSPREVIOUS"), version, Set.of("AWSCURRENT")));
      JsonNode current = Json.mapper().readTree(aws.value(secretId, "AWSCURRENT"));
      assertThat(current.get("username").asText()).isEqualTo(role);
      String password = current.get("password").asText();
      assertThat(password).hasSize(32);
      assertThat(SecretsManagerRotationTest.scramMatches(verifier(admin, role), password)).isTrue();
      assertThat(aws.actions()).containsExactly("DescribeSecret", "GetSecretValue", "PutSecretValue",
          "UpdateSecretVersionStage", "UpdateSecretVersionStage");
      assertThat(aws.received().get(2).params()).containsEntry("SecretId", secretId)
          .containsEntry("ClientRequestToken", version).containsEntry("VersionStages", "[\"AWSPENDING\"]");
      assertThat(r.out() + r.err()).doesNotContain(password);
      assertThat(Files.readString(dir.resolve("journal/audit.jsonl"))).doesNotContain(password);

      aws.clearReceived();
      CliRun again = CliRun.of("breach", "respond", "--incident", "BR-33", "--journal", journal, "--rotate-secret",
          cred + "=" + secretId, "--aws-endpoint", aws.url(), "--json");
      assertThat(again.exitCode()).as(again.err()).isLessThan(2);
      assertThat(aws.actions()).as("the journal says the step is done").isEmpty();

      CliRun bad = CliRun.of("breach", "drill", "--journal", journal, "--rotate-secret", cred);
      assertThat(bad.exitCode()).isEqualTo(2);
      assertThat(bad.err()).contains("--rotate-secret:").contains("must be CRED=SECRET");
    } finally {
      try (Connection c = admin.getConnection(); Statement s = c.createStatement()) {
        s.execute("DROP ROLE IF EXISTS " + role);
      }
    }
  }

  private static String verifier(DataSource admin, String role) throws Exception {
    try (Connection c = admin.getConnection();
        PreparedStatement p = c.prepareStatement("SELECT rolpassword FROM pg_authid WHERE rolname = ?")) {
      p.setString(1, role);
      try (ResultSet rs = p.executeQuery()) {
        rs.next();
        return rs.getString(1);
      }
    }
  }

  @Test
  void anIamTargetGrantIsAUserInTheRolesGroupThatRevokeDeletes() throws Exception {
    aws.group("operations");
    Path policy = dir.resolve("policy.yaml");
    Files.writeString(policy, """
        access:
          administrator: mark
          roles:
            - name: operations
              permissions: [cloud.read]
              production: true
        """);
    String store = "file:" + dir.resolve("access");
    for (String a : new String[] {"mark", "ana"}) {
      CliRun.of("access", "enrol", "--account", a, "--name", a, "--employment", "employee", "--store", store,
          "--policy", policy.toString());
    }
    String target = "iam:" + aws.url();

    CliRun granted = CliRun.of("access", "grant", "--account", "ana", "--role", "operations", "--reason", "INC-9",
        "--for", "1h", "--approver", "mark", "--store", store, "--target", target, "--policy", policy.toString(), "--json");

    assertThat(granted.exitCode()).as(granted.err()).isZero();
    String user = granted.json().get("username").asText();
    assertThat(user).startsWith("pledge_ana_g");
    assertThat(aws.users.get(user).groups).containsExactly("operations");
    assertThat(aws.users.get(user).consolePassword).isEqualTo(granted.json().get("password").asText());
    assertThat(Files.readString(dir.resolve("access/audit.jsonl"))).doesNotContain(granted.json().get("password").asText());

    CliRun revoked = CliRun.of("access", "revoke", "--grant", granted.json().get("grant").asText(), "--store", store,
        "--policy", policy.toString());
    assertThat(revoked.exitCode()).as(revoked.err()).isZero();
    assertThat(aws.users).doesNotContainKey(user);

    CliRun bad = CliRun.of("access", "grant", "--account", "ana", "--role", "operations", "--reason", "INC-9",
        "--for", "1h", "--approver", "mark", "--store", store, "--target", "iam:ftp://x", "--policy", policy.toString());
    assertThat(bad.exitCode()).isEqualTo(2);
    assertThat(bad.err()).contains("must be an http:// or https:// URL");
  }
}
