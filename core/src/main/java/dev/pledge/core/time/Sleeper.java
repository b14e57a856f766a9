package dev.pledge.core.time;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/**
 * How a component waits: a rate limiter for a reserved permit in its bounded-wait call, a notifier
 * between delivery attempts. The one sleeper of every module. Tests pass one that records the waits
 * and advances a {@link ManualTicker} or a {@link MutableClock} instead of waiting, so no test waits
 * for time to pass. Implementations must be thread-safe.
 */
@FunctionalInterface
public interface Sleeper {

  /**
   * Waits for {@code duration}; a zero or negative duration returns at once.
   *
   * @param duration how long to wait
   * @throws InterruptedException when the waiting thread is interrupted
   */
  void sleep(Duration duration) throws InterruptedException;

  /**
   * A sleeper that parks the calling thread for the whole duration, to the nanosecond, and honours
   * interruption (also an interruption that came before the call).
   *
   * @return the system sleeper
   */
  static Sleeper system() {
    return duration -> {
      long nanos;
      try {
        nanos = Math.max(0, duration.toNanos());
      } catch (ArithmeticException tooLong) {
        nanos = duration.isNegative() ? 0 : Long.MAX_VALUE;
      }
      long deadline = System.nanoTime() + nanos;
      long left = nanos;
      while (true) {
        if (Thread.interrupted()) {
          throw new InterruptedException("interrupted while waiting");
        }
        if (left <= 0) {
          return;
        }
        LockSupport.parkNanos(left);
        left = deadline - System.nanoTime();
      }
    };
  }
}
