package dev.pledge.core.notify;

import java.time.Instant;
import java.util.Objects;

/**
 * An alert for people: what happened, how urgent it is, and where it should go (P4). Immutable.
 *
 * @param at when the condition was detected
 * @param severity how urgent it is
 * @param title one line, such as {@code shop/production is DOWN}
 * @param body the detail a person needs to act; never a secret
 * @param destination a routing key the notifier understands, such as {@code ops}, {@code #alerts}
 *     or {@code on-call}; notifiers with a single target ignore it
 * @param dedupKey identifies repeats of the same condition, so notifiers can suppress them within a
 *     window; defaults to the title
 */
public record Alert(
    Instant at, AlertSeverity severity, String title, String body, String destination, String dedupKey) {

  /** Validates the alert. */
  public Alert {
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(severity, "severity");
    if (title == null || title.isBlank()) {
      throw new IllegalArgumentException("alert needs a non-blank title");
    }
    body = body == null ? "" : body;
    destination = destination == null || destination.isBlank() ? "default" : destination;
    dedupKey = dedupKey == null || dedupKey.isBlank() ? title : dedupKey;
  }

  /** An alert to the default destination, de-duplicated by its title. */
  public static Alert of(Instant at, AlertSeverity severity, String title, String body) {
    return new Alert(at, severity, title, body, null, null);
  }

  /** A copy sent to {@code destination}. */
  public Alert to(String destination) {
    return new Alert(at, severity, title, body, destination, dedupKey);
  }
}
