package dev.pledge.security.ratelimit;

import java.time.Duration;

/**
 * The rate limiter's former sleeper, in nanoseconds.
 *
 * @deprecated use {@link dev.pledge.core.time.Sleeper}, the one sleeper of every module, which
 *     {@link RateLimiter.Builder#sleeper} takes; this type extends it, so existing sleepers still fit.
 */
@Deprecated(since = "0.2.0")
@FunctionalInterface
public interface Sleeper extends dev.pledge.core.time.Sleeper {

  /**
   * Waits {@code nanos} nanoseconds.
   *
   * @param nanos how long to wait, in nanoseconds
   * @throws InterruptedException when the waiting thread is interrupted
   */
  void sleep(long nanos) throws InterruptedException;

  /** Waits for {@code duration}, in nanoseconds (saturated). */
  @Override
  default void sleep(Duration duration) throws InterruptedException {
    long nanos;
    try {
      nanos = duration.toNanos();
    } catch (ArithmeticException tooLong) {
      nanos = duration.isNegative() ? Long.MIN_VALUE : Long.MAX_VALUE;
    }
    sleep(nanos);
  }

  /**
   * The system sleeper, in nanoseconds.
   *
   * @return a sleeper that parks the calling thread and honours interruption
   */
  static Sleeper system() {
    dev.pledge.core.time.Sleeper system = dev.pledge.core.time.Sleeper.system();
    return nanos -> system.sleep(Duration.ofNanos(nanos));
  }
}
