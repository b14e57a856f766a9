package dev.pledge.security.ratelimit;

import java.util.concurrent.locks.LockSupport;

/**
 * How a limiter waits for a reserved permit in its bounded-wait call. Tests inject one that advances
 * a {@link dev.pledge.core.time.ManualTicker} instead of waiting. Implementations must be thread-safe.
 */
@FunctionalInterface
public interface Sleeper {

  /**
   * Waits {@code nanos} nanoseconds.
   *
   * @throws InterruptedException when the waiting thread is interrupted
   */
  void sleep(long nanos) throws InterruptedException;

  /** A sleeper that parks the calling thread and honours interruption. */
  static Sleeper system() {
    return nanos -> {
      long deadline = System.nanoTime() + nanos;
      long left = nanos;
      while (left > 0) {
        LockSupport.parkNanos(left);
        if (Thread.interrupted()) {
          throw new InterruptedException("interrupted while waiting for a rate limit permit");
        }
        left = deadline - System.nanoTime();
      }
    };
  }
}
