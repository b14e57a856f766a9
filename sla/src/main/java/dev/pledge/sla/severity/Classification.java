package dev.pledge.sla.severity;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The outcome of classifying one report (P33-P37): the tier it falls in (with the customer's
 * tailoring applied), and every rule that matched, most severe first, so a person can see why.
 * Immutable.
 *
 * @param tier the tier, with the customer's target and calendar when tailored
 * @param matched every match, most severe first, then in rule order; empty when none matched
 * @param defaulted true when no rule matched and the policy's default tier applied
 */
public record Classification(Tier tier, List<Match> matched, boolean defaulted) {

  /** Validates the classification. */
  public Classification {
    Objects.requireNonNull(tier, "tier");
    matched = List.copyOf(matched);
  }

  /** The response target of the tier. */
  public Duration respondWithin() {
    return tier.respondWithin();
  }

  /** The names of the matches, most severe first: the first one decided the tier. */
  public List<String> matchedNames() {
    return matched.stream().map(Match::name).toList();
  }

  /**
   * One reason for the classification.
   *
   * @param name the rule's name, or {@code classifier: reason} for a suggestion that was taken
   * @param category the category the rule assigned, or {@code null} for a suggestion
   * @param rank the rank of the tier the match points to
   */
  public record Match(String name, String category, int rank) {}
}
