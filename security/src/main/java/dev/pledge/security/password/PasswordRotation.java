package dev.pledge.security.password;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Tells whether an account's password is OK, EXPIRING, EXPIRED or MUST_CHANGE (P25, P30), from when
 * it was set, the policy's rotation period and warning window, and forced resets. Thread-safe when
 * its {@link ForcedResets} is.
 *
 * <pre>{@code
 * PasswordRotation rotation = PasswordRotation.create(PasswordPolicy.document(), ForcedResets.inMemory(), clock);
 * if (rotation.status("ada", setAt) != PasswordStatus.OK) { askForANewPassword(); }
 * }</pre>
 */
public final class PasswordRotation {
  private final Duration rotation;
  private final Duration warning;
  private final ForcedResets resets;
  private final Clock clock;

  private PasswordRotation(Duration rotation, Duration warning, ForcedResets resets, Clock clock) {
    this.rotation = rotation;
    this.warning = warning;
    this.resets = resets;
    this.clock = clock;
  }

  /** The rotation of {@code policy}, with forced resets from {@code resets}, reading time from {@code clock}. */
  public static PasswordRotation create(PasswordPolicy policy, ForcedResets resets, Clock clock) {
    return new PasswordRotation(policy.rotation(), policy.expiryWarning(), Objects.requireNonNull(resets, "resets"),
        Objects.requireNonNull(clock, "clock"));
  }

  /** The forced resets this rotation consults; call {@link ForcedResets#forceAll} after a breach. */
  public ForcedResets resets() {
    return resets;
  }

  /** When a password set at {@code setAt} expires; empty when the policy has no periodic rotation. */
  public Optional<Instant> expiresAt(Instant setAt) {
    Objects.requireNonNull(setAt, "setAt");
    return rotation.isZero() ? Optional.empty() : Optional.of(setAt.plus(rotation));
  }

  /**
   * The status now of {@code account}'s password, set at {@code setAt}. A forced reset at or after
   * {@code setAt} wins over everything else; then expiry; then the warning window.
   */
  public PasswordStatus status(String account, Instant setAt) {
    Objects.requireNonNull(account, "account");
    Objects.requireNonNull(setAt, "setAt");
    Instant now = clock.instant();
    Optional<Instant> forced = resets.latestFor(account);
    if (forced.isPresent() && !forced.get().isBefore(setAt)) {
      return PasswordStatus.MUST_CHANGE;
    }
    if (rotation.isZero()) {
      return PasswordStatus.OK;
    }
    Instant expires = setAt.plus(rotation);
    if (!now.isBefore(expires)) {
      return PasswordStatus.EXPIRED;
    }
    if (!now.isBefore(expires.minus(warning))) {
      return PasswordStatus.EXPIRING;
    }
    return PasswordStatus.OK;
  }
}
