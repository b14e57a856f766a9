package dev.pledge.sla.notify.internal;

/**
 * One attempt to deliver an alert failed. {@code retryable} says whether another attempt may
 * succeed (a timeout, HTTP 429 or 5xx) or not (a rejection). The message never holds a secret.
 */
public final class DeliveryFailure extends Exception {
  private static final long serialVersionUID = 1L;
  private final boolean retryable;

  /** Creates the failure; {@code message} must already be free of secrets. */
  public DeliveryFailure(String message, boolean retryable) {
    super(message, null, false, false);
    this.retryable = retryable;
  }

  /** Whether another attempt may succeed. */
  public boolean retryable() {
    return retryable;
  }
}
