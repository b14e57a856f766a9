package dev.pledge.security.ratelimit;

import java.time.Duration;
import java.util.Objects;

/**
 * The outcome of one request against a limiter, with what an HTTP API needs for its
 * {@code Retry-After} and {@code RateLimit-*} headers (P13).
 *
 * @param allowed whether the permits were granted (and taken)
 * @param remaining permits still available at once after this decision, over all limits
 * @param retryAfter when allowed: zero if another permit is available now, otherwise the time until
 *     one is; when rejected: the time until the same request would be granted
 * @param resetAfter the time until every limit is full again
 */
public record RateLimitDecision(boolean allowed, long remaining, Duration retryAfter, Duration resetAfter) {

  /** Validates the decision. */
  public RateLimitDecision {
    Objects.requireNonNull(retryAfter, "retryAfter");
    Objects.requireNonNull(resetAfter, "resetAfter");
    if (remaining < 0) {
      throw new IllegalArgumentException("remaining must not be negative, got " + remaining);
    }
  }

  /** {@link #retryAfter()} in whole seconds rounded up, as the {@code Retry-After} header wants. */
  public long retryAfterSeconds() {
    return ceilSeconds(retryAfter);
  }

  /** {@link #resetAfter()} in whole seconds rounded up, for the {@code RateLimit-Reset} header. */
  public long resetAfterSeconds() {
    return ceilSeconds(resetAfter);
  }

  private static long ceilSeconds(Duration d) {
    return d.getSeconds() + (d.getNano() > 0 ? 1 : 0);
  }
}
