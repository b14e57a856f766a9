package dev.pledge.benchmarks;

import com.github.benmanes.caffeine.cache.Caffeine;
import dev.pledge.security.ratelimit.KeyedRateLimiter;
import dev.pledge.security.ratelimit.RateLimit;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.caffeine.Bucket4jCaffeine;
import io.github.bucket4j.caffeine.CaffeineProxyManager;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * 1,000,000 distinct keys, random access, one thread: Pledge's keyed limiter (GCRA state in a Caffeine
 * table) beside Bucket4j with its Caffeine proxy manager, both bounded to 1,000,000 keys and filled
 * before measuring. Keys are pre-boxed so neither pays for boxing. Both keep a key for a minute after
 * it is full again (Pledge's idle grace), so neither re-creates state on a hit.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgs = {"-Xmx3g"})
public class KeyedRateLimiterBenchmark {
  static final int KEYS = 1_000_000;

  @Param({"pledge", "bucket4j"})
  public String impl;

  private Integer[] keys;
  private int[] order;
  private int next;
  private KeyedRateLimiter<Integer> pledge;
  private CaffeineProxyManager<Integer> bucket4j;
  private Supplier<BucketConfiguration> config;

  @Setup(Level.Trial)
  public void setUp() {
    keys = new Integer[KEYS];
    for (int i = 0; i < KEYS; i++) {
      keys[i] = i;
    }
    SplittableRandom random = new SplittableRandom(42);
    order = new int[1 << 22];
    for (int i = 0; i < order.length; i++) {
      order[i] = random.nextInt(KEYS);
    }
    if (impl.equals("pledge")) {
      pledge = pledge();
    } else {
      bucket4j = bucket4j();
      BucketConfiguration c = bucket4jConfig();
      config = () -> c;
    }
    for (int i = 0; i < KEYS; i++) {
      decide(keys[i]);
    }
  }

  static KeyedRateLimiter<Integer> pledge() {
    return KeyedRateLimiter.<Integer>builder("bench").limit(RateLimit.of(100, Duration.ofSeconds(1)))
        .maximumKeys(KEYS).build();
  }

  static CaffeineProxyManager<Integer> bucket4j() {
    return Bucket4jCaffeine.<Integer>builderFor(Caffeine.newBuilder().maximumSize(KEYS))
        .expirationAfterWrite(ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(Duration.ofMinutes(1)))
        .build();
  }

  static BucketConfiguration bucket4jConfig() {
    return BucketConfiguration.builder()
        .addLimit(l -> l.capacity(100).refillGreedy(100, Duration.ofSeconds(1))).build();
  }

  private boolean decide(Integer key) {
    return pledge != null ? pledge.tryAcquire(key) : bucket4j.getProxy(key, config).tryConsume(1);
  }

  /** One decision for a random key among 1,000,000. */
  @Benchmark
  public boolean randomKey() {
    return decide(keys[order[next++ & (order.length - 1)]]);
  }
}
