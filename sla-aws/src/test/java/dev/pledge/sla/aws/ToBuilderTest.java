package dev.pledge.sla.aws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pledge.core.Secret;
import dev.pledge.core.time.MutableClock;
import dev.pledge.sla.notify.DeliveryPolicy;
import java.net.URI;
import org.junit.jupiter.api.Test;

/**
 * Issue 13: the SNS notifier's builder has {@code toBuilder()}; builder, build, {@code toBuilder()},
 * build gives the same configuration, and each build makes its own client. Nothing reaches AWS.
 */
class ToBuilderTest {

  @Test
  void builderBuildToBuilderBuildKeepsEverySetting() {
    SnsSmsNotifier.Builder given = SnsSmsNotifier.builder().region("eu-west-2").endpoint(URI.create("http://127.0.0.1:9"))
        .credentials("AKIAPLEDGETEST", Secret.ofUtf8("not-a-real-secret-key")).phone("alice", "+447700900123")
        .senderId("Pledge").policy(DeliveryPolicy.builder().maxAttempts(2).build())
        .clock(MutableClock.at("2026-11-02T09:00:00Z"));
    try (SnsSmsNotifier first = given.build(); SnsSmsNotifier second = first.toBuilder().build()) {
      assertThat(first.toBuilder()).usingRecursiveComparison().isEqualTo(given);
      assertThat(second.toBuilder()).usingRecursiveComparison().isEqualTo(first.toBuilder());
    }
  }
}
