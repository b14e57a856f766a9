package dev.pledge.security.ratelimit.internal;

import dev.pledge.core.event.EventListener;
import dev.pledge.core.event.EventPublisher;
import dev.pledge.security.ratelimit.RateLimitRejected;
import java.time.Clock;
import java.time.Duration;

/**
 * Counters and the rejection event publisher shared by the limiters. Counting is a plain store to a
 * per-thread cell ({@link Tally}), so it adds no atomic operation to a decision. Thread-safe. Not an API.
 */
public final class Instruments {
  private final String name;
  private final Clock clock;
  private final Tally permitted = new Tally();
  private final Tally rejected = new Tally();
  private final EventPublisher<RateLimitRejected> rejections = EventPublisher.create();

  /** Instruments for the limiter {@code name}, stamping events with {@code clock}. */
  public Instruments(String name, Clock clock) {
    this.name = name;
    this.clock = clock;
  }

  /** Counts a grant. */
  public void permitted() {
    permitted.increment();
  }

  /** Counts a rejection and publishes it when someone listens. */
  public void rejected(Object key, long permits, long retryAfterNanos) {
    rejected.increment();
    if (rejections.hasListeners()) {
      publishRejected(key, permits, retryAfterNanos);
    }
  }

  /** Counts a rejection only; the caller publishes (when {@link #listening()}) with the retry time. */
  public void countRejected() {
    rejected.increment();
  }

  /** Whether a rejection listener is registered. */
  public boolean listening() {
    return rejections.hasListeners();
  }

  /** Publishes a rejection to the listeners. */
  public void publishRejected(Object key, long permits, long retryAfterNanos) {
    rejections.publish(new RateLimitRejected(name, key == null ? "" : String.valueOf(key), permits,
        Duration.ofNanos(retryAfterNanos), clock.instant()));
  }

  /** Registers a rejection listener. */
  public dev.pledge.core.event.Subscription onRejected(EventListener<? super RateLimitRejected> listener) {
    return rejections.subscribe(listener);
  }

  /** Grants so far. */
  public long permittedCount() {
    return permitted.sum();
  }

  /** Rejections so far. */
  public long rejectedCount() {
    return rejected.sum();
  }
}
