package dev.pledge.core.time;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link Ticker} that moves only when told to, for tests and simulations. Thread-safe.
 */
public final class ManualTicker implements Ticker {
  private final AtomicLong nanos;

  private ManualTicker(long start) {
    this.nanos = new AtomicLong(start);
  }

  /** A ticker reading 0. */
  public static ManualTicker create() {
    return new ManualTicker(0);
  }

  /** A ticker reading {@code startNanos}; useful to test arithmetic near {@code Long.MAX_VALUE}. */
  public static ManualTicker startingAt(long startNanos) {
    return new ManualTicker(startNanos);
  }

  @Override
  public long read() {
    return nanos.get();
  }

  /** Moves the ticker forward by {@code nanos} (which may wrap past {@code Long.MAX_VALUE}). */
  public ManualTicker advance(long nanos) {
    this.nanos.addAndGet(nanos);
    return this;
  }

  /** Moves the ticker forward by {@code duration}. */
  public ManualTicker advance(Duration duration) {
    Objects.requireNonNull(duration, "duration");
    return advance(duration.toNanos());
  }

  /** Sets the reading. */
  public void set(long nanos) {
    this.nanos.set(nanos);
  }
}
