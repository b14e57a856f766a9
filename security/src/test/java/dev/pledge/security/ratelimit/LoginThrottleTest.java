package dev.pledge.security.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pledge.core.time.ManualTicker;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class LoginThrottleTest {
  private final ManualTicker ticker = ManualTicker.create();
  private final LoginThrottle throttle = LoginThrottle.builder().ticker(ticker).freeFailures(3)
      .baseDelay(Duration.ofSeconds(1)).maxDelay(Duration.ofSeconds(30)).maxFailures(10)
      .lockout(Duration.ofHours(1)).build();

  @Test
  void backOffGrowsAfterTheFreeFailuresAndCapsAtMaxDelay() {
    for (int i = 0; i < 3; i++) {
      assertThat(throttle.recordFailure("alice", "10.0.0.1").allowed()).isTrue();
    }
    long[] expected = {1, 2, 4, 8, 16, 30};
    for (long seconds : expected) {
      LoginThrottle.LoginDecision d = throttle.recordFailure("alice", "10.0.0.1");
      assertThat(d.allowed()).isFalse();
      assertThat(d.retryAfter()).isEqualTo(Duration.ofSeconds(seconds));
      ticker.advance(Duration.ofSeconds(seconds).minusNanos(1));
      assertThat(throttle.check("alice", "10.0.0.1").allowed()).isFalse();
      ticker.advance(1);
      assertThat(throttle.check("alice", "10.0.0.1").allowed()).isTrue();
    }
  }

  @Test
  void maxFailuresLocksOutUntilTheLockoutPassesOrAReset() {
    for (int i = 0; i < 10; i++) {
      throttle.recordFailure("alice", "src-" + i);
    }
    LoginThrottle.LoginDecision d = throttle.check("alice", "elsewhere");
    assertThat(d.allowed()).isFalse();
    assertThat(d.accountFailures()).isEqualTo(10);
    assertThat(d.retryAfter()).isEqualTo(Duration.ofHours(1));
    assertThat(throttle.check("bob", "src-1").allowed()).as("other accounts and sources unaffected").isTrue();
    throttle.reset("alice");
    assertThat(throttle.check("alice", "elsewhere").allowed()).isTrue();
  }

  @Test
  void aSourceGuessingManyAccountsIsThrottledToo() {
    for (int i = 0; i < 5; i++) {
      throttle.recordFailure("user" + i, "10.6.6.6");
    }
    LoginThrottle.LoginDecision d = throttle.check("someone-new", "10.6.6.6");
    assertThat(d.allowed()).isFalse();
    assertThat(d.sourceFailures()).isEqualTo(5);
    assertThat(d.accountFailures()).isZero();
  }

  @Test
  void aSuccessResetsTheCounts() {
    for (int i = 0; i < 5; i++) {
      throttle.recordFailure("alice", "10.0.0.1");
    }
    ticker.advance(Duration.ofMinutes(1));
    throttle.recordSuccess("alice", "10.0.0.1");
    assertThat(throttle.check("alice", "10.0.0.1")).isEqualTo(new LoginThrottle.LoginDecision(true, Duration.ZERO, 0, 0));
  }

  @Test
  void defaultsFollowNistAndConfigurationIsValidated() {
    LoginThrottle defaults = LoginThrottle.builder().ticker(ticker).build();
    for (int i = 0; i < 99; i++) {
      defaults.recordFailure("alice", "s" + i);
      ticker.advance(Duration.ofHours(1));
    }
    assertThat(defaults.check("alice", "x").allowed()).isTrue();
    defaults.recordFailure("alice", "y");
    ticker.advance(Duration.ofHours(23));
    assertThat(defaults.check("alice", "x").allowed()).as("the 100th failure locks for 24 h").isFalse();
    assertThatThrownBy(() -> LoginThrottle.builder().maxFailures(101)).hasMessage("maxFailures must be between 1 and 100, got 101");
    assertThatThrownBy(() -> LoginThrottle.builder().baseDelay(Duration.ZERO)).hasMessage("baseDelay must be greater than zero, got PT0S");
    assertThatThrownBy(() -> LoginThrottle.builder().freeFailures(-1)).hasMessage("freeFailures must not be negative, got -1");
    assertThatThrownBy(() -> LoginThrottle.builder().maxFailures(3).freeFailures(4).build())
        .hasMessage("freeFailures must not exceed maxFailures 3, got 4");
  }
}
