package dev.pledge.security.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pledge.core.testing.Requirements;
import dev.pledge.security.ratelimit.KeyedLimiter;
import dev.pledge.security.ratelimit.KeyedRateLimiter;
import dev.pledge.security.ratelimit.RateLimit;
import dev.pledge.security.ratelimit.RateLimitDecision;
import dev.pledge.security.ratelimit.RateLimitRejected;
import dev.pledge.security.ratelimit.RateLimiterMetrics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The in-process and the Redis keyed limiter behind one interface: same decisions, metrics and events. */
class KeyedLimiterContractTest {
  private final String prefix = "pledge-test:" + UUID.randomUUID() + ":";

  @org.junit.jupiter.api.AfterEach
  void removeKeys() {
    if (!Requirements.inCi() && !reachable()) {
      return;
    }
    try (io.lettuce.core.RedisClient client = io.lettuce.core.RedisClient.create("redis://127.0.0.1:6379");
         var c = client.connect()) {
      List<String> keys = c.sync().keys(prefix + "*");
      if (!keys.isEmpty()) {
        c.sync().del(keys.toArray(new String[0]));
      }
    }
  }

  private static boolean reachable() {
    try (java.net.Socket s = new java.net.Socket("127.0.0.1", 6379)) {
      return true;
    } catch (java.io.IOException e) {
      return false;
    }
  }

  private static final List<RateLimit> LIMITS = List.of(RateLimit.builder().permits(5).per(Duration.ofMinutes(1)).build(),
      RateLimit.of(7, Duration.ofHours(1)));

  private record Run(List<String> decisions, RateLimiterMetrics metrics, List<String> events) {}

  private static Run drive(KeyedLimiter<String> limiter) throws Exception {
    List<RateLimitRejected> events = new CopyOnWriteArrayList<>();
    try (AutoCloseable sub = limiter.onRejected(events::add)) {
      List<String> out = new ArrayList<>();
      long[] weights = {2, 2, 2, 1, 1, 3};
      for (long w : weights) {
        RateLimitDecision d = limiter.decide("alice", w);
        out.add(d.allowed() + "/" + d.remaining());
      }
      out.add("bob:" + limiter.tryAcquire("bob", 5));
      limiter.reset("alice");
      out.add("after reset:" + limiter.decide("alice", 5).allowed());
      io.github.resilience4j.ratelimiter.RateLimiter r4j = limiter.asResilience4j("carol");
      int granted = 0;
      for (int i = 0; i < 7; i++) {
        granted += r4j.acquirePermission() ? 1 : 0;
      }
      out.add("resilience4j:" + granted);
      RateLimiterMetrics m = limiter.metrics();
      return new Run(out, new RateLimiterMetrics(m.permitted(), m.rejected(), 0),
          events.stream().map(e -> e.limiter() + ":" + e.key() + ":" + e.permits()).toList());
    }
  }

  @Test
  void bothBackendsDecideCountAndPublishAlike() throws Exception {
    Requirements.requireRedis();
    String name = "contract";
    Run local = drive(KeyedRateLimiter.<String>builder(name).limits(LIMITS).build());
    Run redis;
    try (RedisRateLimiter shared = RedisRateLimiter.builder(name, "redis://127.0.0.1:6379")
        .keyPrefix(prefix).timeout(Duration.ofSeconds(2)).limits(LIMITS).build()) {
      redis = drive(shared);
    }
    assertThat(local.decisions()).containsExactly("true/3", "true/1", "false/1", "true/0", "false/0", "false/0",
        "bob:true", "after reset:true", "resilience4j:5");
    assertThat(redis).isEqualTo(local);
  }

  /** 8 threads racing on one key through Redis never get more than the limit grants (the local test runs 8 x 10^6). */
  @Test
  void eightThreadsThroughRedisNeverOverGrant() throws Exception {
    Requirements.requireRedis();
    try (RedisRateLimiter shared = RedisRateLimiter.builder("race", "redis://127.0.0.1:6379")
        .keyPrefix(prefix).timeout(Duration.ofSeconds(5))
        .limit(RateLimit.of(100, Duration.ofHours(1))).build()) {
      java.util.concurrent.atomic.AtomicInteger granted = new java.util.concurrent.atomic.AtomicInteger();
      java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
      List<Thread> threads = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        Thread th = new Thread(() -> {
          try {
            go.await();
          } catch (InterruptedException e) {
            return;
          }
          for (int i = 0; i < 250; i++) {
            if (shared.tryAcquire("hot")) {
              granted.incrementAndGet();
            }
          }
        });
        th.start();
        threads.add(th);
      }
      go.countDown();
      for (Thread th : threads) {
        th.join();
      }
      assertThat(shared.redisFailures()).isZero();
      assertThat(granted.get()).as("2,000 attempts within seconds: exactly the burst of 100").isEqualTo(100);
      assertThat(shared.metrics().permitted()).isEqualTo(100);
      assertThat(shared.metrics().rejected()).isEqualTo(1900);
    }
  }

  /**
   * A node's first burst, straight after it is built, is decided by Redis like a warm node's: the
   * connection, the script and the client's first call are set up when the limiter is built.
   */
  @Test
  void aColdNodesFirstBurstGetsTheSameDecisionsAsAWarmNodes() throws Exception {
    Requirements.requireRedis();
    int[] cold;
    int[] warm;
    try (RedisRateLimiter node = RedisRateLimiter.builder("burst", "redis://127.0.0.1:6379").keyPrefix(prefix)
        .timeout(Duration.ofSeconds(1)).limit(RateLimit.of(20, Duration.ofHours(1))).build()) {
      cold = burst(node, "cold");
      warm = burst(node, "warm");
    }
    assertThat(cold).as("granted, fallbacks").containsExactly(20, 0);
    assertThat(warm).containsExactly(cold);
  }

  private static int[] burst(RedisRateLimiter node, String key) throws Exception {
    long fallbacksBefore = node.redisFailures();
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(50);
    try {
      java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
      List<java.util.concurrent.Future<Boolean>> results = new ArrayList<>();
      for (int i = 0; i < 50; i++) {
        results.add(pool.submit(() -> {
          go.await();
          return node.tryAcquire(key);
        }));
      }
      go.countDown();
      int granted = 0;
      for (var r : results) {
        granted += r.get() ? 1 : 0;
      }
      return new int[] {granted, (int) (node.redisFailures() - fallbacksBefore)};
    } finally {
      pool.shutdown();
    }
  }
}
