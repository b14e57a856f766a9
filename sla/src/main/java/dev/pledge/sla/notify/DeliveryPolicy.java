package dev.pledge.sla.notify;

import java.time.Duration;
import java.util.Objects;

/**
 * How a notifier delivers (P4): how long one attempt may take, how often and how patiently it
 * retries, when its circuit breaker opens, and for how long repeats of the same alert are
 * suppressed. Immutable and thread-safe; build with {@link #builder()}, copy with {@link #toBuilder()}.
 *
 * <p>Retries wait {@code initialBackoff}, then {@code initialBackoff * backoffMultiplier}, and so on,
 * and happen only after failures that may pass (a timeout, a refused connection, HTTP 429 or 5xx);
 * a rejection (any other 4xx) is final. The breaker opens after {@code breakerFailures} attempts in
 * a row failed in a way that may pass (a rejection shows a wrong configuration, not an unavailable
 * service, and does not count) and stays open for {@code breakerOpenFor}; while open, alerts fail at
 * once without touching the network, and after it one trial attempt decides whether it closes.
 *
 * <p>No wait before a retry is longer than {@code maxWait}: the growing backoff stops growing there,
 * and when a server asks for a longer pause (Slack's {@code Retry-After} on HTTP 429) the alert fails
 * at once, naming the pause asked for, rather than retrying early against the server's word or
 * holding the caller longer than the policy allows.
 *
 * @param timeout the longest one attempt may take, connection included
 * @param maxAttempts attempts per alert, the first included; at least 1
 * @param initialBackoff the wait before the first retry
 * @param backoffMultiplier the factor by which each later wait grows; at least 1
 * @param breakerFailures failed attempts in a row that open the breaker; at least 1
 * @param breakerOpenFor how long the breaker stays open before it lets one attempt through
 * @param dedupWindow how long a repeat of an alert (same destination and de-duplication key) is
 *     suppressed after it was delivered; zero turns de-duplication off
 * @param maxWait the longest wait before one retry, a server's {@code Retry-After} included; at
 *     least {@code initialBackoff}
 */
public record DeliveryPolicy(Duration timeout, int maxAttempts, Duration initialBackoff,
    double backoffMultiplier, int breakerFailures, Duration breakerOpenFor, Duration dedupWindow,
    Duration maxWait) {

  /** Validates the policy, naming the field and value at fault. */
  public DeliveryPolicy {
    positive("timeout", timeout);
    positive("initialBackoff", initialBackoff);
    positive("breakerOpenFor", breakerOpenFor);
    positive("maxWait", maxWait);
    if (maxWait.compareTo(initialBackoff) < 0) {
      throw new IllegalArgumentException("maxWait must be at least initialBackoff (" + initialBackoff + "), got "
          + maxWait);
    }
    Objects.requireNonNull(dedupWindow, "dedupWindow");
    if (dedupWindow.isNegative()) {
      throw new IllegalArgumentException("dedupWindow must not be negative, got " + dedupWindow);
    }
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be at least 1, got " + maxAttempts);
    }
    if (!(backoffMultiplier >= 1.0) || Double.isInfinite(backoffMultiplier)) {
      throw new IllegalArgumentException("backoffMultiplier must be at least 1, got " + backoffMultiplier);
    }
    if (breakerFailures < 1) {
      throw new IllegalArgumentException("breakerFailures must be at least 1, got " + breakerFailures);
    }
  }

  private static void positive(String field, Duration d) {
    Objects.requireNonNull(d, field);
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(field + " must be greater than zero, got " + d);
    }
  }

  /**
   * The defaults: 5 s timeout, 3 attempts, backoff 500 ms doubling, breaker open for 1 minute after
   * 5 failures in a row, repeats suppressed for 10 minutes, no wait longer than 30 seconds.
   */
  public static DeliveryPolicy defaults() {
    return builder().build();
  }

  /**
   * The same as {@link #defaults()}.
   *
   * @return the defaults
   * @deprecated Pledge spells it {@code defaults()} everywhere; this older spelling stays for source
   *     compatibility and will be removed.
   */
  @Deprecated
  public static DeliveryPolicy ofDefaults() {
    return defaults();
  }

  /** A builder starting from the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from this policy. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.timeout = timeout;
    b.maxAttempts = maxAttempts;
    b.initialBackoff = initialBackoff;
    b.backoffMultiplier = backoffMultiplier;
    b.breakerFailures = breakerFailures;
    b.breakerOpenFor = breakerOpenFor;
    b.dedupWindow = dedupWindow;
    b.maxWait = maxWait;
    return b;
  }

  /** Builds a {@link DeliveryPolicy}. Not thread-safe. */
  public static final class Builder {
    private Duration timeout = Duration.ofSeconds(5);
    private int maxAttempts = 3;
    private Duration initialBackoff = Duration.ofMillis(500);
    private double backoffMultiplier = 2.0;
    private int breakerFailures = 5;
    private Duration breakerOpenFor = Duration.ofMinutes(1);
    private Duration dedupWindow = Duration.ofMinutes(10);
    private Duration maxWait = Duration.ofSeconds(30);

    private Builder() {}

    /** The longest one attempt may take. */
    public Builder timeout(Duration timeout) {
      this.timeout = timeout;
      return this;
    }

    /** Attempts per alert, the first included. */
    public Builder maxAttempts(int maxAttempts) {
      this.maxAttempts = maxAttempts;
      return this;
    }

    /** The first wait and the factor by which later waits grow. */
    public Builder backoff(Duration initial, double multiplier) {
      this.initialBackoff = initial;
      this.backoffMultiplier = multiplier;
      return this;
    }

    /** Failed attempts in a row that open the breaker, and how long it stays open. */
    public Builder breaker(int failures, Duration openFor) {
      this.breakerFailures = failures;
      this.breakerOpenFor = openFor;
      return this;
    }

    /** How long repeats are suppressed; zero turns de-duplication off. */
    public Builder dedupWindow(Duration window) {
      this.dedupWindow = window;
      return this;
    }

    /** The longest wait before one retry, a server's {@code Retry-After} included. */
    public Builder maxWait(Duration maxWait) {
      this.maxWait = maxWait;
      return this;
    }

    /** The policy. */
    public DeliveryPolicy build() {
      return new DeliveryPolicy(timeout, maxAttempts, initialBackoff, backoffMultiplier, breakerFailures,
          breakerOpenFor, dedupWindow, maxWait);
    }
  }
}
