package dev.pledge.benchmarks;

import dev.pledge.security.ratelimit.LoginThrottle;
import dev.pledge.security.redis.RedisLoginFailureStore;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Login throttle decisions. {@code inProcess}: {@code check} on 1,000,000 accounts (each with one
 * failure, keys normalised on every call) from one thread, random access. {@code redisHotAccount}: one
 * hot account's {@code check} through {@link RedisLoginFailureStore} (one EVALSHA round trip) from 2
 * threads, against {@code -Dredis=redis://127.0.0.1:6379}; its ceiling is
 * {@code benchmarks/redis-ceiling.sh PORT N login}, redis-benchmark sending the same script.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class LoginThrottleBenchmark {
  static final int KEYS = 1_000_000;

  @Param({"pledge"})
  public String impl;

  private LoginThrottle local;
  private String[] accounts;
  private RedisLoginFailureStore store;
  private LoginThrottle shared;

  @Setup(Level.Trial)
  public void setUp() {
    local = LoginThrottle.builder().maxFailuresPerSource(100_000).build();
    accounts = new String[KEYS];
    for (int i = 0; i < KEYS; i++) {
      accounts[i] = "user" + i;
      local.recordFailure(accounts[i], "192.0.2.1");
    }
    store = RedisLoginFailureStore.builder(System.getProperty("redis", "redis://127.0.0.1:6379"))
        .keyPrefix("pledge:bench:login:").timeout(Duration.ofSeconds(1)).build();
    shared = LoginThrottle.builder().store(store).build();
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    store.close();
  }

  /** One check of a random account among 10^6, one thread. */
  @Benchmark
  @Threads(1)
  public boolean inProcess() {
    return local.check(accounts[ThreadLocalRandom.current().nextInt(KEYS)], "192.0.2.1").allowed();
  }

  /** One check of the hot account on Redis, two threads at once. */
  @Benchmark
  @Threads(2)
  public boolean redisHotAccount() {
    return shared.check("hot", "192.0.2.1").allowed();
  }
}
