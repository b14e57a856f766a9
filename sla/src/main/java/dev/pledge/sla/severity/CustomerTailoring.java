package dev.pledge.sla.severity;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Duration;
import java.util.List;

/**
 * A customer's contract terms that differ from the standard tiers (P37): per tier, a different
 * response target or calendar. Tiers not listed keep the standard terms. Immutable.
 *
 * @param tiers the tailored tiers
 */
public record CustomerTailoring(List<TierTerms> tiers) {

  /** Validates the tailoring: each tier at most once. */
  public CustomerTailoring {
    tiers = tiers == null ? List.of() : List.copyOf(tiers);
    java.util.Set<Integer> seen = new java.util.HashSet<>();
    for (TierTerms t : tiers) {
      if (!seen.add(t.rank())) {
        throw new IllegalArgumentException("tier " + t.rank() + " is tailored twice");
      }
    }
  }

  /**
   * The tailored terms of one tier.
   *
   * @param rank the tier's rank
   * @param respondWithin the customer's response target, or {@code null} to keep the standard one
   * @param calendar the customer's calendar name, or {@code null} to keep the standard one
   */
  public record TierTerms(@JsonProperty(required = true) int rank, Duration respondWithin, String calendar) {
    /** Validates the terms. */
    public TierTerms {
      if (rank < 1) {
        throw new IllegalArgumentException("rank must be at least 1, got " + rank);
      }
      if (respondWithin == null && calendar == null) {
        throw new IllegalArgumentException("tier " + rank + " tailoring changes nothing: give respondWithin or calendar");
      }
    }
  }
}
