package dev.pledge.security.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class RateLimitConfigTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "zero permits|0|PT1S||permits must be at least 1, got 0",
      "negative permits|-5|PT1S||permits must be at least 1, got -5",
      "zero period|10|PT0S||per must be greater than zero, got PT0S",
      "negative period|10|PT-1S||per must be greater than zero, got PT-1S",
      "missing period|10|||per is required",
      "zero burst|10|PT1S|0|burst must be at least 1, got 0",
      "negative burst|10|PT1S|-1|burst must be at least 1, got -1",
      "finer than a nanosecond|2000000000|PT1S||is more than one permit per nanosecond",
      "burst window too long|1|PT8760H|1000000|spans more than 146 years",
  })
  void invalidLimitsAreRejectedWhenBuiltNamingTheField(String name, long permits, String per, Long burst,
      String message) {
    RateLimit.Builder b = RateLimit.builder().permits(permits);
    if (per != null) {
      b.per(Duration.parse(per));
    }
    if (burst != null) {
      b.burst(burst);
    }
    assertThatThrownBy(b::build).isInstanceOf(IllegalArgumentException.class).hasMessageContaining(message);
  }

  @Test
  void burstDefaultsToPermitsAndCopiesKeepEveryValue() {
    RateLimit l = RateLimit.of(1000, Duration.ofHours(1));
    assertThat(l.burst()).isEqualTo(1000);
    assertThat(l.emissionIntervalNanos()).isEqualTo(3_600_000_000L);
    assertThat(l.toleranceNanos()).isEqualTo(Duration.ofHours(1).toNanos());
    RateLimit copy = l.toBuilder().burst(10).build();
    assertThat(copy.permits()).isEqualTo(1000);
    assertThat(copy.per()).isEqualTo(Duration.ofHours(1));
    assertThat(copy).isNotEqualTo(l).isEqualTo(l.toBuilder().burst(10).build());
    assertThat(copy.hashCode()).isEqualTo(l.toBuilder().burst(10).build().hashCode());
    assertThat(RateLimit.builder().name("api").permits(1).per(Duration.ofSeconds(1)).build())
        .hasToString("api: 1 per PT1S (burst 1)");
  }

  @Test
  void decisionsAndMetricsValidateThemselves() {
    assertThatThrownBy(() -> new RateLimitDecision(true, -1, Duration.ZERO, Duration.ZERO))
        .hasMessage("remaining must not be negative, got -1");
    assertThatThrownBy(() -> new RateLimiterMetrics(-1, 0, 0)).hasMessageContaining("permitted=-1");
  }
}
