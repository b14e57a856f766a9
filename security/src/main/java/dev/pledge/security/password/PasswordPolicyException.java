package dev.pledge.security.password;

import dev.pledge.core.PledgeException;

/**
 * An operational failure of the password or two-factor machinery, such as a breached-password service
 * that cannot be reached while the policy fails closed. Messages never contain a password, a hash
 * or a secret.
 */
public class PasswordPolicyException extends PledgeException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception with a message that names the problem. */
  public PasswordPolicyException(String message) {
    super(message);
  }

  /** Creates the exception with a message that names the problem and its cause. */
  public PasswordPolicyException(String message, Throwable cause) {
    super(message, cause);
  }
}
