package dev.pledge.sla.clock;

import java.time.Instant;
import java.util.Objects;

/**
 * One fact in the life of a report, as recorded for its SLA clock (P34-P37). A clock is the replay of
 * its events and nothing else: the same events always give the same deadline. Immutable.
 */
public sealed interface SlaEvent {

  /** When the fact happened. */
  Instant at();

  /** A short name for messages, such as {@code paused}. */
  String kind();

  /** The report was opened in tier {@code rank}: the clock starts. */
  record Opened(Instant at, int rank) implements SlaEvent {
    /** Validates the event. */
    public Opened {
      Objects.requireNonNull(at, "at");
      if (rank < 1) {
        throw new IllegalArgumentException("rank must be at least 1, got " + rank);
      }
    }

    @Override
    public String kind() {
      return "opened";
    }
  }

  /** An operations engineer responded: the response clock stops (met or breached). */
  record Responded(Instant at) implements SlaEvent {
    /** Validates the event. */
    public Responded {
      Objects.requireNonNull(at, "at");
    }

    @Override
    public String kind() {
      return "responded";
    }
  }

  /** The clock stops counting, for instance while waiting for the customer. */
  record Paused(Instant at, String reason) implements SlaEvent {
    /** Validates the event. */
    public Paused {
      Objects.requireNonNull(at, "at");
      reason = reason == null ? "" : reason;
    }

    @Override
    public String kind() {
      return "paused";
    }
  }

  /** The clock counts again after a pause. */
  record Resumed(Instant at) implements SlaEvent {
    /** Validates the event. */
    public Resumed {
      Objects.requireNonNull(at, "at");
    }

    @Override
    public String kind() {
      return "resumed";
    }
  }

  /**
   * The report moved to tier {@code rank}. The new tier's target counts from when the report was
   * opened (retroactive start, as ServiceNow does), not from the reclassification.
   */
  record Reclassified(Instant at, int rank) implements SlaEvent {
    /** Validates the event. */
    public Reclassified {
      Objects.requireNonNull(at, "at");
      if (rank < 1) {
        throw new IllegalArgumentException("rank must be at least 1, got " + rank);
      }
    }

    @Override
    public String kind() {
      return "reclassified";
    }
  }

  /** The report was resolved; a report resolved before any response counts as responded then. */
  record Resolved(Instant at) implements SlaEvent {
    /** Validates the event. */
    public Resolved {
      Objects.requireNonNull(at, "at");
    }

    @Override
    public String kind() {
      return "resolved";
    }
  }
}
