package dev.pledge.security.ratelimit;

import dev.pledge.core.PledgeException;
import java.time.Duration;

/**
 * Thrown by a limiter's decorators when a call is rejected (P13). Carries the time until the call
 * would be granted, for a {@code Retry-After} header.
 */
public class RequestNotPermittedException extends PledgeException {
  private static final long serialVersionUID = 1L;

  private final transient Duration retryAfter;

  /** Creates the exception for the limiter named {@code limiter}. */
  public RequestNotPermittedException(String limiter, Duration retryAfter) {
    super("rate limit '" + limiter + "' exceeded; retry after " + retryAfter);
    this.retryAfter = retryAfter;
  }

  /** The time until the rejected call would be granted. */
  public Duration retryAfter() {
    return retryAfter;
  }
}
