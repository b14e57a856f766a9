package dev.pledge.core.notify;

import java.util.List;
import java.util.Objects;

/**
 * Sends alerts to people: Slack, SMS, e-mail, a pager (P4). Implementations are in the modules that
 * need a network; integrators add their own by implementing {@link #send}.
 *
 * <p>Implementations must be thread-safe and must keep secrets (webhook URLs, keys) out of logs,
 * exception messages and {@code toString()}. {@code send} throws a
 * {@link NotificationException} when the alert could not be delivered, so that callers can fall
 * back or escalate.
 */
@FunctionalInterface
public interface Notifier {

  /** Delivers one alert, or throws {@link NotificationException}. */
  void send(Alert alert);

  /**
   * A notifier that sends to every one of {@code notifiers}; it throws only when all of them failed,
   * so that one broken channel does not silence the others.
   */
  static Notifier all(List<? extends Notifier> notifiers) {
    List<Notifier> copy = List.copyOf(notifiers);
    if (copy.isEmpty()) {
      throw new IllegalArgumentException("Notifier.all needs at least one notifier");
    }
    return alert -> {
      Objects.requireNonNull(alert, "alert");
      NotificationException first = null;
      int failures = 0;
      for (Notifier n : copy) {
        try {
          n.send(alert);
        } catch (RuntimeException e) {
          failures++;
          NotificationException ne = e instanceof NotificationException x
              ? x : new NotificationException("notifier " + n.getClass().getSimpleName() + " failed: " + e.getMessage(), e);
          if (first == null) {
            first = ne;
          } else {
            first.addSuppressed(ne);
          }
        }
      }
      if (failures == copy.size()) {
        throw first;
      }
    };
  }

  /** A notifier that keeps alerts in memory, for tests, the tour and reports. */
  static RecordingNotifier recording() {
    return new RecordingNotifier();
  }
}
