package dev.pledge.security.breach;

import java.time.Instant;
import java.util.Objects;

/**
 * A breach, or a rehearsal of one (P32).
 *
 * @param id the incident's id
 * @param detectedAt when the organisation became aware of it: P28's clock starts here
 * @param summary what is known, for the people notified
 * @param drill whether this is a rehearsal
 */
public record BreachIncident(String id, Instant detectedAt, String summary, boolean drill) {

  /** Validates the incident. */
  public BreachIncident {
    if (id == null || id.isBlank()) {
      throw new IllegalArgumentException("incident needs an id");
    }
    Objects.requireNonNull(detectedAt, "detectedAt");
    summary = summary == null ? "" : summary;
  }
}
