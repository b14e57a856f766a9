package dev.pledge.security.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pledge.core.testing.Requirements;
import dev.pledge.security.ratelimit.LoginThrottle;
import dev.pledge.security.ratelimit.LoginThrottlePolicy;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Two nodes (two throttles, two guards, each with its own connection) sharing the machine's Redis. */
class SharedRedisTest {
  private static final String URI = "redis://127.0.0.1:6379";
  private final String prefix = "{pledge-test:" + UUID.randomUUID() + "}:";

  @BeforeEach
  void redis() {
    Requirements.requireRedis();
  }

  @AfterEach
  void cleanUp() {
    try (RedisClient client = RedisClient.create(URI); StatefulRedisConnection<String, String> c = client.connect()) {
      var keys = c.sync().keys(prefix + "*");
      if (!keys.isEmpty()) {
        c.sync().del(keys.toArray(new String[0]));
      }
    }
  }

  private RedisLoginFailureStore store() {
    return RedisLoginFailureStore.builder(URI).keyPrefix(prefix).timeout(Duration.ofSeconds(2)).build();
  }

  private static LoginThrottle node(RedisLoginFailureStore store) {
    return LoginThrottle.builder().maxFailures(5).freeFailures(2).store(store).build();
  }

  @Test
  void aLockoutOnOneNodeHoldsOnTheOtherAndASuccessOnEitherClearsBoth() {
    try (RedisLoginFailureStore storeA = store(); RedisLoginFailureStore storeB = store()) {
      LoginThrottle a = node(storeA);
      LoginThrottle b = node(storeB);
      for (int i = 0; i < 3; i++) {
        a.recordFailure("alice", "203.0.113.1");
        b.recordFailure("Alice ", "203.0.113.2");
      }
      LoginThrottle.LoginDecision onB = b.check("ALICE", "198.51.100.9");
      assertThat(onB.accountFailures()).as("failures from both nodes count once each, under one account")
          .isEqualTo(6);
      assertThat(onB.allowed()).as("locked out on B by failures made on both").isFalse();
      assertThat(onB.retryAfter()).isBetween(Duration.ofHours(23), Duration.ofHours(24));
      assertThat(a.check("alice", "198.51.100.9").allowed()).as("and on A").isFalse();

      b.recordSuccess("alice", "203.0.113.2");
      LoginThrottle.LoginDecision afterSuccess = a.check("alice", "203.0.113.1");
      assertThat(afterSuccess.accountFailures()).as("a success on B resets A").isZero();
      assertThat(afterSuccess.sourceFailures()).as("the other source keeps its count").isEqualTo(3);
    }
  }

  @Test
  void countsExpireOnRedisAfterForgetAfterAndAnAdministratorResetIsShared() {
    try (RedisLoginFailureStore store = store();
         RedisClient client = RedisClient.create(URI); StatefulRedisConnection<String, String> c = client.connect()) {
      LoginThrottle t = LoginThrottle.builder().maxFailures(3).freeFailures(0).forgetAfter(Duration.ofHours(48))
          .lockout(Duration.ofHours(2)).store(store).build();
      for (int i = 0; i < 3; i++) {
        t.recordFailure("bob", "2001:db8:1:2::" + (i + 1));
      }
      assertThat(c.sync().pttl(prefix + "a:bob")).as("remembered for forgetAfter").isBetween(47L * 3600_000, 48L * 3600_000);
      assertThat(c.sync().hget(prefix + "s:2001:db8:1:2:0:0:0:0/64", "n")).as("IPv6 counted by /64").isEqualTo("3");
      assertThat(t.check("bob", "192.0.2.1").allowed()).isFalse();
      LoginThrottle other = LoginThrottle.builder().maxFailures(3).freeFailures(0).store(store).build();
      other.reset("BOB");
      assertThat(t.check("bob", "192.0.2.1").allowed()).as("unlocked for every node").isTrue();
    }
  }

  @Test
  void thePolicyNamesTheStore() {
    LoginThrottlePolicy policy = new LoginThrottlePolicy(3, null, 0, null, null, null, null, null, null, null, null, URI);
    try (LoginThrottle a = LoginThrottle.from(policy); LoginThrottle b = LoginThrottle.from(policy)) {
      String account = "policy-" + UUID.randomUUID();
      for (int i = 0; i < 3; i++) {
        a.recordFailure(account, "192.0.2.7");
      }
      assertThat(b.check(account, "192.0.2.8").allowed()).isFalse();
      b.reset(account);
      a.resetSource("192.0.2.7");
    }
  }

  @Test
  void thePolicyNamesTheRateLimitStore() throws Exception {
    var policy = new dev.pledge.security.ratelimit.RateLimitsPolicy(java.util.Map.of("api",
        java.util.List.of(new dev.pledge.security.ratelimit.RateLimitsPolicy.Rate(3L, Duration.ofHours(1), null))), URI);
    var a = policy.sharedLimiter("api");
    var b = policy.sharedLimiter("api");
    String key = "policy-" + UUID.randomUUID();
    try {
      assertThat(a).isInstanceOf(RedisRateLimiter.class);
      assertThat(a.tryAcquire(key, 2)).isTrue();
      assertThat(b.tryAcquire(key, 2)).as("the other node sees the shared budget").isFalse();
      assertThat(b.tryAcquire(key)).isTrue();
      a.reset(key);
      assertThat(b.tryAcquire(key, 3)).isTrue();
      b.reset(key);
    } finally {
      ((AutoCloseable) a).close();
      ((AutoCloseable) b).close();
    }
    assertThat(new dev.pledge.security.ratelimit.RateLimitsPolicy(policy.limits()).sharedLimiter("api"))
        .as("no store: in-process").isInstanceOf(dev.pledge.security.ratelimit.KeyedRateLimiter.class);
  }

  @Test
  void aCodeAcceptedOnOneNodeIsRefusedOnTheOther() {
    try (RedisReplayGuard a = RedisReplayGuard.builder(URI).keyPrefix(prefix).window(Duration.ofSeconds(90)).build();
         RedisReplayGuard b = RedisReplayGuard.builder(URI).keyPrefix(prefix).window(Duration.ofSeconds(90)).build();
         RedisClient client = RedisClient.create(URI); StatefulRedisConnection<String, String> c = client.connect()) {
      long step = 59_000_000L;
      assertThat(a.tryUse("alice", step)).isTrue();
      assertThat(b.tryUse("alice", step)).as("the same code on the other node").isFalse();
      assertThat(b.tryUse("alice", step - 1)).as("an earlier code").isFalse();
      assertThat(b.tryUse("bob", step)).as("another account").isTrue();
      assertThat(b.tryUse("alice", step + 1)).as("the next step").isTrue();
      assertThat(a.tryUse("alice", step + 1)).isFalse();
      assertThat(a.tryUse("alice", 100_000_000L)).as("a step with more digits is later").isTrue();
      assertThat(c.sync().pttl(prefix + "alice")).as("remembered for the window").isBetween(80_000L, 90_000L);
    }
  }
}
