package dev.pledge.security.totp;

import java.time.Duration;
import java.util.Objects;

/**
 * How TOTP codes are made and checked (RFC 6238, P26). Immutable and thread-safe.
 *
 * @param algorithm the HMAC function (default SHA1)
 * @param digits 6, 7 or 8 digits per code (default 6)
 * @param period the time step, whole seconds (default 30 s)
 * @param skew how many steps before and after the current one are accepted (default 1)
 */
public record TotpConfig(TotpAlgorithm algorithm, int digits, Duration period, int skew) {

  /** Validates every value, naming the field. */
  public TotpConfig {
    Objects.requireNonNull(algorithm, "algorithm");
    Objects.requireNonNull(period, "period");
    if (digits < 6 || digits > 8) {
      throw new IllegalArgumentException("digits must be 6, 7 or 8, got " + digits);
    }
    if (period.isNegative() || period.isZero() || period.getNano() != 0 || period.getSeconds() > 3600) {
      throw new IllegalArgumentException("period must be whole seconds between 1s and 1h, got " + period);
    }
    if (skew < 0 || skew > 10) {
      throw new IllegalArgumentException("skew must be between 0 and 10 steps, got " + skew);
    }
  }

  /** SHA1, 6 digits, 30 s, a skew of one step either side. */
  public static TotpConfig defaults() {
    return new TotpConfig(TotpAlgorithm.SHA1, 6, Duration.ofSeconds(30), 1);
  }

  /** A copy with {@code algorithm}. */
  public TotpConfig withAlgorithm(TotpAlgorithm a) {
    return new TotpConfig(a, digits, period, skew);
  }

  /** A copy with {@code digits}. */
  public TotpConfig withDigits(int d) {
    return new TotpConfig(algorithm, d, period, skew);
  }

  /** A copy with {@code period}. */
  public TotpConfig withPeriod(Duration p) {
    return new TotpConfig(algorithm, digits, p, skew);
  }

  /**
   * How long a code's time step stays acceptable: {@code (2 x skew + 1) x period}. A replay guard that
   * remembers a used step this long refuses every replay, since no earlier step is acceptable after it.
   */
  public java.time.Duration verificationWindow() {
    return period.multipliedBy(2L * skew + 1);
  }

  /** A copy with {@code skew}. */
  public TotpConfig withSkew(int s) {
    return new TotpConfig(algorithm, digits, period, s);
  }
}
