package dev.pledge.security.password;

import java.util.List;
import java.util.Objects;

/**
 * The outcome of validating one password: every violation found, not only the first (P24).
 * Immutable and thread-safe; never holds the password.
 *
 * @param violations the violations, in the order the checks ran; empty when the password is valid
 */
public record ValidationResult(List<Violation> violations) {

  /** Copies the violations. */
  public ValidationResult {
    violations = List.copyOf(Objects.requireNonNull(violations, "violations"));
  }

  /** Whether the password broke no rule. */
  public boolean valid() {
    return violations.isEmpty();
  }

  /** Whether a violation with {@code code} was found. */
  public boolean has(ViolationCode code) {
    return violations.stream().anyMatch(v -> v.code() == code);
  }
}
