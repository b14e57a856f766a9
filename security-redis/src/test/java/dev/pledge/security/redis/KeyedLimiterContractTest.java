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
        .keyPrefix("pledge-test:" + UUID.randomUUID() + ":").timeout(Duration.ofSeconds(2)).limits(LIMITS).build()) {
      redis = drive(shared);
    }
    assertThat(local.decisions()).containsExactly("true/3", "true/1", "false/1", "true/0", "false/0", "false/0",
        "bob:true", "after reset:true", "resilience4j:5");
    assertThat(redis).isEqualTo(local);
  }
}
