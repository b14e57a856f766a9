package dev.pledge.sla.notify;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * De-duplication of alerts shared by every node (P4): with N nodes watching the same health check,
 * the team gets one message, not N. A notifier given a store claims an alert before sending it; only
 * a successful send marks it delivered for the window, so a failed send on one node never silences
 * the others. {@code RedisAlertDedupStore} ({@code pledge-sla-redis}) keeps the marks in Redis
 * ({@code SET NX PX}). When the store does not answer, the notifier de-duplicates on its own node and
 * publishes {@link Fallback} once. Implementations are thread-safe.
 */
public interface AlertDedupStore {

  /** What a claim found. */
  enum Claim {
    /** Nobody sent or is sending the alert: this caller sends it. */
    SEND,
    /** The alert was delivered within the window: suppress it. */
    DELIVERED,
    /** Another node is sending it now: wait for its outcome. */
    IN_FLIGHT
  }

  /**
   * Claims the right to send {@code key}, held as {@code token} for at most {@code lease} (a sender
   * that dies releases it by expiry).
   *
   * @throws RuntimeException when the store does not answer (the notifier falls back to its node)
   */
  Claim claim(String key, String token, Duration lease);

  /** Marks {@code key} delivered for {@code window}: repeats within it, on any node, are suppressed. */
  void delivered(String key, String token, Duration window);

  /** Gives up the claim {@code token} holds on {@code key} after a failed send, so a repeat is sent. */
  void release(String key, String token);

  /**
   * Published once when the shared store stops answering: repeats are then de-duplicated per node
   * (each node may send the alert once) until it answers again.
   *
   * @param channel the notifier's channel ({@code slack}, {@code sms})
   * @param cause what failed (never a secret)
   * @param occurredAt when, by the notifier's clock
   */
  record Fallback(String channel, String cause, Instant occurredAt) implements dev.pledge.core.event.PledgeEvent {
    /** Validates the event. */
    public Fallback {
      Objects.requireNonNull(channel, "channel");
      Objects.requireNonNull(cause, "cause");
      Objects.requireNonNull(occurredAt, "occurredAt");
    }
  }
}
