package dev.pledge.security.access;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Runs {@link AccessBroker#expire()} every {@code period} on a scheduler the host owns, on every node
 * that wants to: sweeps are idempotent and each ended grant is ended by one node (P15, P17). A sweep
 * that fails (the store or a target unreachable) is reported to {@code onFailure} and the next one
 * runs as planned. Thread-safe.
 */
public final class ExpirySweeper implements AutoCloseable {
  private final ScheduledFuture<?> task;

  private ExpirySweeper(ScheduledFuture<?> task) {
    this.task = task;
  }

  /**
   * Starts sweeping with {@code broker} every {@code period} on {@code scheduler}, the first sweep at
   * once.
   */
  public static ExpirySweeper start(AccessBroker broker, ScheduledExecutorService scheduler, Duration period,
      Consumer<RuntimeException> onFailure) {
    Objects.requireNonNull(broker, "broker");
    Objects.requireNonNull(onFailure, "onFailure");
    if (period.isNegative() || period.isZero()) {
      throw new IllegalArgumentException("period must be greater than zero, got " + period);
    }
    ScheduledFuture<?> f = scheduler.scheduleWithFixedDelay(() -> {
      try {
        broker.expire();
      } catch (RuntimeException e) {
        try {
          onFailure.accept(e);
        } catch (RuntimeException ignored) {
          // a failing listener never stops the sweeps
        }
      }
    }, 0, period.toNanos(), TimeUnit.NANOSECONDS);
    return new ExpirySweeper(f);
  }

  /** Stops sweeping; a sweep under way finishes. */
  @Override
  public void close() {
    task.cancel(false);
  }
}
