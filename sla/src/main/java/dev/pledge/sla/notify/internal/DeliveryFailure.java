package dev.pledge.sla.notify.internal;

/**
 * One attempt to deliver an alert failed. {@code retryable} says whether another attempt may
 * succeed (a timeout, HTTP 429 or 5xx) or not (a rejection); {@code retryAfter}, when present, is how
 * long the server asked the caller to wait first. The message never holds a secret.
 */
public final class DeliveryFailure extends Exception {
  private static final long serialVersionUID = 1L;
  private final boolean retryable;
  private final java.time.Duration retryAfter;

  /** Creates the failure; {@code message} must already be free of secrets. */
  public DeliveryFailure(String message, boolean retryable) {
    this(message, retryable, null);
  }

  /**
   * Creates a retryable failure after which the server asked for a pause of {@code retryAfter}
   * ({@code null} when it did not).
   */
  public DeliveryFailure(String message, boolean retryable, java.time.Duration retryAfter) {
    super(message, null, false, false);
    this.retryable = retryable;
    this.retryAfter = retryAfter;
  }

  /** The pause the server asked for before another attempt, if it asked. */
  public java.util.Optional<java.time.Duration> retryAfter() {
    return java.util.Optional.ofNullable(retryAfter);
  }

  /** Whether another attempt may succeed. */
  public boolean retryable() {
    return retryable;
  }
}
