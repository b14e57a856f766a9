package dev.pledge.core.event;

import java.time.Instant;

/**
 * An immutable, typed fact that a Pledge component publishes: a backup completed, a request was
 * rejected, an SLA warning fired. Implementations are records.
 */
public interface PledgeEvent {

  /** When the event happened, by the publishing component's clock. */
  Instant occurredAt();
}
