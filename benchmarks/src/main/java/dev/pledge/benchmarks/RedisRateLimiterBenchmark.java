package dev.pledge.benchmarks;

import dev.pledge.security.ratelimit.RateLimit;
import dev.pledge.security.redis.RedisRateLimiter;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Redis: decisions on one hot key from 2 client threads through {@link RedisRateLimiter} (one EVALSHA
 * round trip each), against the Redis at {@code -Dredis=redis://127.0.0.1:6379}. Compare with
 * {@code redis-benchmark -c 2} running the same script (see RESULTS.md), which is the ceiling.
 */
@State(Scope.Benchmark)
@BenchmarkMode({Mode.Throughput, Mode.SampleTime})
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RedisRateLimiterBenchmark {

  @Param({"pledge"})
  public String impl;

  private RedisRateLimiter limiter;

  @Setup
  public void setUp() {
    limiter = RedisRateLimiter.builder("bench", System.getProperty("redis", "redis://127.0.0.1:6379"))
        .limit(RateLimit.of(1_000_000, Duration.ofSeconds(1)))
        .timeout(Duration.ofSeconds(1))
        .build();
  }

  @TearDown
  public void tearDown() {
    limiter.close();
  }

  /** One decision on the hot key, two threads at once. */
  @Benchmark
  @Threads(2)
  public boolean hotKey() {
    return limiter.tryAcquire("hot");
  }
}
