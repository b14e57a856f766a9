package dev.pledge.security.password;

/**
 * Says how often a password appeared in known data breaches (P24, P30). Implementations must be
 * thread-safe and must never send the password or its full hash anywhere.
 */
@FunctionalInterface
public interface BreachChecker {

  /**
   * How many times {@code password} (already NFKC-normalized) was seen in breaches; 0 when never.
   *
   * @throws PasswordPolicyException when the source cannot answer (timeout, error, open circuit)
   */
  long timesSeen(String password);
}
