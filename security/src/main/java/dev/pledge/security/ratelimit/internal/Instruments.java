package dev.pledge.security.ratelimit.internal;

import dev.pledge.core.event.EventListener;
import dev.pledge.core.event.EventPublisher;
import dev.pledge.security.ratelimit.RateLimitRejected;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.LongAdder;

/** Counters and the rejection event publisher shared by the limiters. Thread-safe. Not an API. */
public final class Instruments {
  private final String name;
  private final Clock clock;
  private final LongAdder permitted = new LongAdder();
  private final LongAdder rejected = new LongAdder();
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
      rejections.publish(new RateLimitRejected(name, key == null ? "" : String.valueOf(key), permits,
          Duration.ofNanos(retryAfterNanos), clock.instant()));
    }
  }

  /** Registers a rejection listener. */
  public AutoCloseable onRejected(EventListener<? super RateLimitRejected> listener) {
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
