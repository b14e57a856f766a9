package dev.pledge.security.totp;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Makes and verifies RFC 6238 time-based one-time passwords (P26): codes are compared in constant
 * time, the steps within the configured skew are accepted, and a {@link ReplayGuard} refuses a code
 * already used by the account. Thread-safe.
 *
 * <pre>{@code
 * Totp totp = Totp.builder(TotpConfig.defaults()).replayGuard(ReplayGuard.inMemory()).clock(Clock.systemUTC()).build();
 * boolean ok = totp.verify("ada", secret, "287082");
 * }</pre>
 */
public final class Totp {
  private static final int[] POW10 = {1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000};

  private final TotpConfig config;
  private final ReplayGuard replay;
  private final Clock clock;

  private Totp(TotpConfig config, ReplayGuard replay, Clock clock) {
    this.config = config;
    this.replay = replay;
    this.clock = clock;
  }

  /**
   * A TOTP with {@code config}, refusing replays through {@code replay}, reading time from {@code clock}.
   *
   * @deprecated the clock is a builder setting: use {@link #builder(TotpConfig)} with {@link
   *     Builder#replayGuard} and {@link Builder#clock}
   */
  @Deprecated(since = "0.2.0")
  public static Totp create(TotpConfig config, ReplayGuard replay, Clock clock) {
    return builder(config).replayGuard(replay).clock(clock).build();
  }

  /**
   * The TOTP the {@code twoFactor} section states (P26): its algorithm, digits, period and skew,
   * refusing replays in the section's {@code replayStore} when it names one (else in this process),
   * with the system UTC clock.
   *
   * @param section the {@code twoFactor} section
   * @return the TOTP
   * @throws IllegalArgumentException when the replay store's address is of no supported kind
   */
  public static Totp from(TwoFactorPolicy section) {
    return builder(section).build();
  }

  /**
   * The TOTP the {@code twoFactor} section states, from the section's former type.
   *
   * @param section the {@code twoFactor} section
   * @return the TOTP
   * @deprecated use {@link #from(TwoFactorPolicy)}
   */
  @Deprecated(since = "0.2.0", forRemoval = true)
  @SuppressWarnings("removal")
  public static Totp from(TwoFactorSection section) {
    return from(section.toPolicy());
  }

  /**
   * A builder pre-filled from the {@code twoFactor} section, to change one thing (a clock, another
   * replay guard) before {@link Builder#build()}. The section's replay store is opened by {@code
   * build()}, and not at all when {@link Builder#replayGuard} replaced it.
   *
   * @param section the {@code twoFactor} section
   * @return the builder
   */
  public static Builder builder(TwoFactorPolicy section) {
    Builder b = builder(section.totpConfig());
    b.replayStore = section.replayStoreAddress().orElse(null);
    return b;
  }

  /**
   * A builder pre-filled from the {@code twoFactor} section's former type.
   *
   * @param section the {@code twoFactor} section
   * @return the builder
   * @deprecated use {@link #builder(TwoFactorPolicy)}
   */
  @Deprecated(since = "0.2.0", forRemoval = true)
  @SuppressWarnings("removal")
  public static Builder builder(TwoFactorSection section) {
    return builder(section.toPolicy());
  }

  /**
   * A builder for a TOTP with {@code config}, an in-memory replay guard and the system UTC clock.
   *
   * @param config the algorithm, digits, period and skew
   * @return the builder
   */
  public static Builder builder(TotpConfig config) {
    return new Builder(Objects.requireNonNull(config, "config"));
  }

  /** Configures a {@link Totp}. Not thread-safe. */
  public static final class Builder {
    private final TotpConfig config;
    private ReplayGuard replay;
    private String replayStore; // a section's replay store, opened by build() unless a guard was set
    private Clock clock = Clock.systemUTC();

    private Builder(TotpConfig config) {
      this.config = config;
    }

    /** Refuses replays through {@code replay} (default: the section's replay store, else {@link ReplayGuard#inMemory()}). */
    public Builder replayGuard(ReplayGuard replay) {
      this.replay = Objects.requireNonNull(replay, "replay");
      this.replayStore = null;
      return this;
    }

    /** The clock {@link Totp#code(TotpSecret)} and verification read (default the system UTC clock). */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * The TOTP.
     *
     * @throws IllegalArgumentException when a section's replay store address is of no supported kind
     */
    public Totp build() {
      ReplayGuard guard = replay;
      if (guard == null) {
        guard = replayStore == null ? ReplayGuard.inMemory() : ReplayGuard.open(replayStore, config.verificationWindow());
      }
      return new Totp(config, guard, clock);
    }
  }

  /**
   * A builder holding this TOTP's configuration, replay guard and clock, to change one of them.
   *
   * @return the builder
   */
  public Builder toBuilder() {
    return builder(config).replayGuard(replay).clock(clock);
  }

  /** The configuration. */
  public TotpConfig config() {
    return config;
  }

  /** The time step that contains {@code at}: whole periods since the Unix epoch. */
  public long timeStep(Instant at) {
    return Math.floorDiv(at.getEpochSecond(), config.period().getSeconds());
  }

  /** The code of {@code secret} now. */
  public String code(TotpSecret secret) {
    return code(secret, clock.instant());
  }

  /** The code of {@code secret} at {@code at}, zero-padded to the configured digits. */
  public String code(TotpSecret secret, Instant at) {
    Objects.requireNonNull(secret, "secret");
    Objects.requireNonNull(at, "at");
    if (at.getEpochSecond() < 0) {
      throw new IllegalArgumentException("at must not be before 1970-01-01T00:00:00Z, got " + at);
    }
    return format(truncate(secret, timeStep(at)));
  }

  /**
   * Why {@code code} cannot be a code of this configuration (not exactly {@code digits} ASCII
   * digits, surrounding spaces aside), or empty when it is well formed. Never names the code.
   */
  public java.util.Optional<String> problemWith(String code) {
    if (code == null) {
      return java.util.Optional.of("code is missing");
    }
    String c = code.strip();
    boolean digits = c.chars().allMatch(ch -> ch >= '0' && ch <= '9');
    if (c.length() != config.digits() || !digits) {
      return java.util.Optional.of("code must be exactly " + config.digits() + " digits, got " + c.length()
          + " characters" + (digits ? "" : " with non-digits"));
    }
    return java.util.Optional.empty();
  }

  /** Verifies {@code code} now for {@code account}; see {@link #verify(String, TotpSecret, String, Instant)}. */
  public boolean verify(String account, TotpSecret secret, String code) {
    return verify(account, secret, code, clock.instant());
  }

  /**
   * Whether {@code code} is the code of a step within the skew window around {@code at} that
   * {@code account} has not used yet; an accepted step is recorded, so the same code (or an older one)
   * never passes again. A code that is not {@code digits} ASCII digits (null, {@code 12ab56}) is
   * not accepted: the answer is {@code false}, never an exception, since codes are user input;
   * {@link #problemWith(String)} says what is wrong with one.
   */
  public boolean verify(String account, TotpSecret secret, String code, Instant at) {
    Objects.requireNonNull(account, "account");
    Objects.requireNonNull(secret, "secret");
    Objects.requireNonNull(at, "at");
    if (problemWith(code).isPresent()) {
      return false;
    }
    String c = code.strip();
    byte[] given = c.getBytes(StandardCharsets.US_ASCII);
    long now = timeStep(at);
    long matched = Long.MIN_VALUE;
    // every step of the window is computed and compared, so timing does not reveal which one matched
    for (long step = now - config.skew(); step <= now + config.skew(); step++) {
      if (step < 0) {
        continue;
      }
      byte[] expected = format(truncate(secret, step)).getBytes(StandardCharsets.US_ASCII);
      if (MessageDigest.isEqual(expected, given) && matched == Long.MIN_VALUE) {
        matched = step;
      }
    }
    return matched != Long.MIN_VALUE && replay.tryUse(account, matched);
  }

  private String format(int value) {
    String s = Integer.toString(value);
    return "0".repeat(config.digits() - s.length()) + s;
  }

  private int truncate(TotpSecret secret, long step) {
    try {
      Mac mac = Mac.getInstance(config.algorithm().jcaName());
      mac.init(new SecretKeySpec(secret.raw(), config.algorithm().jcaName()));
      byte[] h = mac.doFinal(ByteBuffer.allocate(8).putLong(step).array());
      int offset = h[h.length - 1] & 0x0f;
      int binary = ((h[offset] & 0x7f) << 24) | ((h[offset + 1] & 0xff) << 16)
          | ((h[offset + 2] & 0xff) << 8) | (h[offset + 3] & 0xff);
      return binary % POW10[config.digits()];
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(config.algorithm().jcaName() + " is not available in this JVM", e);
    }
  }

  @Override
  public String toString() {
    return "Totp[" + config + "]";
  }
}
