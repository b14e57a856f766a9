package dev.pledge.security.password;

/** Where a password stands in its life (P25, P30). */
public enum PasswordStatus {
  /** Valid and not near expiry. */
  OK,
  /** Valid, but expires within the policy's warning window. */
  EXPIRING,
  /** Older than the policy's rotation period: it must be changed at the next login. */
  EXPIRED,
  /** A reset was forced after it was set (for example after a breach): it must be changed now. */
  MUST_CHANGE
}
