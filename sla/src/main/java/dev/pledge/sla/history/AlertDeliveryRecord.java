package dev.pledge.sla.history;

import dev.pledge.core.notify.Alert;
import java.time.Instant;
import java.util.Objects;

/**
 * One alert handed to a notifier, and what became of it, as recorded in the {@link SlaHistory} (P4):
 * when, on which channel ({@code slack}, {@code sms}), to which destination, for which condition
 * (the alert's de-duplication key, such as {@code uptime/shop/DOWN}), and whether it was delivered.
 * Immutable; never holds a secret (a webhook URL or phone number is not recorded, only the channel
 * name or the engineer's id).
 *
 * @param at when the alert was handed to the notifier
 * @param condition the alert's de-duplication key, naming what it is about
 * @param channel the notifier's channel, such as {@code slack} or {@code sms}
 * @param destination the Slack channel or the engineer's id
 * @param delivered whether the notifier accepted it
 * @param title the alert's title
 * @param error why it failed; empty when delivered
 */
public record AlertDeliveryRecord(Instant at, String condition, String channel, String destination, boolean delivered,
    String title, String error) {

  /** Validates the record. */
  public AlertDeliveryRecord {
    Objects.requireNonNull(at, "at");
    if (condition == null || condition.isBlank()) {
      throw new IllegalArgumentException("condition must name what the alert is about");
    }
    if (channel == null || channel.isBlank()) {
      throw new IllegalArgumentException("channel must name the notifier's channel, such as slack or sms");
    }
    destination = destination == null ? "" : destination;
    title = title == null ? "" : title;
    error = error == null ? "" : error;
  }

  /** The record of {@code alert} handed to {@code channel} at {@code at}; {@code error} null when delivered. */
  public static AlertDeliveryRecord of(Alert alert, String channel, Instant at, String error) {
    return new AlertDeliveryRecord(at, alert.dedupKey(), channel, alert.destination(), error == null, alert.title(),
        error);
  }
}
