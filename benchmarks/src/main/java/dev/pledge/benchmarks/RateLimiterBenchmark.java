package dev.pledge.benchmarks;

import dev.pledge.security.ratelimit.RateLimit;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.local.SynchronizationStrategy;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.github.resilience4j.ratelimiter.internal.AtomicRateLimiter;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One key: a decision ("may this request go?") from 1 and 2 threads on one shared limiter, Pledge's
 * GCRA beside Bucket4j's lock-free local bucket, resilience4j's AtomicRateLimiter and Guava's
 * RateLimiter. The limit is high enough (10^9 a second) that the hot path is measured, not the
 * rejection path; all four are asked the same non-blocking question.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RateLimiterBenchmark {
  private static final long PER_SECOND = 1_000_000_000L;

  /** The four limiters, and {@code nanoTime}: one {@code System.nanoTime()} read, the floor every limiter pays. */
  @Param({"pledge", "bucket4j", "resilience4j", "guava", "nanoTime"})
  public String impl;

  /**
   * The decision under test, bound once in setup. JMH forks a JVM per parameter value, so this call
   * site sees one implementation and is inlined; a per-call {@code switch} on the parameter string
   * would add the same few nanoseconds to every implementation and blur the ratios.
   */
  private BooleanSupplier decision;

  @Setup
  public void setUp() {
    switch (impl) {
      case "pledge" -> {
        dev.pledge.security.ratelimit.RateLimiter pledge = dev.pledge.security.ratelimit.RateLimiter.of("bench",
            RateLimit.of(PER_SECOND, Duration.ofSeconds(1)));
        decision = pledge::tryAcquire;
      }
      case "bucket4j" -> {
        Bucket bucket4j = Bucket.builder()
            .addLimit(l -> l.capacity(PER_SECOND).refillGreedy(PER_SECOND, Duration.ofSeconds(1)))
            .withNanosecondPrecision()
            .withSynchronizationStrategy(SynchronizationStrategy.LOCK_FREE)
            .build();
        decision = () -> bucket4j.tryConsume(1);
      }
      case "resilience4j" -> {
        AtomicRateLimiter resilience4j = new AtomicRateLimiter("bench", RateLimiterConfig.custom()
            .limitForPeriod((int) PER_SECOND).limitRefreshPeriod(Duration.ofSeconds(1))
            .timeoutDuration(Duration.ZERO).build());
        decision = resilience4j::acquirePermission;
      }
      case "guava" -> {
        com.google.common.util.concurrent.RateLimiter guava =
            com.google.common.util.concurrent.RateLimiter.create(PER_SECOND);
        decision = guava::tryAcquire;
      }
      case "nanoTime" -> decision = () -> System.nanoTime() != 42;
      default -> throw new IllegalArgumentException("impl " + impl);
    }
  }

  private boolean decide() {
    return decision.getAsBoolean();
  }

  /** One thread deciding. */
  @Benchmark
  @Threads(1)
  public boolean oneThread() {
    return decide();
  }

  /** Two threads deciding on the same limiter. */
  @Benchmark
  @Threads(2)
  public boolean twoThreads() {
    return decide();
  }
}
