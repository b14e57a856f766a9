package dev.pledge.security.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pledge.core.time.ManualTicker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongPredicate;
import org.junit.jupiter.api.Test;

/** Many threads race on one state with a fake ticker they move themselves; nothing is ever over-granted. */
class ConcurrencyTest {
  private static final int THREADS = 8;
  private static final int ATTEMPTS = 1_000_000;

  /** Runs THREADS x ATTEMPTS attempts, each thread moving the ticker 1 µs per attempt; returns grants. */
  private static long race(ManualTicker ticker, LongPredicate attempt) throws InterruptedException {
    AtomicLong granted = new AtomicLong();
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < THREADS; t++) {
      final long seed = t;
      Thread th = new Thread(() -> {
        try {
          start.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
        long mine = 0;
        for (int i = 0; i < ATTEMPTS; i++) {
          ticker.advance(1_000);
          if (attempt.test(seed * ATTEMPTS + i)) {
            mine++;
          }
        }
        granted.addAndGet(mine);
      });
      th.start();
      threads.add(th);
    }
    start.countDown();
    for (Thread th : threads) {
      th.join();
    }
    return granted.get();
  }

  @Test
  void eightThreadsTimesAMillionAttemptsGrantExactlyThePermittedNumber() throws Exception {
    ManualTicker ticker = ManualTicker.create();
    RateLimit limit = RateLimit.builder().permits(1000).per(Duration.ofSeconds(1)).burst(100).build();
    RateLimiter l = RateLimiter.builder("race").limit(limit).ticker(ticker).build();

    // the first permit is taken at reading 0, so the bucket is never full (and banking nothing) later on
    assertThat(l.tryAcquire()).isTrue();
    long granted = 1 + race(ticker, i -> l.tryAcquire());

    long elapsed = ticker.read();
    assertThat(elapsed).isEqualTo((long) THREADS * ATTEMPTS * 1_000);
    long permitted = limit.burst() + elapsed / limit.emissionIntervalNanos();
    assertThat(granted).as("never more than the limit").isLessThanOrEqualTo(permitted);
    assertThat(granted + l.availablePermits()).as("and nothing lost").isEqualTo(permitted);
    assertThat(l.metrics().permitted()).isEqualTo(granted);
    assertThat(l.metrics().permitted() + l.metrics().rejected()).isEqualTo((long) THREADS * ATTEMPTS + 1);
  }

  @Test
  void multiLimitWeightedRacesNeverOverGrantAnyLimit() throws Exception {
    ManualTicker ticker = ManualTicker.create();
    RateLimit perSecond = RateLimit.builder().permits(2000).per(Duration.ofSeconds(1)).burst(50).build();
    RateLimit perMinute = RateLimit.builder().permits(60_000).per(Duration.ofMinutes(1)).burst(500).build();
    RateLimiter l = RateLimiter.builder("race").limit(perSecond).limit(perMinute).ticker(ticker).build();

    AtomicLong permits = new AtomicLong();
    race(ticker, i -> {
      long weight = 1 + (i % 3);
      boolean ok = l.tryAcquire(weight);
      if (ok) {
        permits.addAndGet(weight);
      }
      return ok;
    });
    long granted = permits.get();
    long elapsed = ticker.read();
    long ceilingSecond = perSecond.burst() + elapsed / perSecond.emissionIntervalNanos();
    long ceilingMinute = perMinute.burst() + elapsed / perMinute.emissionIntervalNanos();
    assertThat(granted).isPositive().isLessThanOrEqualTo(Math.min(ceilingSecond, ceilingMinute));
  }

  @Test
  void keyedLimiterRacesOnSharedKeysNeverOverGrant() throws Exception {
    ManualTicker ticker = ManualTicker.create();
    RateLimit limit = RateLimit.builder().permits(100).per(Duration.ofSeconds(1)).burst(10).build();
    KeyedRateLimiter<Integer> l = KeyedRateLimiter.<Integer>builder("keys").limit(limit).ticker(ticker).build();
    AtomicLong[] perKey = new AtomicLong[4];
    for (int k = 0; k < perKey.length; k++) {
      perKey[k] = new AtomicLong();
    }
    for (int k = 0; k < perKey.length; k++) {
      assertThat(l.tryAcquire(k)).isTrue();
      perKey[k].incrementAndGet();
    }
    race(ticker, i -> {
      int key = (int) (i % perKey.length);
      boolean ok = l.tryAcquire(key);
      if (ok) {
        perKey[key].incrementAndGet();
      }
      return ok;
    });
    long elapsed = ticker.read();
    long permitted = limit.burst() + elapsed / limit.emissionIntervalNanos();
    for (int k = 0; k < perKey.length; k++) {
      assertThat(perKey[k].get()).as("key " + k).isLessThanOrEqualTo(permitted);
      assertThat(perKey[k].get() + l.availablePermits(k)).as("key " + k).isEqualTo(permitted);
    }
  }
}
