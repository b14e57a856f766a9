package dev.pledge.sla.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pledge.core.testing.Requirements;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Issue 13: the Redis de-duplication store's builder has {@code toBuilder()}; a copy has the same settings. */
class ToBuilderTest {

  @Test
  void builderBuildToBuilderBuildKeepsEverySetting() {
    Requirements.requireRedis();
    RedisAlertDedupStore.Builder given = RedisAlertDedupStore.builder("redis://127.0.0.1:6379")
        .keyPrefix("pledge-tobuilder:" + UUID.randomUUID() + ":").timeout(Duration.ofSeconds(2))
        .connectTimeout(Duration.ofSeconds(3));
    try (RedisAlertDedupStore first = given.build(); RedisAlertDedupStore second = first.toBuilder().build()) {
      assertThat(first.toBuilder()).usingRecursiveComparison().isEqualTo(given);
      assertThat(second.toBuilder()).usingRecursiveComparison().isEqualTo(first.toBuilder());
    }
  }
}
