package dev.pledge.security.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pledge.core.time.ManualTicker;
import dev.pledge.core.time.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
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
  void lockoutsAndResetsArePublishedOnceEach() throws Exception {
    MutableClock clock = MutableClock.at(Instant.parse("2026-11-21T10:00:00Z"));
    LoginThrottle t = LoginThrottle.builder().ticker(ticker).clock(clock).maxFailuresPerAccount(3)
        .maxFailuresPerSource(5).freeFailures(1).lockout(Duration.ofMinutes(30)).build();
    List<LoginThrottle.LoginLockedOut> lockouts = new ArrayList<>();
    List<LoginThrottle.LoginThrottleReset> resets = new ArrayList<>();
    t.onLockedOut(lockouts::add);
    t.onReset(resets::add);
    for (int i = 0; i < 4; i++) {
      t.recordFailure("alice", "10.0.0.1");
    }
    assertThat(lockouts).as("the account at its 3rd failure, and only then").containsExactly(
        new LoginThrottle.LoginLockedOut(LoginThrottle.Subject.ACCOUNT, "alice", 3, Duration.ofMinutes(30), clock.instant()));
    t.recordFailure("bob", "10.0.0.1");
    assertThat(lockouts).hasSize(2).last().isEqualTo(
        new LoginThrottle.LoginLockedOut(LoginThrottle.Subject.SOURCE, "10.0.0.1", 5, Duration.ofMinutes(30), clock.instant()));
    assertThat(t.check("carol", "10.0.0.1").retryAfter()).as("the source is locked").isEqualTo(Duration.ofMinutes(30));

    t.recordSuccess("alice", "10.0.0.1");
    assertThat(resets).containsExactly(
        new LoginThrottle.LoginThrottleReset(LoginThrottle.Subject.ACCOUNT, "alice", 4, LoginThrottle.ResetReason.SUCCESS, clock.instant()),
        new LoginThrottle.LoginThrottleReset(LoginThrottle.Subject.SOURCE, "10.0.0.1", 5, LoginThrottle.ResetReason.SUCCESS, clock.instant()));
    t.recordSuccess("alice", "10.0.0.1");
    assertThat(resets).as("nothing left to clear: no event").hasSize(2);
    t.reset("bob");
    assertThat(resets).hasSize(3).last().satisfies(r -> {
      assertThat(r.reason()).isEqualTo(LoginThrottle.ResetReason.ADMINISTRATOR);
      assertThat(r.failuresCleared()).isEqualTo(1);
    });
    t.recordFailure("dave", "10.9.9.9");
    t.resetSource("10.9.9.9");
    assertThat(resets).last().satisfies(r -> assertThat(r.subject()).isEqualTo(LoginThrottle.Subject.SOURCE));
  }

  @Test
  void theBackOffFactorAndSeparateSourceMaximumApply() {
    LoginThrottle t = LoginThrottle.builder().ticker(ticker).freeFailures(0).baseDelay(Duration.ofSeconds(1))
        .backOffFactor(3).maxDelay(Duration.ofSeconds(20)).maxFailuresPerAccount(100).maxFailuresPerSource(4)
        .lockout(Duration.ofHours(2)).build();
    long[] expected = {1, 3, 9};
    for (int i = 0; i < expected.length; i++) {
      assertThat(t.recordFailure("user" + i, "10.0.0.1").retryAfter()).isEqualTo(Duration.ofSeconds(expected[i]));
    }
    assertThat(t.recordFailure("user9", "10.0.0.1").retryAfter()).as("4th failure from the source: lockout")
        .isEqualTo(Duration.ofHours(2));
    long[] perAccount = {1, 3, 9, 20, 20};
    for (int i = 0; i < perAccount.length; i++) {
      assertThat(t.recordFailure("eve", "src-" + i).retryAfter()).as("failure " + (i + 1))
          .isEqualTo(Duration.ofSeconds(perAccount[i]));
    }
  }

  @Test
  void withoutResetOnSuccessFailuresOutliveASuccess() {
    LoginThrottle t = LoginThrottle.builder().ticker(ticker).freeFailures(1).resetOnSuccess(false).build();
    t.recordFailure("alice", "10.0.0.1");
    t.recordFailure("alice", "10.0.0.1");
    t.recordSuccess("alice", "10.0.0.1");
    assertThat(t.check("alice", "10.0.0.1").accountFailures()).isEqualTo(2);
    t.reset("alice");
    assertThat(t.check("alice", "10.0.0.1").accountFailures()).isZero();
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
    assertThatThrownBy(() -> LoginThrottle.builder().maxFailuresPerSource(3).freeFailures(4).build())
        .hasMessage("freeFailures must not exceed maxFailuresPerSource 3, got 4");
    assertThatThrownBy(() -> LoginThrottle.builder().maxFailuresPerAccount(0))
        .hasMessage("maxFailuresPerAccount must be between 1 and 100, got 0");
    assertThatThrownBy(() -> LoginThrottle.builder().maxFailuresPerSource(-1))
        .hasMessage("maxFailuresPerSource must be between 1 and 100000, got -1");
    assertThatThrownBy(() -> LoginThrottle.builder().backOffFactor(0))
        .hasMessage("backOffFactor must be between 1 and 10, got 0");
  }
}
