package dev.pledge.security.totp;

/**
 * Decides whether a login may complete (P26): when the policy requires two factors, a verified
 * password alone never completes a login. Stateless and thread-safe.
 */
public final class LoginGate {
  /** What the login needs next. */
  public enum Decision {
    /** The password did not verify. */
    DENIED,
    /** The account has no second factor yet and the policy requires one: enrol before going on. */
    ENROLMENT_REQUIRED,
    /** The password verified; the second factor has not yet. */
    SECOND_FACTOR_REQUIRED,
    /** Both factors (or the password alone, where the policy allows it) verified. */
    ALLOWED
  }

  private final boolean required;

  private LoginGate(boolean required) {
    this.required = required;
  }

  /** The gate of the policy's {@code twoFactor} section. */
  public static LoginGate from(TwoFactorPolicy section) {
    return new LoginGate(section.required());
  }

  /**
   * The gate of the policy's {@code twoFactor} section, from the section's former type.
   *
   * @param section the {@code twoFactor} section
   * @return the gate
   * @deprecated use {@link #from(TwoFactorPolicy)}
   */
  @Deprecated(since = "0.2.0", forRemoval = true)
  @SuppressWarnings("removal")
  public static LoginGate from(TwoFactorSection section) {
    return from(section.toPolicy());
  }

  /** A gate that requires a second factor when {@code required}. */
  public static LoginGate requiring(boolean required) {
    return new LoginGate(required);
  }

  /**
   * The decision for a login where the password verified or not, the account has a second factor
   * enrolled or not, and that factor (TOTP or a recovery code) verified or not. An enrolled factor is
   * always asked for, even where the policy does not require one.
   */
  public Decision decide(boolean passwordVerified, boolean enrolled, boolean secondFactorVerified) {
    if (!passwordVerified) {
      return Decision.DENIED;
    }
    if (!enrolled) {
      return required ? Decision.ENROLMENT_REQUIRED : Decision.ALLOWED;
    }
    return secondFactorVerified ? Decision.ALLOWED : Decision.SECOND_FACTOR_REQUIRED;
  }
}
