package dev.pledge.security.ratelimit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.pledge.core.time.Ticker;
import java.time.Duration;
import java.util.Objects;

/**
 * Login throttling against password guessing (P13): counts consecutive failed logins per account and
 * per source (an IP address, a device), imposes a growing back-off after a few free failures, and
 * blocks an account or source outright after {@code maxFailures} consecutive failures (default 100,
 * the ceiling NIST SP 800-63B sets) until a success, {@link #reset} or {@code lockout} passes.
 *
 * <p>Use: {@link #check} before verifying the password (answer "try later" when not allowed, without
 * verifying), then {@link #recordFailure} or {@link #recordSuccess}. A success resets the account's and
 * the source's counts.
 *
 * <p>Thread-safe. Counters live in Caffeine tables bounded in size and forgotten after
 * {@code forgetAfter} without a failure. Account names are keys only; they never reach a log.
 */
public final class LoginThrottle {
  private final int maxFailures;
  private final int freeFailures;
  private final long baseDelayNanos;
  private final long maxDelayNanos;
  private final long lockoutNanos;
  private final Ticker ticker;
  private final Cache<String, Failures> accounts;
  private final Cache<String, Failures> sources;

  /** Consecutive failures and the ticker reading of the last one. */
  private record Failures(int count, long last) {}

  /**
   * The answer to "may this login be attempted now?".
   *
   * @param allowed whether to verify the password at all
   * @param retryAfter when not allowed, the time until it will be; zero otherwise
   * @param accountFailures consecutive failures of the account so far
   * @param sourceFailures consecutive failures from the source so far
   */
  public record LoginDecision(boolean allowed, Duration retryAfter, int accountFailures, int sourceFailures) {
    /** Validates the decision. */
    public LoginDecision {
      Objects.requireNonNull(retryAfter, "retryAfter");
    }
  }

  private LoginThrottle(Builder b) {
    if (b.freeFailures > b.maxFailures) {
      throw new IllegalArgumentException("freeFailures must not exceed maxFailures " + b.maxFailures + ", got "
          + b.freeFailures);
    }
    if (b.maxDelay.compareTo(b.baseDelay) < 0) {
      throw new IllegalArgumentException("maxDelay must be at least baseDelay " + b.baseDelay + ", got " + b.maxDelay);
    }
    this.maxFailures = b.maxFailures;
    this.freeFailures = b.freeFailures;
    this.baseDelayNanos = b.baseDelay.toNanos();
    this.maxDelayNanos = b.maxDelay.toNanos();
    this.lockoutNanos = b.lockout.toNanos();
    this.ticker = b.ticker;
    Duration forget = b.forgetAfter.compareTo(b.lockout) < 0 ? b.lockout : b.forgetAfter;
    this.accounts = Caffeine.newBuilder().maximumSize(b.maximumKeys).expireAfterWrite(forget)
        .ticker(ticker::read).executor(Runnable::run).build();
    this.sources = Caffeine.newBuilder().maximumSize(b.maximumKeys).expireAfterWrite(forget)
        .ticker(ticker::read).executor(Runnable::run).build();
  }

  /** A throttle with the defaults: 100 failures, 5 free, back-off from 1 s doubling to 15 min, 24 h lockout. */
  public static LoginThrottle ofDefaults() {
    return builder().build();
  }

  /** A builder with the defaults of {@link #ofDefaults()}. */
  public static Builder builder() {
    return new Builder();
  }

  /** Whether a login of {@code account} from {@code source} may be attempted now. Takes nothing. */
  public LoginDecision check(String account, String source) {
    Objects.requireNonNull(account, "account");
    Objects.requireNonNull(source, "source");
    long now = ticker.read();
    Failures a = accounts.getIfPresent(account);
    Failures s = sources.getIfPresent(source);
    long wait = Math.max(waitNanos(a, now), waitNanos(s, now));
    return new LoginDecision(wait == 0, Duration.ofNanos(wait), a == null ? 0 : a.count(), s == null ? 0 : s.count());
  }

  /** Records a failed login; returns the decision for the next attempt. */
  public LoginDecision recordFailure(String account, String source) {
    Objects.requireNonNull(account, "account");
    Objects.requireNonNull(source, "source");
    long now = ticker.read();
    accounts.asMap().merge(account, new Failures(1, now), (old, one) -> new Failures(old.count() + 1, now));
    sources.asMap().merge(source, new Failures(1, now), (old, one) -> new Failures(old.count() + 1, now));
    return check(account, source);
  }

  /** Records a successful login: the account's and the source's consecutive failures start again at 0. */
  public void recordSuccess(String account, String source) {
    accounts.invalidate(Objects.requireNonNull(account, "account"));
    sources.invalidate(Objects.requireNonNull(source, "source"));
  }

  /** Clears an account's failures (an administrator unlocking it). */
  public void reset(String account) {
    accounts.invalidate(Objects.requireNonNull(account, "account"));
  }

  private long waitNanos(Failures f, long now) {
    if (f == null || f.count() <= freeFailures) {
      return 0;
    }
    long delay;
    if (f.count() >= maxFailures) {
      delay = lockoutNanos;
    } else {
      int doublings = Math.min(f.count() - freeFailures - 1, 62);
      delay = doublings >= 62 || baseDelayNanos > (maxDelayNanos >> doublings) ? maxDelayNanos : baseDelayNanos << doublings;
    }
    long left = delay - (now - f.last());
    return left > 0 ? left : 0;
  }

  /** Builds a {@link LoginThrottle}; not thread-safe. */
  public static final class Builder {
    private int maxFailures = 100;
    private int freeFailures = 5;
    private Duration baseDelay = Duration.ofSeconds(1);
    private Duration maxDelay = Duration.ofMinutes(15);
    private Duration lockout = Duration.ofHours(24);
    private Duration forgetAfter = Duration.ofHours(24);
    private long maximumKeys = 1_000_000;
    private Ticker ticker = Ticker.system();

    private Builder() {}

    /** Consecutive failures after which the account or source is locked out; 1 to 100 (NIST's ceiling). */
    public Builder maxFailures(int maxFailures) {
      if (maxFailures < 1 || maxFailures > 100) {
        throw new IllegalArgumentException("maxFailures must be between 1 and 100, got " + maxFailures);
      }
      this.maxFailures = maxFailures;
      return this;
    }

    /** Failures allowed before any back-off; at least 0. */
    public Builder freeFailures(int freeFailures) {
      if (freeFailures < 0) {
        throw new IllegalArgumentException("freeFailures must not be negative, got " + freeFailures);
      }
      this.freeFailures = freeFailures;
      return this;
    }

    /** The first back-off, doubled at each further failure; greater than zero. */
    public Builder baseDelay(Duration baseDelay) {
      this.baseDelay = positive("baseDelay", baseDelay);
      return this;
    }

    /** The longest back-off before the lockout; greater than zero. */
    public Builder maxDelay(Duration maxDelay) {
      this.maxDelay = positive("maxDelay", maxDelay);
      return this;
    }

    /** How long {@code maxFailures} consecutive failures lock out; greater than zero. */
    public Builder lockout(Duration lockout) {
      this.lockout = positive("lockout", lockout);
      return this;
    }

    /** How long failures are remembered after the last one; greater than zero. */
    public Builder forgetAfter(Duration forgetAfter) {
      this.forgetAfter = positive("forgetAfter", forgetAfter);
      return this;
    }

    /** The most accounts (and, separately, sources) tracked; at least 1. */
    public Builder maximumKeys(long maximumKeys) {
      if (maximumKeys < 1) {
        throw new IllegalArgumentException("maximumKeys must be at least 1, got " + maximumKeys);
      }
      this.maximumKeys = maximumKeys;
      return this;
    }

    /** The nanosecond source; default {@link Ticker#system()}. */
    public Builder ticker(Ticker ticker) {
      this.ticker = Objects.requireNonNull(ticker, "ticker");
      return this;
    }

    private static Duration positive(String field, Duration d) {
      if (d == null || d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(field + " must be greater than zero, got " + d);
      }
      return d;
    }

    /**
     * Builds the throttle.
     *
     * @throws IllegalArgumentException when freeFailures exceeds maxFailures or maxDelay is below baseDelay
     */
    public LoginThrottle build() {
      return new LoginThrottle(this);
    }
  }
}
