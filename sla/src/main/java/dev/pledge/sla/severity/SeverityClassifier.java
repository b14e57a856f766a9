package dev.pledge.sla.severity;

import java.util.Optional;

/**
 * An optional, pluggable second opinion on a report's tier, such as a trained model (P33). Its
 * suggestion is taken only when it is more severe than what the rules decided and its confidence
 * reaches the threshold given to {@link Classifier.Builder#suggester}; it never makes a report less
 * severe than a rule said. Implementations must be thread-safe.
 */
@FunctionalInterface
public interface SeverityClassifier {

  /** A suggested tier for {@code report}, or empty when it has no opinion. */
  Optional<Suggestion> suggest(Report report);

  /**
   * A suggestion: a tier rank, a confidence in [0, 1] and a short reason shown to people.
   *
   * @param rank the suggested tier's rank
   * @param confidence how sure the suggester is, from 0 to 1
   * @param reason why, in a few words
   */
  record Suggestion(int rank, double confidence, String reason) {
    /** Validates the suggestion. */
    public Suggestion {
      if (rank < 1) {
        throw new IllegalArgumentException("suggested rank must be at least 1, got " + rank);
      }
      if (!(confidence >= 0 && confidence <= 1)) {
        throw new IllegalArgumentException("confidence must be between 0 and 1, got " + confidence);
      }
      reason = reason == null || reason.isBlank() ? "suggested" : reason;
    }
  }
}
