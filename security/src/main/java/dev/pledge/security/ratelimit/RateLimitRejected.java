package dev.pledge.security.ratelimit;

import dev.pledge.core.event.PledgeEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * Published when a limiter rejects a request (P13). Built only when a listener is registered, so a
 * limiter without listeners allocates nothing on rejection.
 *
 * @param limiter the limiter's name
 * @param key the key that was limited ({@code String.valueOf(key)}), or {@code ""} for a single-key limiter
 * @param permits the permits asked for
 * @param retryAfter the time until the same request would be granted
 * @param occurredAt when, by the limiter's clock
 */
public record RateLimitRejected(String limiter, String key, long permits, Duration retryAfter, Instant occurredAt)
    implements PledgeEvent {

  /** Validates the event. */
  public RateLimitRejected {
    Objects.requireNonNull(limiter, "limiter");
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(retryAfter, "retryAfter");
    Objects.requireNonNull(occurredAt, "occurredAt");
  }
}
