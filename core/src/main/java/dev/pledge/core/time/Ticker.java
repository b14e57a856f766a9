package dev.pledge.core.time;

/**
 * A source of nanoseconds for hot-path durations (rate limiting, timeouts), as Caffeine's and Guava's
 * tickers. Only differences between two readings mean anything; the origin is arbitrary and readings
 * may be negative or wrap, so compare readings by subtraction, never with {@code <}.
 *
 * <p>Implementations must be thread-safe. Tests use {@link ManualTicker}; production code uses
 * {@link #system()}.
 */
@FunctionalInterface
public interface Ticker {

  /** The current reading in nanoseconds. */
  long read();

  /** The ticker backed by {@link System#nanoTime()}. */
  static Ticker system() {
    return System::nanoTime;
  }
}
