package dev.pledge.security.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pledge.core.PledgeException;
import dev.pledge.core.testing.Requirements;
import dev.pledge.security.ratelimit.RateLimit;
import dev.pledge.security.ratelimit.RateLimitDecision;
import dev.pledge.security.ratelimit.RateLimitRejected;
import dev.pledge.security.ratelimit.RedisFailureMode;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.io.IOException;
import java.net.Socket;
import java.nio.file.Path;
import dev.pledge.core.time.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/** Against a private redis-server on a free port, which the tests stop and start again. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RedisRateLimiterTest {
  private static Path redisServer;
  private static int port;
  private static Process server;
  private static String uri;

  @BeforeAll
  static void startRedis() throws Exception {
    redisServer = Requirements.requireCommand("redis-server", "apt-get install redis-server");
    port = Requirements.freePort();
    uri = "redis://127.0.0.1:" + port;
    start();
  }

  private static void start() throws Exception {
    server = new ProcessBuilder(redisServer.toString(), "--port", Integer.toString(port), "--bind", "127.0.0.1",
        "--save", "", "--appendonly", "no", "--enable-debug-command", "local").redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (true) {
      try (Socket s = new Socket("127.0.0.1", port)) {
        return;
      } catch (IOException e) {
        if (System.nanoTime() > deadline || !server.isAlive()) {
          throw new IllegalStateException("redis-server did not start on port " + port);
        }
        java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
      }
    }
  }

  private static void stop() throws Exception {
    server.destroy();
    if (!server.waitFor(10, TimeUnit.SECONDS)) {
      server.destroyForcibly().waitFor();
    }
  }

  @AfterAll
  static void stopRedis() throws Exception {
    if (server != null) {
      stop();
    }
  }

  private RedisRateLimiter limiter;

  @AfterEach
  void close() {
    if (limiter != null) {
      limiter.close();
    }
  }

  private RedisRateLimiter.Builder builder(String name) {
    // a generous timeout where Redis is up, so a loaded CI machine does not turn a slow answer into a fallback
    return RedisRateLimiter.builder(name, uri).timeout(Duration.ofSeconds(5))
        .limit(RateLimit.builder().permits(5).per(Duration.ofMinutes(1)).build());
  }

  @Test
  @Order(1)
  void limitsAreSharedByEveryNodeAndKeysExpire() {
    limiter = builder("shared").build();
    try (RedisRateLimiter otherNode = builder("shared").build();
         RedisClient client = clientFor(); StatefulRedisConnection<String, String> c = client.connect()) {
      assertThat(limiter.decide("alice", 3).allowed()).isTrue();
      RateLimitDecision d = otherNode.decide("alice", 2);
      assertThat(d.allowed()).isTrue();
      assertThat(d.remaining()).isZero();
      assertThat(d.resetAfter()).as("Redis time moves on between calls").isBetween(Duration.ofSeconds(55), Duration.ofMinutes(1));
      RateLimitDecision rejected = limiter.decide("alice", 1);
      assertThat(rejected.allowed()).isFalse();
      assertThat(rejected.retryAfter()).isBetween(Duration.ofSeconds(11), Duration.ofSeconds(12));
      assertThat(limiter.tryAcquire("bob")).as("keys are independent").isTrue();
      long ttl = c.sync().pttl("pledge:rl:shared:{alice}:0");
      assertThat(ttl).isBetween(50_000L, 60_001L);
      assertThat(limiter.redisFailures()).isZero();
    }
  }

  @Test
  @Order(2)
  void aFlushedScriptCacheIsReloaded() {
    limiter = builder("reload").build();
    assertThat(limiter.tryAcquire("k")).isTrue();
    try (RedisClient client = clientFor(); StatefulRedisConnection<String, String> c = client.connect()) {
      c.sync().scriptFlush();
    }
    assertThat(limiter.tryAcquire("k")).isTrue();
    assertThat(limiter.redisFailures()).isZero();
  }

  @Test
  @Order(3)
  void severalLimitsAndWeightsAreCheckedTogether() {
    limiter = RedisRateLimiter.builder("multi", uri).timeout(Duration.ofSeconds(5))
        .limit(RateLimit.builder().permits(10).per(Duration.ofSeconds(1)).build())
        .limit(RateLimit.of(12, Duration.ofHours(1))).build();
    assertThat(limiter.decide("k", 10).allowed()).isTrue();
    assertThat(limiter.decide("k", 1).allowed()).isFalse();
    assertThatThrownBy(() -> limiter.decide("k", 11)).hasMessageContaining("can never be granted");
  }

  @Test
  @Order(3)
  void aSlowRedisIsDecidedByTheFailureModeWithinTheTimeout() throws Exception {
    try (RedisRateLimiter patient = builder("slow").build()) {
      assertThat(patient.decide("k", 5).allowed()).isTrue();
    }
    limiter = builder("slow").timeout(Duration.ofMillis(50)).failureMode(RedisFailureMode.FAIL_OPEN).build();
    try (RedisClient client = clientFor(); StatefulRedisConnection<String, String> c = client.connect();
         StatefulRedisConnection<String, String> probe = client.connect()) {
      assertThat(probe.sync().ping()).isEqualTo("PONG");
      var sleeping = c.async().dispatch(io.lettuce.core.protocol.CommandType.DEBUG,
          new io.lettuce.core.output.StatusOutput<>(io.lettuce.core.codec.StringCodec.UTF8),
          new io.lettuce.core.protocol.CommandArgs<>(io.lettuce.core.codec.StringCodec.UTF8).add("SLEEP").add("5"));
      awaitAsleep(probe);
      RateLimitDecision d = limiter.decide("k", 1);
      // causal, not timed: the decision came back while Redis was still asleep, so it did not wait for it
      assertThat(sleeping.isDone()).as("decided at the 50 ms timeout, not after Redis's 5 s sleep").isFalse();
      assertThat(d.allowed()).as("Redis would reject, but it is asleep: fail open").isTrue();
      assertThat(limiter.redisFailures()).isEqualTo(1);
      sleeping.get(30, TimeUnit.SECONDS);
    }
    try (RedisRateLimiter patient = builder("slow").build()) {
      assertThat(patient.decide("k", 1).allowed()).as("awake again: Redis decides").isFalse();
    }
  }

  @Test
  @Order(4)
  void whenRedisStopsTheFailureModeDecidesWithinTheTimeoutAndRedisTakesOverAgainWhenBack() throws Exception {
    MutableClock clock = MutableClock.at(Instant.parse("2026-11-21T10:00:00Z"));
    limiter = builder("down").timeout(Duration.ofMillis(50)).failureMode(RedisFailureMode.FAIL_CLOSED).clock(clock).build();
    RedisRateLimiter open = builder("down").timeout(Duration.ofMillis(50)).failureMode(RedisFailureMode.FAIL_OPEN).build();
    RedisRateLimiter local = builder("down").timeout(Duration.ofMillis(50)).failureMode(RedisFailureMode.LOCAL).build();
    List<RedisRateLimiter.RedisFallback> fallbacks = new CopyOnWriteArrayList<>();
    List<RedisRateLimiter.RedisRecovered> recoveries = new CopyOnWriteArrayList<>();
    List<RateLimitRejected> rejections = new CopyOnWriteArrayList<>();
    limiter.onFallback(fallbacks::add);
    limiter.onRecovered(recoveries::add);
    limiter.onRejected(rejections::add);
    try {
      try (RedisRateLimiter patient = builder("down").build()) {
        assertThat(patient.decide("k", 5).allowed()).isTrue();
      }
      assertThat(open.decide("k", 1).allowed()).as("Redis is up: the shared limit rejects").isFalse();
      assertThat(limiter.decide("k", 1).allowed()).isFalse();
      assertThat(rejections).as("a rejection by Redis is published, naming the key").singleElement()
          .satisfies(e -> assertThat(e.key()).isEqualTo("k"));
      assertThat(limiter.redisMetrics()).isEqualTo(new RedisRateLimiter.Metrics(0, 1, 0, true));
      assertThat(fallbacks).isEmpty();

      stop();

      long started = System.nanoTime();
      assertThat(limiter.decide("k", 1).allowed()).as("fail closed").isFalse();
      assertThat(open.decide("k", 1).allowed()).as("fail open").isTrue();
      // not a speed test (this machine is shared and loaded): the bound only tells the limiter's own
      // timeout from Lettuce's 60 s default command timeout, which a forgotten setting would leave in force
      assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)).as("decided without waiting on"
          + " Lettuce's 60 s default").isLessThan(30_000);
      for (int i = 0; i < 5; i++) {
        assertThat(local.tryAcquire("k")).as("local fallback grants the local burst").isTrue();
      }
      assertThat(local.tryAcquire("k")).as("and then limits locally").isFalse();
      assertThat(limiter.decide("other", 1).allowed()).as("fail closed for every key").isFalse();
      assertThat(fallbacks).as("one event for the outage, not one per decision").singleElement().satisfies(f -> {
        assertThat(f.limiter()).isEqualTo("down");
        assertThat(f.failureMode()).isEqualTo(RedisFailureMode.FAIL_CLOSED);
        assertThat(f.occurredAt()).isEqualTo(clock.instant());
      });
      assertThat(limiter.redisMetrics()).isEqualTo(new RedisRateLimiter.Metrics(0, 3, 2, false));
      assertThat(open.redisMetrics().redisAvailable()).isFalse();
      assertThat(open.redisMetrics().permitted()).isEqualTo(1);
      assertThat(local.redisMetrics().fallbackDecisions()).isEqualTo(6);
      assertThat(rejections).hasSize(3);

      clock.advance(Duration.ofSeconds(42));
      start();
      // the fresh server holds no state, so a limiter that decides "k" by Redis again grants a full burst
      awaitRecovery(limiter, "fresh");
      assertThat(recoveries).as("one event when Redis decides again").singleElement().satisfies(r -> {
        assertThat(r.unavailableFor()).isEqualTo(Duration.ofSeconds(42));
        assertThat(r.fallbackDecisions()).isGreaterThanOrEqualTo(2);
      });
      assertThat(limiter.redisMetrics().redisAvailable()).isTrue();
      assertThat(limiter.decide("closed", 5).allowed()).as("fail closed no more: Redis grants").isTrue();

      awaitRecovery(open, "fresh-open");
      assertThat(open.decide("k2", 5).allowed()).isTrue();
      assertThat(open.decide("k2", 1).allowed()).as("fail open no more: Redis limits again").isFalse();

      awaitRecovery(local, "fresh-local");
      assertThat(local.decide("k", 4).allowed()).as("local state no longer decides: Redis's fresh state does").isTrue();
      assertThat(local.decide("k", 2).allowed()).isFalse();
      assertThat(local.redisMetrics().redisAvailable()).isTrue();
    } finally {
      open.close();
      local.close();
    }
  }

  /** Polls, within a bounded deadline, until a decision is made by Redis rather than the failure mode. */
  private static void awaitRecovery(RedisRateLimiter l, String key) {
    // the client reconnects in the background: a real server's reconnect is the wait here, polled gently
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (System.nanoTime() < deadline) {
      long failuresBefore = l.redisFailures();
      RateLimitDecision d = l.decide(key, 1);
      if (l.redisFailures() == failuresBefore) {
        assertThat(d.allowed()).isTrue();
        assertThat(d.remaining()).as("decided by Redis: 4 of 5 left").isEqualTo(4);
        return;
      }
      java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
    }
    throw new AssertionError("decisions did not return to Redis within 20 s");
  }

  @Test
  @Order(5)
  void configurationIsValidatedNamingTheField() {
    assertThatThrownBy(() -> RedisRateLimiter.builder("x", uri).timeout(Duration.ZERO))
        .hasMessage("timeout must be greater than zero, got PT0S");
    assertThatThrownBy(() -> RedisRateLimiter.builder("x", uri).build()).hasMessageContaining("at least one limit");
    assertThatThrownBy(() -> RedisRateLimiter.builder("x", "redis://:s3cret@127.0.0.1:" + Requirements.freePort())
        .limit(RateLimit.of(1, Duration.ofSeconds(1))).connectTimeout(Duration.ofMillis(200)).build())
        .isInstanceOf(PledgeException.class).hasMessageContaining("cannot connect to Redis").hasMessageNotContaining("s3cret");
  }

  /** Returns once the server no longer answers a PING within 100 ms, i.e. DEBUG SLEEP has started. */
  private static void awaitAsleep(StatefulRedisConnection<String, String> probe) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (true) {
      try {
        probe.async().ping().get(100, TimeUnit.MILLISECONDS);
      } catch (java.util.concurrent.TimeoutException asleep) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("redis-server never started its DEBUG SLEEP");
      }
    }
  }

  private static RedisClient clientFor() {
    return RedisClient.create(uri);
  }
}
