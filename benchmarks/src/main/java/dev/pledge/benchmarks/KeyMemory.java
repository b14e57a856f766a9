package dev.pledge.benchmarks;

import dev.pledge.security.ratelimit.KeyedRateLimiter;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.caffeine.CaffeineProxyManager;

/**
 * Retained heap per key of the keyed limiters: fills each with 1,000,000 keys and compares the live
 * heap after a full GC with the heap of the same keys in an empty plain Caffeine cache of the same
 * bounds (so "beyond Caffeine's own entry" is the difference). Run:
 * {@code java -cp benchmarks/target/benchmarks.jar dev.pledge.benchmarks.KeyMemory pledge}.
 */
public final class KeyMemory {
  private KeyMemory() {}

  /** Prints bytes per key for {@code args[0]}: pledge, throttle (LoginThrottle accounts), bucket4j or caffeine (a bare cache holding a shared value). */
  public static void main(String[] args) throws Exception {
    int n = KeyedRateLimiterBenchmark.KEYS;
    Integer[] keys = new Integer[n];
    for (int i = 0; i < n; i++) {
      keys[i] = i;
    }
    long before = used();
    Object hold;
    switch (args[0]) {
      case "pledge" -> {
        KeyedRateLimiter<Integer> l = KeyedRateLimiterBenchmark.pledge();
        for (Integer k : keys) {
          l.tryAcquire(k);
        }
        hold = l;
      }
      case "throttle" -> {
        // one failure for each of n accounts from one source: the accounts' table holds n entries
        String[] accounts = new String[n];
        for (int i = 0; i < n; i++) {
          accounts[i] = dev.pledge.security.ratelimit.LoginKeys.normalizeAccount("user" + i);
        }
        before = used();
        dev.pledge.security.ratelimit.LoginThrottle t = dev.pledge.security.ratelimit.LoginThrottle.builder()
            .maxFailuresPerSource(100_000).build();
        for (String a : accounts) {
          t.recordFailure(a, "192.0.2.1");
        }
        hold = new Object[] {t, accounts};
      }
      case "bucket4j" -> {
        CaffeineProxyManager<Integer> m = KeyedRateLimiterBenchmark.bucket4j();
        BucketConfiguration c = KeyedRateLimiterBenchmark.bucket4jConfig();
        for (Integer k : keys) {
          m.getProxy(k, () -> c).tryConsume(1);
        }
        hold = m;
      }
      default -> {
        com.github.benmanes.caffeine.cache.Cache<Integer, Object> c = com.github.benmanes.caffeine.cache.Caffeine
            .newBuilder().maximumSize(n).expireAfterAccess(java.time.Duration.ofMinutes(1)).build();
        Object shared = new Object();
        for (Integer k : keys) {
          c.put(k, shared);
        }
        hold = c;
      }
    }
    long after = used();
    System.out.printf("%s: %.1f bytes per key (keys themselves excluded)%n", args[0], (after - before) / (double) n);
    System.out.println(hold.hashCode() != 0 ? "" : " ");
  }

  private static long used() throws InterruptedException {
    Runtime r = Runtime.getRuntime();
    for (int i = 0; i < 4; i++) {
      System.gc();
      Thread.sleep(100);
    }
    return r.totalMemory() - r.freeMemory();
  }
}
