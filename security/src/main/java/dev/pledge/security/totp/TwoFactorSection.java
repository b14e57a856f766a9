package dev.pledge.security.totp;

import java.time.Duration;

/**
 * The {@code twoFactor} section of the policy document as it was typed before 0.2.0: the same keys,
 * defaults and validation as {@link TwoFactorPolicy}, which replaces it. A loaded document still
 * answers {@code section(TwoFactorSection.class)} by converting its {@link TwoFactorPolicy}, and
 * {@link Totp} and {@link LoginGate} accept this type by converting it with {@link #toPolicy()}.
 * Immutable.
 *
 * @param required whether every login needs a second factor (default true: P26)
 * @param algorithm the TOTP HMAC function (default SHA1)
 * @param digits 6, 7 or 8 (default 6)
 * @param period the TOTP step (default 30s)
 * @param skew steps accepted either side of the current one (default 1)
 * @param recoveryCodes how many recovery codes an account gets (default 10)
 * @param issuer the issuer shown by authenticator apps, or absent
 * @param replayStore where used codes are remembered so every node refuses a replay
 *     ({@link ReplayGuard#open}); absent means in this process only
 * @deprecated every section type ends with {@code Policy}: use {@link TwoFactorPolicy} (same components),
 *     {@code document.require(TwoFactorPolicy.class)}, {@link Totp#from(TwoFactorPolicy)} and
 *     {@link LoginGate#from(TwoFactorPolicy)}
 */
@Deprecated(since = "0.2.0", forRemoval = true)
public record TwoFactorSection(Boolean required, TotpAlgorithm algorithm, Integer digits, Duration period,
    Integer skew, Integer recoveryCodes, String issuer, String replayStore) {

  /** The section without a replay store (used codes are remembered in this process). */
  public TwoFactorSection(Boolean required, TotpAlgorithm algorithm, Integer digits, Duration period, Integer skew,
      Integer recoveryCodes, String issuer) {
    this(required, algorithm, digits, period, skew, recoveryCodes, issuer, null);
  }

  /** Applies defaults and validates, naming the key, as {@link TwoFactorPolicy} does. */
  public TwoFactorSection {
    TwoFactorPolicy p = new TwoFactorPolicy(required, algorithm, digits, period, skew, recoveryCodes, issuer,
        replayStore);
    required = p.required();
    algorithm = p.algorithm();
    digits = p.digits();
    period = p.period();
    skew = p.skew();
    recoveryCodes = p.recoveryCodes();
  }

  /**
   * The same section as the type that replaces this one.
   *
   * @return the section as a {@link TwoFactorPolicy}
   */
  public TwoFactorPolicy toPolicy() {
    return new TwoFactorPolicy(required, algorithm, digits, period, skew, recoveryCodes, issuer, replayStore);
  }

  /**
   * The section {@code policy} as this former type; how a loaded document answers a host that asks
   * for {@code TwoFactorSection}.
   *
   * @param policy the {@code twoFactor} section
   * @return the same section as a {@code TwoFactorSection}
   */
  public static TwoFactorSection of(TwoFactorPolicy policy) {
    return new TwoFactorSection(policy.required(), policy.algorithm(), policy.digits(), policy.period(),
        policy.skew(), policy.recoveryCodes(), policy.issuer(), policy.replayStore());
  }

  /** Where used codes are remembered; empty means in this process. */
  public java.util.Optional<String> replayStoreAddress() {
    return java.util.Optional.ofNullable(replayStore);
  }

  @Override
  public String toString() {
    return "TwoFactorSection" + toPolicy().toString().substring("TwoFactorPolicy".length());
  }

  /** The TOTP configuration this section describes. */
  public TotpConfig totpConfig() {
    return new TotpConfig(algorithm, digits, period, skew);
  }
}
