package dev.pledge.security.aws;

import dev.pledge.core.audit.AuditTrail;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pledge.core.Secret;
import dev.pledge.core.testing.Requirements;
import dev.pledge.core.time.MutableClock;
import dev.pledge.security.breach.BreachIncident;
import dev.pledge.security.breach.BreachJournal;
import dev.pledge.security.breach.BreachPolicy;
import dev.pledge.security.breach.BreachReport;
import dev.pledge.security.breach.BreachRunbook;
import dev.pledge.security.breach.DatastoreCredential;
import dev.pledge.security.breach.StepKind;
import dev.pledge.security.store.DataSources;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * Data-store passwords rotated through AWS Secrets Manager (P31) the way its own rotation stages
 * them (AWSPENDING, set, AWSCURRENT with AWSPREVIOUS), on a stand-in that keeps versions and labels
 * as the service does and checks each request, and on the machine's PostgreSQL for the real login.
 */
public class SecretsManagerRotationTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Instant DETECTED = Instant.parse("2026-11-02T09:00:00Z");
  private static final String PG = "jdbc:postgresql://127.0.0.1:5432/test";
  private final FakeAws aws = new FakeAws();
  private final SecretsManagerClient sm = aws.connection().secretsManager();
  private final MutableClock clock = MutableClock.at("2026-11-02T09:05:00Z");
  private final String tok = "psm" + UUID.randomUUID().toString().replace("-", "").substring(0, 8).toLowerCase(Locale.ROOT);
  private DataSource admin;
  @TempDir Path dir;

  @AfterEach
  void stop() throws SQLException {
    sm.close();
    aws.close();
    if (admin != null) {
      try (Connection c = admin.getConnection(); Statement s = c.createStatement()) {
        s.execute("DROP ROLE IF EXISTS " + tok + "_app");
      }
    }
  }

  /** A data-store login that records the passwords it is given, failing the first {@code failures} times. */
  static final class RecordingCredential implements DatastoreCredential {
    final List<String> passwords = new ArrayList<>();
    int failures;
    int rehearsals;

    RecordingCredential(int failures) {
      this.failures = failures;
    }

    @Override
    public String name() {
      return "orders-db";
    }

    @Override
    public void setPassword(Secret password) {
      if (failures-- > 0) {
        throw new IllegalStateException("the process died here");
      }
      passwords.add(password.utf8());
    }

    @Override
    public String rehearse() {
      rehearsals++;
      return "probe_1";
    }
  }

  private String verifier() throws SQLException {
    try (Connection c = admin.getConnection();
        java.sql.PreparedStatement p = c.prepareStatement("SELECT rolpassword FROM pg_authid WHERE rolname = ?")) {
      p.setString(1, tok + "_app");
      try (java.sql.ResultSet rs = p.executeQuery()) {
        rs.next();
        return rs.getString(1);
      }
    }
  }

  /** Whether a PostgreSQL verifier {@code SCRAM-SHA-256$ITER:SALT$STOREDKEY:SERVERKEY} holds {@code password} (RFC 5802). */
  public static boolean scramMatches(String verifier, String password) throws Exception {
    String[] parts = verifier.split("[$:]");
    assertThat(parts[0]).isEqualTo("SCRAM-SHA-256");
    int iterations = Integer.parseInt(parts[1]);
    byte[] salt = java.util.Base64.getDecoder().decode(parts[2]);
    byte[] stored = java.util.Base64.getDecoder().decode(parts[3]);
    javax.crypto.SecretKeyFactory f = javax.crypto.SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256");
    byte[] salted = f.generateSecret(new javax.crypto.spec.PBEKeySpec(password.toCharArray(), salt, iterations, 256))
        .getEncoded();
    javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
    mac.init(new javax.crypto.spec.SecretKeySpec(salted, "HmacSHA256"));
    byte[] clientKey = mac.doFinal("Client Key".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    return java.util.Arrays.equals(java.security.MessageDigest.getInstance("SHA-256").digest(clientKey), stored);
  }

  private static BreachReport.StepResult step(BreachReport r) {
    return r.steps().stream().filter(s -> s.step() == StepKind.ROTATE_DATASTORE_CREDENTIALS).findFirst().orElseThrow();
  }

  @Test
  void aPostgresPasswordIsStagedPendingThenSetThenMadeCurrentAndTheAppConnectsWithTheCurrentVersion() throws Exception {
    Requirements.requirePostgres();
    admin = DataSources.fromUrl(PG + "?user=postgres");
    try (Connection c = admin.getConnection(); Statement s = c.createStatement()) {
      s.execute("CREATE ROLE " + tok + "_app LOGIN PASSWORD 'before-the-breach-1'");
    }
    String secretId = "prod/" + tok + "/orders-db";
    aws.secret(secretId, "{\"engine\":\"postgres\",\"host\":\"127.0.0.1\",\"port\":5432,\"dbname\":\"test\","
        + "\"username\":\"" + tok + "_app\",\"password\":\"before-the-breach-1\"}");
    String before = aws.stages(secretId).keySet().iterator().next();
    BreachRunbook runbook = BreachRunbook.builder(BreachPolicy.defaults()).clock(clock).audit(AuditTrail.inMemory())
        .journal(BreachJournal.folder(dir))
        .action(StepKind.ROTATE_DATASTORE_CREDENTIALS, SecretsManagerRotation.builder(sm)
            .credential(DatastoreCredential.postgres("orders-db", admin, tok + "_app"), secretId).build())
        .build();
    BreachIncident incident = new BreachIncident("INC-40", DETECTED, "", false);

    BreachReport r = runbook.respond(incident);

    assertThat(step(r).status()).isEqualTo(BreachReport.StepResult.Status.DONE);
    String version = SecretsManagerRotation.versionId(incident, DatastoreCredential.postgres("orders-db", admin, tok + "_app"));
    assertThat(aws.stages(secretId)).isEqualTo(Map.of(before, Set.of("AWSPREVIOUS"), version, Set.of("AWSCURRENT")));
    JsonNode current = JSON.readTree(aws.value(secretId, "AWSCURRENT"));
    assertThat(current.get("username").asText()).isEqualTo(tok + "_app");
    assertThat(current.get("host").asText()).isEqualTo("127.0.0.1");
    assertThat(current.get("port").asInt()).isEqualTo(5432);
    String password = current.get("password").asText();
    assertThat(password).hasSize(32).isNotEqualTo("before-the-breach-1");
    try (Connection app = DriverManager.getConnection(PG, tok + "_app", password)) {
      assertThat(app.isValid(2)).isTrue();
    }
    // the machine's server trusts local connections, so the stored SCRAM verifier is what proves the change
    assertThat(scramMatches(verifier(), password)).isTrue();
    assertThat(scramMatches(verifier(), "before-the-breach-1")).isFalse();

    assertThat(aws.actions()).containsExactly("DescribeSecret", "GetSecretValue", "PutSecretValue",
        "UpdateSecretVersionStage", "UpdateSecretVersionStage");
    List<FakeAws.Received> req = aws.received();
    assertThat(req).allSatisfy(x -> {
      assertThat(x.headers().get("Content-Type")).isEqualTo("application/x-amz-json-1.1");
      assertThat(x.headers().get("X-Amz-Target")).isEqualTo("secretsmanager." + x.action());
      assertThat(x.headers().get("Authorization")).contains("/us-east-1/secretsmanager/aws4_request");
      assertThat(x.params()).containsEntry("SecretId", secretId);
    });
    assertThat(req.get(1).params()).containsEntry("VersionStage", "AWSCURRENT");
    assertThat(req.get(2).params()).containsEntry("ClientRequestToken", version).containsEntry("VersionStages", "[\"AWSPENDING\"]");
    assertThat(req.get(3).params()).containsEntry("VersionStage", "AWSCURRENT").containsEntry("MoveToVersionId", version)
        .containsEntry("RemoveFromVersionId", before);
    assertThat(req.get(4).params()).containsEntry("VersionStage", "AWSPENDING").containsEntry("RemoveFromVersionId", version)
        .doesNotContainKey("MoveToVersionId");
    assertThat(step(r).detail()).doesNotContain(password);
  }

  @Test
  void aResponseThatDiedAfterThePendingVersionReusesItsPasswordAndPutsNoOtherVersion() throws Exception {
    aws.secret("orders-db", "old-password-1");
    RecordingCredential db = new RecordingCredential(1);
    SecretsManagerRotation rotation = SecretsManagerRotation.builder(sm).credential(db, "orders-db").build();
    BreachIncident incident = new BreachIncident("INC-41", DETECTED, "", false);

    assertThatThrownBy(() -> rotation.perform(incident)).hasMessageContaining("orders-db: the process died here");
    String version = SecretsManagerRotation.versionId(incident, db);
    assertThat(aws.stages("orders-db").get(version)).containsExactly("AWSPENDING");
    String pending = aws.value("orders-db", "AWSPENDING");
    assertThat(aws.value("orders-db", "AWSCURRENT")).isEqualTo("old-password-1");

    aws.clearReceived();
    assertThat(rotation.perform(incident)).startsWith("rotated 1 data-store credentials in Secrets Manager");

    assertThat(db.passwords).containsExactly(pending);
    assertThat(aws.actions()).doesNotContain("PutSecretValue");
    assertThat(aws.stages("orders-db")).hasSize(2).containsEntry(version, Set.of("AWSCURRENT"));
    assertThat(aws.value("orders-db", "AWSCURRENT")).isEqualTo(pending);
    assertThat(aws.value("orders-db", "AWSPREVIOUS")).isEqualTo("old-password-1");

    // done: a third run changes nothing
    aws.clearReceived();
    assertThat(rotation.perform(incident)).contains("already current");
    assertThat(aws.actions()).containsExactly("DescribeSecret");
    assertThat(db.passwords).hasSize(1);
  }

  @Test
  void aFailingTestStepLeavesAwsCurrentWhereItWasAndAResumeWithAPassingTestFinishes() {
    aws.secret("orders-db", "old-password-1");
    RecordingCredential db = new RecordingCredential(0);
    BreachIncident incident = new BreachIncident("INC-44", DETECTED, "", false);
    List<String> tested = new ArrayList<>();

    assertThatThrownBy(() -> SecretsManagerRotation.builder(sm).credential(db, "orders-db").tester((c, pw) -> {
      tested.add(pw.utf8());
      throw new IllegalStateException("login refused by the replica");
    }).build().perform(incident))
        .hasMessageContaining("does not work with the pending version")
        .hasMessageContaining("AWSCURRENT stays where it was: login refused by the replica");
    assertThat(aws.value("orders-db", "AWSCURRENT")).isEqualTo("old-password-1");
    String pending = aws.value("orders-db", "AWSPENDING");
    assertThat(tested).containsExactly(pending);

    SecretsManagerRotation.builder(sm).credential(db, "orders-db").tester((c, pw) -> tested.add(pw.utf8())).build()
        .perform(incident);

    assertThat(tested).containsExactly(pending, pending);
    assertThat(db.passwords).containsExactly(pending, pending);
    assertThat(aws.value("orders-db", "AWSCURRENT")).isEqualTo(pending);
    assertThat(aws.value("orders-db", "AWSPENDING")).isNull();
  }

  @Test
  void aDrillReadsTheSecretAndRehearsesTheLoginWritingNothing() {
    aws.secret("orders-db", "old-password-1");
    RecordingCredential db = new RecordingCredential(0);

    String detail = SecretsManagerRotation.builder(sm).credential(db, "orders-db").build()
        .perform(new BreachIncident("DRILL-4", DETECTED, "", true));

    assertThat(detail).contains("orders-db readable at version").contains("probe probe_1");
    assertThat(db.rehearsals).isEqualTo(1);
    assertThat(db.passwords).isEmpty();
    assertThat(aws.actions()).containsExactly("DescribeSecret", "GetSecretValue");
    assertThat(aws.stages("orders-db")).hasSize(1);
  }

  @Test
  void aMissingSecretOrADeniedCallFailsNamingTheSecretAndTheErrorCode() {
    RecordingCredential db = new RecordingCredential(0);
    assertThatThrownBy(() -> SecretsManagerRotation.builder(sm).credential(db, "nope").build()
        .perform(new BreachIncident("INC-42", DETECTED, "", false)))
        .hasMessageContaining("orders-db: Secrets Manager refused nope: ResourceNotFoundException")
        .hasMessageNotContaining("software.amazon");
    assertThat(db.passwords).isEmpty();

    aws.secret("orders-db", "old-password-1");
    aws.deny("PutSecretValue");
    assertThatThrownBy(() -> SecretsManagerRotation.builder(sm).credential(db, "orders-db").build()
        .perform(new BreachIncident("INC-43", DETECTED, "", false)))
        .hasMessageContaining("AccessDeniedException")
        .hasMessageContaining("secretsmanager:PutSecretValue");
    assertThat(db.passwords).as("the store is never changed before the new password is kept").isEmpty();
  }
}
