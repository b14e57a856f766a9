package dev.pledge.spring.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pledge.security.ratelimit.RateLimit;
import dev.pledge.security.ratelimit.RateLimitDecision;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class RateLimitHeadersTest {

  @Test
  void aLimitOfOneRateIsOnePolicyNamedAfterTheLimitWithExactState() {
    RateLimitHeaders h = RateLimitHeaders.of("login-source", List.of(RateLimit.of(10, Duration.ofMinutes(1))));

    assertThat(h.policy()).isEqualTo("\"login-source\";q=10;w=60");
    assertThat(h.state(new RateLimitDecision(false, 0, Duration.ofMillis(5_500), Duration.ofMillis(11_200))))
        .isEqualTo("\"login-source\";r=0;t=12");
  }

  @Test
  void eachRateOfALimitIsAPolicyNamedByItsWindowAndTheStateNamesEveryPolicy() {
    RateLimitHeaders h = RateLimitHeaders.of("api", List.of(
        RateLimit.builder().permits(20).per(Duration.ofSeconds(1)).burst(40).build(),
        RateLimit.of(1000, Duration.ofHours(1))));

    assertThat(h.names()).containsExactly("api-1s", "api-1h");
    assertThat(h.policy()).isEqualTo("\"api-1s\";q=20;w=1, \"api-1h\";q=1000;w=3600");
    assertThat(h.state(new RateLimitDecision(true, 39, Duration.ZERO, Duration.ofMillis(50))))
        .isEqualTo("\"api-1s\";r=39;t=1, \"api-1h\";r=39;t=1");
  }

  @Test
  void aSubSecondPeriodIsScaledToAWholeSecondWindow() {
    RateLimitHeaders h = RateLimitHeaders.of("fast", List.of(RateLimit.of(10, Duration.ofMillis(500))));

    assertThat(h.policy()).isEqualTo("\"fast\";q=20;w=1");
  }

  @Test
  void twoRatesWithTheSameWindowGetDistinctNames() {
    RateLimitHeaders h = RateLimitHeaders.of("api", List.of(
        RateLimit.builder().permits(5).per(Duration.ofMinutes(1)).burst(5).build(),
        RateLimit.builder().permits(5).per(Duration.ofMinutes(1)).burst(1).build()));

    assertThat(h.names()).containsExactly("api-1m", "api-1m-2");
  }
}
