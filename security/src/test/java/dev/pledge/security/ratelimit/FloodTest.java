package dev.pledge.security.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pledge.core.time.ManualTicker;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A flood of new keys must never release a key that is locked out or depleted (issue 15): the tables
 * are bounded, a key with a penalty is never evicted for one without, and when the table holds only
 * penalised keys the newcomer is the one throttled.
 */
class FloodTest {
  private static final int FLOOD = 1_200_000;
  private final ManualTicker ticker = ManualTicker.create();

  @Test
  void aFloodOfAMillionAndMoreNewAccountsAndSourcesLeavesALockedAccountLocked() {
    LoginThrottle throttle = LoginThrottle.builder().ticker(ticker).build();
    for (int i = 0; i < 100; i++) {
      throttle.recordFailure("victim", "203.0.113.7");
    }
    assertThat(throttle.check("victim", "198.51.100.1").allowed()).isFalse();
    for (int i = 0; i < FLOOD; i++) {
      String key = Integer.toString(i, 36);
      throttle.recordFailure(key, key);
    }
    LoginThrottle.LoginDecision d = throttle.check("victim", "198.51.100.1");
    assertThat(d.allowed()).as("still locked out after the flood").isFalse();
    assertThat(d.accountFailures()).isEqualTo(100);
    assertThat(d.retryAfter()).isEqualTo(Duration.ofHours(24));
    assertThat(throttle.check("victim", "203.0.113.7").sourceFailures()).as("the guessing source too").isEqualTo(100);
    LoginThrottle.Metrics m = throttle.metrics();
    assertThat(m.accounts()).as("memory stays bounded").isLessThanOrEqualTo(1_000_000);
    assertThat(m.sources()).isLessThanOrEqualTo(1_000_000);
  }

  @Test
  void whenEveryTrackedAccountIsPenalisedTheNewcomerIsThrottled() {
    LoginThrottle throttle = LoginThrottle.builder().ticker(ticker).freeFailures(1).maximumKeys(3).build();
    for (String account : new String[] {"a", "b", "c"}) {
      throttle.recordFailure(account, "s");
      throttle.recordFailure(account, "s");
    }
    ticker.advance(Duration.ofHours(1)); // every back-off has passed; the counts stay, penalised
    assertThat(throttle.check("a", "s").allowed()).isTrue();
    LoginThrottle.LoginDecision newcomer = throttle.recordFailure("d", "s");
    assertThat(newcomer.allowed()).as("no room to count its failures: throttled").isFalse();
    assertThat(throttle.check("d", "s").allowed()).isFalse();
    for (String account : new String[] {"a", "b", "c"}) {
      assertThat(throttle.check(account, "t").accountFailures()).as(account + " kept").isEqualTo(2);
    }
    assertThat(throttle.metrics().refusedForFullTable()).isEqualTo(1);
    assertThat(throttle.metrics().accounts()).isEqualTo(3);
    ticker.advance(Duration.ofHours(24));
    assertThat(throttle.recordFailure("d", "t").accountFailures()).as("forgotten failures make room").isEqualTo(1);
  }

  @Test
  void aFloodOfNewKeysNeverRefillsADepletedKey() {
    KeyedRateLimiter<String> limiter = KeyedRateLimiter.<String>builder("api")
        .limit(RateLimit.of(10, Duration.ofMinutes(1))).ticker(ticker).build();
    assertThat(limiter.tryAcquire("victim", 10)).isTrue();
    for (int i = 0; i < FLOOD; i++) {
      limiter.tryAcquire(Integer.toString(i, 36));
    }
    assertThat(limiter.tryAcquire("victim")).as("still depleted after the flood").isFalse();
    assertThat(limiter.availablePermits("victim")).isZero();
    assertThat(limiter.metrics().keys()).as("memory stays bounded").isLessThanOrEqualTo(1_000_000);
    assertThat(limiter.tryAcquire("newcomer")).as("the table is full of keys in use: the newcomer waits").isFalse();
    ticker.advance(Duration.ofMinutes(1).plus(KeyedRateLimiter.IDLE_GRACE));
    assertThat(limiter.tryAcquire("newcomer")).as("full keys make room again").isTrue();
    assertThat(limiter.tryAcquire("victim", 10)).isTrue();
  }
}
