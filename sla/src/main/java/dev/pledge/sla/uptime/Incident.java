package dev.pledge.sla.uptime;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * One outage as it appears in a month's report (P3): merged with overlapping records, cut at the
 * month's boundaries, and split into downtime that counts and downtime excused by announced
 * maintenance. Immutable.
 *
 * @param start start within the month
 * @param end end within the month
 * @param counted downtime that counts against the target
 * @param excluded downtime inside maintenance windows announced in time
 * @param startedBeforeMonth whether the outage began in the previous month
 * @param endedAfterMonth whether it continued into the next month
 */
public record Incident(Instant start, Instant end, Duration counted, Duration excluded,
    boolean startedBeforeMonth, boolean endedAfterMonth) {

  /** Validates the incident. */
  public Incident {
    Objects.requireNonNull(start, "start");
    Objects.requireNonNull(end, "end");
    if (!counted.plus(excluded).equals(Duration.between(start, end))) {
      throw new IllegalArgumentException("counted " + counted + " plus excluded " + excluded
          + " must equal the incident's length " + Duration.between(start, end));
    }
  }

  /** The incident's length within the month. */
  public Duration duration() {
    return Duration.between(start, end);
  }
}
