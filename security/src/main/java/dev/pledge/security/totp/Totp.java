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
 * Totp totp = Totp.create(TotpConfig.defaults(), ReplayGuard.inMemory(), Clock.systemUTC());
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

  /** A TOTP with {@code config}, refusing replays through {@code replay}, reading time from {@code clock}. */
  public static Totp create(TotpConfig config, ReplayGuard replay, Clock clock) {
    return new Totp(Objects.requireNonNull(config, "config"), Objects.requireNonNull(replay, "replay"),
        Objects.requireNonNull(clock, "clock"));
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
