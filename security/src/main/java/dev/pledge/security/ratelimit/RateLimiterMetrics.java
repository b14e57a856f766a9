package dev.pledge.security.ratelimit;

/**
 * A snapshot of a limiter's counters since it was created. Counting costs no allocation per
 * decision; only taking a snapshot allocates this record.
 *
 * @param permitted requests granted
 * @param rejected requests rejected
 * @param keys keys currently held (1 for a single-key limiter)
 */
public record RateLimiterMetrics(long permitted, long rejected, long keys) {

  /** Validates the counters. */
  public RateLimiterMetrics {
    if (permitted < 0 || rejected < 0 || keys < 0) {
      throw new IllegalArgumentException("counters must not be negative, got permitted=" + permitted
          + " rejected=" + rejected + " keys=" + keys);
    }
  }
}
