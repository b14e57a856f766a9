package dev.pledge.security.totp;

import java.time.Duration;

/**
 * The {@code twoFactor} section of the policy document (P26), absent keys filled in. Bind the
 * components with {@link Totp#from(TwoFactorPolicy)} and {@link LoginGate#from(TwoFactorPolicy)}.
 * Immutable. Replaces {@code TwoFactorSection} (0.1.x).
 *
 * <pre>{@code
 * twoFactor:
 *   required: true
 *   algorithm: SHA1
 *   digits: 6
 *   period: 30s
 *   skew: 1
 *   recoveryCodes: 10
 *   issuer: Zaltek
 *   replayStore: redis://10.0.0.5:6379   # or jdbc:postgresql://..., jdbc:mariadb://...; absent: in-process
 * }</pre>
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
 */
public record TwoFactorPolicy(Boolean required, TotpAlgorithm algorithm, Integer digits, Duration period,
    Integer skew, Integer recoveryCodes, String issuer, String replayStore) {

  /** The section without a replay store (used codes are remembered in this process). */
  public TwoFactorPolicy(Boolean required, TotpAlgorithm algorithm, Integer digits, Duration period, Integer skew,
      Integer recoveryCodes, String issuer) {
    this(required, algorithm, digits, period, skew, recoveryCodes, issuer, null);
  }

  /** Applies defaults and validates, naming the key. */
  public TwoFactorPolicy {
    required = required == null || required;
    algorithm = algorithm == null ? TotpAlgorithm.SHA1 : algorithm;
    digits = digits == null ? 6 : digits;
    period = period == null ? Duration.ofSeconds(30) : period;
    skew = skew == null ? 1 : skew;
    recoveryCodes = recoveryCodes == null ? 10 : recoveryCodes;
    new TotpConfig(algorithm, digits, period, skew);
    if (recoveryCodes < 0 || recoveryCodes > 20) {
      throw new IllegalArgumentException("recoveryCodes must be between 0 and 20, got " + recoveryCodes);
    }
    if (replayStore != null && !replayStore.startsWith("redis://") && !replayStore.startsWith("rediss://")
        && !replayStore.startsWith("jdbc:postgresql:") && !replayStore.startsWith("jdbc:mariadb:")
        && !replayStore.startsWith("jdbc:h2:")) {
      throw new IllegalArgumentException("replayStore must be redis://host:port, jdbc:postgresql://..., "
          + "jdbc:mariadb://... or jdbc:h2:..., got '" + replayStore.replaceAll("//[^/@]*@", "//***@").replaceAll("\\?.*", "?...") + "'");
    }
    if (issuer != null && (issuer.isBlank() || issuer.contains(":"))) {
      throw new IllegalArgumentException("issuer must be non-blank text without ':', got '" + issuer + "'");
    }
  }

  /** Where used codes are remembered; empty means in this process. */
  public java.util.Optional<String> replayStoreAddress() {
    return java.util.Optional.ofNullable(replayStore);
  }

  @Override
  public String toString() {
    return "TwoFactorPolicy[required=" + required + ", algorithm=" + algorithm + ", digits=" + digits + ", period="
        + period + ", skew=" + skew + ", recoveryCodes=" + recoveryCodes + ", issuer=" + issuer + ", replayStore="
        + (replayStore == null ? null : replayStore.replaceAll("//[^/@]*@", "//***@").replaceAll("\\?.*", "?...")) + "]";
  }

  /** The TOTP configuration this section describes. */
  public TotpConfig totpConfig() {
    return new TotpConfig(algorithm, digits, period, skew);
  }
}
