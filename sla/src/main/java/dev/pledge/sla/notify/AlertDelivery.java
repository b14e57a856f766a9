package dev.pledge.sla.notify;

import dev.pledge.core.event.PledgeEvent;
import java.time.Instant;
import java.util.Objects;

/**
 * What became of one alert handed to a notifier (P4): sent, suppressed as a repeat within the
 * de-duplication window, or failed (every attempt failed, the request was rejected, the breaker was
 * open, or no webhook serves the destination). Published by {@link SlackNotifier#onDelivery}, {@link
 * SmsNotifier#onDelivery} and, for every alert it routes whatever the notifier, {@link
 * AlertRouter#onDelivery}, on the sending thread. Carries no secret: no webhook URL, no phone number
 * (the destination is a channel or an engineer's id). Immutable.
 *
 * @param occurredAt when the delivery ended, by the notifier's clock
 * @param channel the kind of channel: {@code slack}, {@code sms}, or another name a notifier gives
 * @param destination the Slack channel or the engineer's id the alert was for
 * @param dedupKey the alert's de-duplication key
 * @param outcome what became of it
 * @param detail why it failed, empty otherwise; never a secret
 */
public record AlertDelivery(Instant occurredAt, String channel, String destination, String dedupKey, Outcome outcome,
    String detail) implements PledgeEvent {

  /** Validates the event. */
  public AlertDelivery {
    Objects.requireNonNull(occurredAt, "occurredAt");
    Objects.requireNonNull(channel, "channel");
    Objects.requireNonNull(destination, "destination");
    Objects.requireNonNull(dedupKey, "dedupKey");
    Objects.requireNonNull(outcome, "outcome");
    detail = detail == null ? "" : detail;
  }

  /** What became of an alert. */
  public enum Outcome {
    /** Delivered to the channel. */
    SENT,
    /** Not sent: the same alert went to the same destination within the de-duplication window. */
    SUPPRESSED,
    /** Not delivered, and the caller was told by an exception. */
    FAILED
  }
}
