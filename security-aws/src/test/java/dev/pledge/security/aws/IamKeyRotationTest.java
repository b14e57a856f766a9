package dev.pledge.security.aws;

import dev.pledge.core.audit.AuditTrail;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pledge.core.Secret;
import dev.pledge.core.time.MutableClock;
import dev.pledge.security.breach.BreachIncident;
import dev.pledge.security.breach.BreachJournal;
import dev.pledge.security.breach.BreachPolicy;
import dev.pledge.security.breach.BreachReport;
import dev.pledge.security.breach.BreachRunbook;
import dev.pledge.security.breach.SecretSink;
import dev.pledge.security.breach.StepKind;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.iam.IamClient;

/**
 * Cloud access keys rotated through IAM (P31) on a stand-in that keeps keys as IAM does (two per
 * user at most) and checks every request: old keys are deactivated then deleted, one new key reaches
 * the sink, a resumed response ends with exactly that one key, and a drill leaves nothing behind.
 */
class IamKeyRotationTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Instant DETECTED = Instant.parse("2026-11-02T09:00:00Z");
  private final FakeAws aws = new FakeAws();
  private final IamClient iam = aws.connection().iam();
  private final MutableClock clock = MutableClock.at("2026-11-02T09:05:00Z");
  @TempDir Path dir;

  @AfterEach
  void stop() {
    iam.close();
    aws.close();
  }

  private BreachRunbook runbook(SecretSink sink, List<String> users) {
    return BreachRunbook.builder(BreachPolicy.defaults()).clock(clock).audit(AuditTrail.inMemory())
        .journal(BreachJournal.folder(dir.resolve("journal")))
        .action(StepKind.RESET_CLOUD_CREDENTIALS, IamKeyRotation.of(iam, sink, users)).build();
  }

  private static BreachReport.StepResult step(BreachReport r) {
    return r.steps().stream().filter(s -> s.step() == StepKind.RESET_CLOUD_CREDENTIALS).findFirst().orElseThrow();
  }

  private static JsonNode json(Secret s) throws Exception {
    return JSON.readTree(s.utf8());
  }

  @Test
  void everyOldKeyIsDeactivatedThenDeletedAndOneNewKeyReachesTheSink() throws Exception {
    String old1 = aws.addKey("ci-deployer").id;
    String old2 = aws.addKey("ci-deployer").id;
    String old3 = aws.addKey("backup-writer").id;
    SecretSink sink = SecretSink.folder(dir.resolve("secrets"));

    BreachReport r = runbook(sink, List.of("ci-deployer", "backup-writer"))
        .respond(new BreachIncident("INC-31", DETECTED, "keys leaked", false));

    assertThat(step(r).status()).isEqualTo(BreachReport.StepResult.Status.DONE);
    assertThat(step(r).detail()).startsWith("rotated the access keys of 2 IAM users")
        .contains("ci-deployer (2 deactivated, 2 deleted, new key");
    JsonNode handed = json(sink.get("INC-31.iam.ci-deployer").orElseThrow());
    String fresh = handed.get("AccessKeyId").asText();
    assertThat(aws.users.get("ci-deployer").keys).containsOnlyKeys(fresh);
    assertThat(handed.get("SecretAccessKey").asText()).isEqualTo(aws.users.get("ci-deployer").keys.get(fresh).secret);
    assertThat(aws.users.get("backup-writer").keys).hasSize(1).doesNotContainKey(old3);
    assertThat(step(r).detail()).doesNotContain(handed.get("SecretAccessKey").asText());

    List<FakeAws.Received> forDeployer = aws.received().stream()
        .filter(x -> "ci-deployer".equals(x.params().get("UserName"))).toList();
    assertThat(forDeployer).extracting(FakeAws.Received::action).containsExactly("ListAccessKeys", "UpdateAccessKey",
        "UpdateAccessKey", "DeleteAccessKey", "DeleteAccessKey", "CreateAccessKey");
    assertThat(forDeployer.get(1).params()).containsEntry("AccessKeyId", old1).containsEntry("Status", "Inactive");
    assertThat(forDeployer.get(2).params()).containsEntry("AccessKeyId", old2).containsEntry("Status", "Inactive");
    assertThat(forDeployer.get(3).params()).containsEntry("AccessKeyId", old1);
    assertThat(aws.received()).allSatisfy(x -> assertThat(x.headers().get("Authorization"))
        .matches("AWS4-HMAC-SHA256 Credential=AKIAPLEDGETEST/\\d{8}/us-east-1/iam/aws4_request, .*"));
  }

  @Test
  void aResponseThatDiedBeforeTheNewKeyReachedTheSinkEndsWithExactlyOneKeyTheOneInTheSink() throws Exception {
    aws.addKey("ci-deployer");
    SecretSink folder = SecretSink.folder(dir.resolve("secrets"));
    AtomicInteger puts = new AtomicInteger();
    SecretSink dying = new SecretSink() {
      @Override
      public void put(String name, Secret secret) {
        if (puts.incrementAndGet() == 1) {
          throw new IllegalStateException("the process died here");
        }
        folder.put(name, secret);
      }

      @Override
      public Optional<Secret> get(String name) {
        return folder.get(name);
      }
    };
    BreachIncident incident = new BreachIncident("INC-32", DETECTED, "", false);

    BreachReport first = runbook(dying, List.of("ci-deployer")).respond(incident);
    assertThat(step(first).status()).isEqualTo(BreachReport.StepResult.Status.FAILED);
    assertThat(step(first).detail()).contains("ci-deployer: the process died here");
    String lost = aws.users.get("ci-deployer").keys.keySet().iterator().next();

    BreachReport resumed = runbook(dying, List.of("ci-deployer")).respond(incident);
    assertThat(step(resumed).status()).isEqualTo(BreachReport.StepResult.Status.DONE);
    String handed = json(folder.get("INC-32.iam.ci-deployer").orElseThrow()).get("AccessKeyId").asText();
    assertThat(aws.users.get("ci-deployer").keys).containsOnlyKeys(handed).doesNotContainKey(lost);

    // once done, the step is journaled and not run again; the action itself keeps the handed-over key
    aws.clearReceived();
    IamKeyRotation.of(iam, folder, List.of("ci-deployer")).perform(incident);
    assertThat(aws.actions()).containsExactly("ListAccessKeys");
    assertThat(aws.users.get("ci-deployer").keys).containsOnlyKeys(handed);
  }

  @Test
  void aDrillCreatesDeactivatesAndDeletesAProbeKeyAndLeavesTheUsersKeysAsTheyWere() {
    String kept = aws.addKey("ci-deployer").id;
    aws.addKey("full");
    aws.addKey("full");
    SecretSink sink = SecretSink.folder(dir.resolve("secrets"));

    BreachReport r = runbook(sink, List.of("ci-deployer", "full")).drill("DRILL-1");

    assertThat(step(r).status()).isEqualTo(BreachReport.StepResult.Status.DONE);
    assertThat(step(r).detail()).contains("created, deactivated and deleted").contains("no free slot for a probe key");
    assertThat(aws.users.get("ci-deployer").keys).containsOnlyKeys(kept);
    assertThat(aws.users.get("ci-deployer").keys.get(kept).status).isEqualTo("Active");
    assertThat(aws.users.get("full").keys).hasSize(2).allSatisfy((id, k) -> assertThat(k.status).isEqualTo("Active"));
    assertThat(sink.get("DRILL-1.iam.ci-deployer")).isEmpty();
  }

  @Test
  void aMissingUserOrARefusedCallFailsTheStepNamingTheUserAndTheErrorCode() {
    aws.addKey("ci-deployer");
    aws.deny("UpdateAccessKey");
    SecretSink sink = SecretSink.folder(dir.resolve("secrets"));

    assertThatThrownBy(() -> IamKeyRotation.of(iam, sink, List.of("ghost", "ci-deployer"))
        .perform(new BreachIncident("INC-33", DETECTED, "", false)))
        .hasMessageContaining("ghost: no such IAM user")
        .hasMessageContaining("ci-deployer: AccessDenied: User: arn:aws:iam::123456789012:user/pledge-runner is not authorized to perform: iam:UpdateAccessKey")
        .hasMessageNotContaining("Exception");
    assertThatThrownBy(() -> IamKeyRotation.of(iam, sink, List.of("bad name"))).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'bad name'");
  }
}
