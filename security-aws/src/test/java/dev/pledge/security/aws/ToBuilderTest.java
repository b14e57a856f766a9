package dev.pledge.security.aws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pledge.core.Secret;
import dev.pledge.security.breach.DatastoreCredential;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * Issue 13: the AWS builders have {@code toBuilder()}; builder, build, {@code toBuilder()}, build gives
 * the same configuration. Nothing here reaches AWS: building sends no request.
 */
class ToBuilderTest {

  @Test
  void anAwsConnectionCopyHasEverySetting() {
    AwsConnection.Builder given = AwsConnection.builder().region("eu-west-2").endpoint(URI.create("http://127.0.0.1:9"))
        .credentials("AKIAPLEDGETEST", Secret.ofUtf8("not-a-real-secret-key")).timeout(Duration.ofSeconds(4));
    AwsConnection first = given.build();
    assertThat(first.toBuilder()).usingRecursiveComparison().isEqualTo(given);
    assertThat(first.toBuilder().build().toBuilder()).usingRecursiveComparison().isEqualTo(first.toBuilder());
  }

  @Test
  void aSecretsManagerRotationCopyHasEveryCredentialAndTheTester() {
    SecretsManagerClient sm = AwsConnection.builder().region("eu-west-2").endpoint(URI.create("http://127.0.0.1:9"))
        .credentials("AKIAPLEDGETEST", Secret.ofUtf8("not-a-real-secret-key")).build().secretsManager();
    try (sm) {
      DatastoreCredential cache = DatastoreCredential.redis("cache", new InetSocketAddress("127.0.0.1", 9), null, null,
          "app");
      SecretsManagerRotation.Tester tester = (credential, password) -> { };
      SecretsManagerRotation.Builder given = SecretsManagerRotation.builder(sm).credential(cache, "prod/cache")
          .tester(tester);
      SecretsManagerRotation first = given.build();
      assertThat(first.toBuilder()).usingRecursiveComparison().isEqualTo(given);
      assertThat(first.toBuilder().build().toBuilder()).usingRecursiveComparison().isEqualTo(first.toBuilder());
    }
  }
}
