package dev.pledge.security.redis;

import dev.pledge.security.store.StoreUnavailableException;
import dev.pledge.security.totp.ReplayGuard;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * TOTP replay protection shared by every node through Redis (P26): a code accepted once for an
 * account is refused by every node afterwards. One script per code: compare the offered time step
 * with the account's last used one and record it only if later, atomically, with a TTL of the
 * verification window (after which no earlier step can be offered again, so forgetting is safe).
 *
 * <p>Connected when built (and the script loaded), so the first verification is one round trip. When
 * Redis does not answer within {@link Builder#timeout} the guard throws
 * {@link StoreUnavailableException}: a code is never accepted without its use being recorded. The
 * request may still run on Redis after the client stopped waiting, so the step may be recorded though
 * the code was refused: the same code is then refused again and the user enters the next one, never
 * the other way round (a code accepted twice). Keys:
 * {@code <prefix><account>}, holding the last used step. Thread-safe; close it to release the connection.
 */
public final class RedisReplayGuard implements ReplayGuard, AutoCloseable {
  private static final RedisLink.Script SCRIPT = new RedisLink.Script("replay.lua");
  private final RedisLink link;
  private final String prefix;
  private final long timeoutNanos;
  private final String windowMillis;

  private final Builder settings;

  private RedisReplayGuard(Builder b) {
    this.settings = new Builder(b);
    this.prefix = b.keyPrefix;
    this.timeoutNanos = b.timeout.toNanos();
    this.windowMillis = Long.toString(Math.max(1, b.window.toMillis()));
    this.link = new RedisLink("TOTP replay guard", b.address, b.connectTimeout);
    try {
      // a step no account can have: loads the script and warms the path without recording anything usable
      link.warm(SCRIPT, new String[] {prefix + "\u0000warm-up"}, new String[] {"0", "1"}, b.connectTimeout);
    } catch (StoreUnavailableException e) {
      link.close();
      throw e;
    }
  }

  /** A builder for the guard at {@code address} ({@code redis://[:password@]host:port[/db]}). */
  public static Builder builder(String address) {
    return new Builder(address);
  }

  /**
   * Records that {@code account} used {@code timeStep}, on every node at once.
   *
   * @throws StoreUnavailableException when Redis does not answer in time (treat as "not accepted")
   */
  @Override
  public boolean tryUse(String account, long timeStep) {
    Objects.requireNonNull(account, "account");
    if (timeStep < 0) {
      throw new IllegalArgumentException("timeStep must not be negative, got " + timeStep);
    }
    List<Long> r = link.eval(SCRIPT, new String[] {prefix + account}, new String[] {Long.toString(timeStep), windowMillis},
        System.nanoTime() + timeoutNanos);
    return r.get(0) == 1L;
  }

  @Override
  public void close() {
    link.close();
  }

  @Override
  public String toString() {
    return "RedisReplayGuard[" + link.where() + "]";
  }

  /**
   * A builder holding every setting of this guard (address, timeouts, window, key prefix), to change
   * one; {@code build()} opens a new connection.
   */
  public Builder toBuilder() {
    return new Builder(settings);
  }

  /** Builds a {@link RedisReplayGuard}; not thread-safe. */
  public static final class Builder {
    private final String address;
    private Duration timeout = Duration.ofMillis(100);
    private Duration connectTimeout = Duration.ofSeconds(2);
    private Duration window = Duration.ofMinutes(10);
    private String keyPrefix = "pledge:totp:used:";

    private Builder(String address) {
      RedisLink.parse(address);
      this.address = address;
    }

    /**
     * How long a used step is remembered: at least the verification window, {@code (2 x skew + 1) x
     * period} ({@code TotpConfig#verificationWindow()}); default 10 minutes.
     */
    public Builder window(Duration window) {
      this.window = positive("window", window);
      return this;
    }

    /** How long a call waits for Redis; greater than zero; default 100 ms. */
    public Builder timeout(Duration timeout) {
      this.timeout = positive("timeout", timeout);
      return this;
    }

    /** How long connecting may take when the guard is built; default 2 s. */
    public Builder connectTimeout(Duration connectTimeout) {
      this.connectTimeout = positive("connectTimeout", connectTimeout);
      return this;
    }

    /** The prefix of every key; default {@code pledge:totp:used:}. */
    public Builder keyPrefix(String keyPrefix) {
      this.keyPrefix = Objects.requireNonNull(keyPrefix, "keyPrefix");
      return this;
    }

    private static Duration positive(String field, Duration d) {
      if (d == null || d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(field + " must be greater than zero, got " + d);
      }
      return d;
    }

    /**
     * Connects, loads the script and builds the guard.
     *
     * @throws StoreUnavailableException when Redis cannot be reached
     */
    public RedisReplayGuard build() {
      return new RedisReplayGuard(this);
    }

    /** A copy of {@code other}'s settings, for {@code toBuilder()}. */
    private Builder(Builder other) {
      this.address = other.address;
      this.timeout = other.timeout;
      this.connectTimeout = other.connectTimeout;
      this.window = other.window;
      this.keyPrefix = other.keyPrefix;
    }
  }
}
