package dev.pledge.security.ratelimit;

import io.github.resilience4j.core.EventConsumer;
import io.github.resilience4j.core.EventProcessor;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.github.resilience4j.ratelimiter.event.RateLimiterEvent;
import io.github.resilience4j.ratelimiter.event.RateLimiterOnFailureEvent;
import io.github.resilience4j.ratelimiter.event.RateLimiterOnSuccessEvent;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * One key of a {@link KeyedLimiter} seen as a resilience4j
 * {@link io.github.resilience4j.ratelimiter.RateLimiter}: decisions are the keyed limiter's (in-process
 * or shared), made at once (timeout zero: a keyed limit is a budget, and a shared store cannot
 * reserve ahead). Thread-safe.
 */
final class Resilience4jKeyedRateLimiter<K> implements io.github.resilience4j.ratelimiter.RateLimiter {
  private final KeyedLimiter<K> limiter;
  private final K key;
  private final RateLimit first;
  private final Publisher events = new Publisher();

  Resilience4jKeyedRateLimiter(KeyedLimiter<K> limiter, K key) {
    this.limiter = Objects.requireNonNull(limiter, "limiter");
    this.key = Objects.requireNonNull(key, "key");
    this.first = limiter.limits().get(0);
  }

  @Override
  public void changeTimeoutDuration(Duration timeoutDuration) {
    throw new UnsupportedOperationException("a keyed Pledge limiter decides at once; timeoutDuration stays zero, got "
        + timeoutDuration);
  }

  @Override
  public void changeLimitForPeriod(int limitForPeriod) {
    throw new UnsupportedOperationException("Pledge rate limits are immutable; build a new limiter with "
        + "limitForPeriod " + limitForPeriod);
  }

  @Override
  public boolean acquirePermission(int permits) {
    return reservePermission(permits) == 0;
  }

  @Override
  public long reservePermission(int permits) {
    boolean ok = limiter.tryAcquire(key, permits);
    if (events.hasConsumers()) {
      events.processEvent(ok ? new RateLimiterOnSuccessEvent(getName(), permits)
          : new RateLimiterOnFailureEvent(getName(), permits));
    }
    return ok ? 0 : -1;
  }

  @Override
  public void drainPermissions() {
    throw new UnsupportedOperationException("a keyed Pledge limiter is not drained through resilience4j; "
        + "reset the key instead");
  }

  @Override
  public String getName() {
    return limiter.name() + ":" + key;
  }

  @Override
  public RateLimiterConfig getRateLimiterConfig() {
    return RateLimiterConfig.custom()
        .limitForPeriod((int) Math.min(Integer.MAX_VALUE, first.permits()))
        .limitRefreshPeriod(first.per())
        .timeoutDuration(Duration.ZERO)
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
        return 0;
      }

      @Override
      public int getAvailablePermissions() {
        return limiter instanceof KeyedRateLimiter<K> local
            ? (int) Math.min(Integer.MAX_VALUE, local.availablePermits(key)) : -1;
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
