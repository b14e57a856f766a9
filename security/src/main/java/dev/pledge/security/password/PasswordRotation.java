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
 * PasswordRotation rotation = PasswordRotation.builder(PasswordRules.document()).resets(ForcedResets.inMemory())
 *     .clock(clock).build();
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

  /**
   * The rotation of {@code policy}, with forced resets from {@code resets}, reading time from {@code clock}.
   *
   * @deprecated the clock is a builder setting: use {@link #builder(PasswordRules)} with {@link
   *     Builder#resets} and {@link Builder#clock}
   */
  @Deprecated(since = "0.2.0", forRemoval = true)
  @SuppressWarnings("removal")
  public static PasswordRotation create(PasswordPolicy policy, ForcedResets resets, Clock clock) {
    return builder(policy.toRules()).resets(resets).clock(clock).build();
  }

  /**
   * The rotation the {@code passwords} section states (P25, P30): its {@code rotation} period and
   * {@code expiryWarning}, with in-memory forced resets and the system UTC clock.
   *
   * @param section the {@code passwords} section
   * @return the rotation
   */
  public static PasswordRotation from(PasswordsPolicy section) {
    return builder(section).build();
  }

  /**
   * The rotation the {@code passwords} section states, from the section's former type.
   *
   * @param section the {@code passwords} section
   * @return the rotation
   * @deprecated use {@link #from(PasswordsPolicy)}
   */
  @Deprecated(since = "0.2.0", forRemoval = true)
  @SuppressWarnings("removal")
  public static PasswordRotation from(PasswordsSection section) {
    return from(section.toPolicy());
  }

  /**
   * A builder pre-filled from the {@code passwords} section, to change the forced-reset store or the
   * clock before {@link Builder#build()}.
   *
   * @param section the {@code passwords} section
   * @return the builder
   */
  public static Builder builder(PasswordsPolicy section) {
    return builder(PasswordRules.from(section));
  }

  /**
   * A builder pre-filled from the {@code passwords} section's former type.
   *
   * @param section the {@code passwords} section
   * @return the builder
   * @deprecated use {@link #builder(PasswordsPolicy)}
   */
  @Deprecated(since = "0.2.0", forRemoval = true)
  @SuppressWarnings("removal")
  public static Builder builder(PasswordsSection section) {
    return builder(section.toPolicy());
  }

  /**
   * A builder for the rotation of {@code rules}, with in-memory forced resets and the system UTC clock.
   *
   * @param rules the password rules
   * @return the builder
   */
  public static Builder builder(PasswordRules rules) {
    return new Builder(Objects.requireNonNull(rules, "rules").rotation(), rules.expiryWarning());
  }

  /**
   * A builder for the rotation of {@code policy}.
   *
   * @param policy the password rules under their former name
   * @return the builder
   * @deprecated use {@link #builder(PasswordRules)}
   */
  @Deprecated(since = "0.2.0", forRemoval = true)
  @SuppressWarnings("removal")
  public static Builder builder(PasswordPolicy policy) {
    return builder(Objects.requireNonNull(policy, "policy").toRules());
  }

  /**
   * A builder holding this rotation's periods, forced resets and clock, to change one of them.
   *
   * @return the builder
   */
  public Builder toBuilder() {
    return new Builder(rotation, warning).resets(resets).clock(clock);
  }

  /** Configures a {@link PasswordRotation}. Not thread-safe. */
  public static final class Builder {
    private final Duration rotation;
    private final Duration warning;
    private ForcedResets resets;
    private Clock clock = Clock.systemUTC();

    private Builder(Duration rotation, Duration warning) {
      this.rotation = rotation;
      this.warning = warning;
    }

    /** Where forced resets are kept (default {@link ForcedResets#inMemory()}); shared by every node when it is a JDBC store. */
    public Builder resets(ForcedResets resets) {
      this.resets = Objects.requireNonNull(resets, "resets");
      return this;
    }

    /** The clock that says what is now (default the system UTC clock). */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * The rotation.
     *
     * @return the rotation
     */
    public PasswordRotation build() {
      return new PasswordRotation(rotation, warning, resets == null ? ForcedResets.inMemory() : resets, clock);
    }
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
