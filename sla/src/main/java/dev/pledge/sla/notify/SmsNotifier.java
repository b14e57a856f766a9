package dev.pledge.sla.notify;

import dev.pledge.core.notify.Notifier;

/**
 * A notifier that texts alerts to phones (P4) and holds a connection to an outside gateway, so it is
 * closed when done. {@code pledge-sla-aws}'s {@code SnsSmsNotifier} is the built-in one; the policy's
 * {@code alerts.sms} section builds it through {@link SmsNotifierProvider}. Implementations are
 * thread-safe.
 */
public interface SmsNotifier extends Notifier, AutoCloseable {
  /** Releases the gateway's client; later sends fail. Idempotent; throws nothing. */
  @Override
  void close();

  /**
   * Whether {@link #close()} was called.
   *
   * @return true once closed
   */
  boolean isClosed();

  /**
   * Registers a listener told of every alert this notifier sent, suppressed as a repeat or failed to
   * deliver ({@link AlertDelivery}, channel {@code sms}), on the sending thread. {@code pledge-sla-aws}'s
   * {@code SnsSmsNotifier} reports every alert; this default, for implementations that cannot, reports
   * none (an {@link AlertRouter} still reports what it sends through them, see {@link
   * AlertRouter#onDelivery}).
   *
   * @return a handle whose {@code close()} removes the listener
   */
  default dev.pledge.core.event.Subscription onDelivery(
      dev.pledge.core.event.EventListener<? super AlertDelivery> listener) {
    java.util.Objects.requireNonNull(listener, "listener");
    return () -> { };
  }
}
