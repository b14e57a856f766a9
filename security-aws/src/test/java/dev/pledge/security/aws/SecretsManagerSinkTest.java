package dev.pledge.security.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pledge.core.Secret;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/** Secrets handed over into AWS Secrets Manager, on a stand-in that keeps versions and checks each request. */
class SecretsManagerSinkTest {
  private final FakeAws aws = new FakeAws();
  private final SecretsManagerClient sm = aws.connection().secretsManager();
  private final SecretsManagerSink sink = SecretsManagerSink.of(sm, "pledge/breach/");

  @AfterEach
  void stop() {
    sm.close();
    aws.close();
  }

  @Test
  void theFirstPutCreatesTheSecretAndALaterOneAddsACurrentVersionKeepingThePrevious() {
    assertThat(sink.get("INC-1.apikey.acme")).isEmpty();

    sink.put("INC-1.apikey.acme", Secret.ofUtf8("pk_first"));
    sink.put("INC-1.apikey.acme", Secret.ofUtf8("pk_second"));

    assertThat(sink.get("INC-1.apikey.acme").orElseThrow().utf8()).isEqualTo("pk_second");
    assertThat(aws.value("pledge/breach/INC-1.apikey.acme", "AWSPREVIOUS")).isEqualTo("pk_first");
    assertThat(aws.stages("pledge/breach/INC-1.apikey.acme").values())
        .containsExactlyInAnyOrder(Set.of("AWSCURRENT"), Set.of("AWSPREVIOUS"));
    assertThat(aws.actions()).containsExactly("GetSecretValue", "PutSecretValue", "CreateSecret", "PutSecretValue",
        "GetSecretValue");
    assertThat(aws.received().get(2).params()).containsEntry("Name", "pledge/breach/INC-1.apikey.acme")
        .containsEntry("SecretString", "pk_first").containsKey("ClientRequestToken");
    assertThat(sink.toString()).doesNotContain("pk_");
  }

  @Test
  void aDeniedReadFailsNamingTheSecretAndBadNamesAreRefused() {
    aws.deny("GetSecretValue");
    assertThatThrownBy(() -> sink.get("x")).hasMessageContaining("Secrets Manager refused to read pledge/breach/x")
        .hasMessageContaining("AccessDeniedException");
    assertThatThrownBy(() -> sink.put("../x", Secret.ofUtf8("s"))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> SecretsManagerSink.of(sm, "bad prefix")).isInstanceOf(IllegalArgumentException.class);
  }
}
