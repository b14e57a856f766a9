package dev.pledge.security.ratelimit;

import dev.pledge.core.event.EventListener;
import java.util.List;

/**
 * Rate limits kept per key (per API client, per IP, per account), whatever holds the state: this
 * process ({@link KeyedRateLimiter}) or a store every node shares ({@code RedisRateLimiter} in
 * {@code pledge-security-redis}). Every implementation decides by the same GCRA on the same
 * {@link RateLimit}s, answers the same {@link RateLimitDecision}, counts in the same
 * {@link RateLimiterMetrics} and publishes the same {@link RateLimitRejected} events (P13), so code
 * written against this interface moves between backends by configuration
 * ({@code rateLimits.store}).
 *
 * <p>Implementations are thread-safe.
 *
 * @param <K> the key type
 */
public interface KeyedLimiter<K> {

  /** The limiter's name (in events, metrics and store keys). */
  String name();

  /** The limits every key gets, in order; a request is granted only if every one admits it. */
  List<RateLimit> limits();

  /** Takes one permit for {@code key} if every limit has one now. Never blocks beyond the backend's timeout. */
  default boolean tryAcquire(K key) {
    return tryAcquire(key, 1);
  }

  /**
   * Takes {@code permits} for {@code key} if every limit has them now.
   *
   * @throws IllegalArgumentException when {@code permits} is below 1 or above a limit's burst
   */
  default boolean tryAcquire(K key, long permits) {
    return decide(key, permits).allowed();
  }

  /**
   * Like {@link #tryAcquire(Object, long)}, with the remaining permits and the retry and reset times an
   * HTTP API reports.
   *
   * @throws IllegalArgumentException when {@code permits} is below 1 or above a limit's burst
   */
  RateLimitDecision decide(K key, long permits);

  /** Forgets {@code key}: its next request finds a full burst (an administrator's reset). */
  void reset(K key);

  /** Counters since creation and the keys held (0 when the store, not this process, holds them). */
  RateLimiterMetrics metrics();

  /**
   * Registers a listener for rejections; the event names the key. Listener failures are isolated.
   *
   * @return a handle whose {@code close()} removes the listener
   */
  dev.pledge.core.event.Subscription onRejected(EventListener<? super RateLimitRejected> listener);

  /**
   * A resilience4j {@link io.github.resilience4j.ratelimiter.RateLimiter} for one key of this limiter,
   * so a call made on behalf of {@code key} composes with resilience4j's decorators. It never waits:
   * a permit is granted now or refused. Its limits cannot be changed through resilience4j.
   */
  default io.github.resilience4j.ratelimiter.RateLimiter asResilience4j(K key) {
    return new Resilience4jKeyedRateLimiter<>(this, key);
  }
}
