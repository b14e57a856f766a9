package dev.pledge.security.ratelimit;

import io.github.resilience4j.core.EventConsumer;
import io.github.resilience4j.core.EventProcessor;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.github.resilience4j.ratelimiter.event.RateLimiterEvent;
import io.github.resilience4j.ratelimiter.event.RateLimiterOnFailureEvent;
import io.github.resilience4j.ratelimiter.event.RateLimiterOnSuccessEvent;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A Pledge {@link RateLimiter} seen as a resilience4j {@link io.github.resilience4j.ratelimiter.RateLimiter},
 * so it composes with resilience4j's decorators (retry, circuit breaker, bulkhead). Decisions are
 * Pledge's GCRA; {@code timeoutDuration} is the bounded wait. Thread-safe.
 */
final class Resilience4jRateLimiter implements io.github.resilience4j.ratelimiter.RateLimiter {
  private final RateLimiter limiter;
  private final RateLimit first;
  private volatile Duration timeout;
  private final AtomicInteger waiting = new AtomicInteger();
  private final Publisher events = new Publisher();

  Resilience4jRateLimiter(RateLimiter limiter, Duration timeout) {
    this.limiter = limiter;
    this.first = limiter.limits().get(0);
    this.timeout = timeout;
  }

  @Override
  public void changeTimeoutDuration(Duration timeoutDuration) {
    if (timeoutDuration == null || timeoutDuration.isNegative()) {
      throw new IllegalArgumentException("timeoutDuration must not be negative, got " + timeoutDuration);
    }
    this.timeout = timeoutDuration;
  }

  /** Pledge limits are immutable: build a new limiter instead. */
  @Override
  public void changeLimitForPeriod(int limitForPeriod) {
    throw new UnsupportedOperationException("Pledge rate limits are immutable; build a new RateLimiter with "
        + "limitForPeriod " + limitForPeriod);
  }

  @Override
  public boolean acquirePermission(int permits) {
    long wait = reservePermission(permits);
    if (wait < 0) {
      return false;
    }
    if (wait > 0) {
      waiting.incrementAndGet();
      try {
        limiter.sleeper().sleep(java.time.Duration.ofNanos(wait));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      } finally {
        waiting.decrementAndGet();
      }
    }
    return true;
  }

  @Override
  public long reservePermission(int permits) {
    long wait = limiter.reserve(permits, timeout.toNanos());
    if (events.hasConsumers()) {
      events.processEvent(wait < 0 ? new RateLimiterOnFailureEvent(getName(), permits)
          : new RateLimiterOnSuccessEvent(getName(), permits));
    }
    return wait;
  }

  @Override
  public void drainPermissions() {
    limiter.drain();
  }

  @Override
  public String getName() {
    return limiter.name();
  }

  @Override
  public RateLimiterConfig getRateLimiterConfig() {
    return RateLimiterConfig.custom()
        .limitForPeriod((int) Math.min(Integer.MAX_VALUE, first.permits()))
        .limitRefreshPeriod(first.per())
        .timeoutDuration(timeout)
        .build();
  }

  @Override
  public Map<String, String> getTags() {
    return Map.of();
  }

  @Override
  public Metrics getMetrics() {
    return new Metrics() {
      @Override
      public int getNumberOfWaitingThreads() {
        return waiting.get();
      }

      @Override
      public int getAvailablePermissions() {
        return (int) Math.min(Integer.MAX_VALUE, limiter.availablePermits());
      }
    };
  }

  @Override
  public EventPublisher getEventPublisher() {
    return events;
  }

  private static final class Publisher extends EventProcessor<RateLimiterEvent> implements EventPublisher {
    @Override
    public EventPublisher onSuccess(EventConsumer<RateLimiterOnSuccessEvent> consumer) {
      registerConsumer(RateLimiterOnSuccessEvent.class.getName(), consumer);
      return this;
    }

    @Override
    public EventPublisher onFailure(EventConsumer<RateLimiterOnFailureEvent> consumer) {
      registerConsumer(RateLimiterOnFailureEvent.class.getName(), consumer);
      return this;
    }
  }
}
