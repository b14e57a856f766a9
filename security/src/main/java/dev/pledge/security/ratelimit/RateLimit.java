package dev.pledge.security.ratelimit;

import java.time.Duration;
import java.util.Objects;

/**
 * One limit: {@code permits} per period {@code per}, with a burst allowance of {@code burst} permits
 * that may be taken at once after a quiet spell (P13).
 *
 * <p>The limit is enforced as a generic cell rate algorithm (GCRA): one permit is earned every
 * {@link #emissionIntervalNanos()} nanoseconds, and at most {@code burst} permits are banked. The
 * interval is {@code per / permits} rounded <em>up</em> to the nanosecond, so a limit never admits
 * more than it says, and under-admits by at most one nanosecond per permit.
 *
 * <p>Immutable and thread-safe. Build with {@link #builder()} or {@link #of(long, Duration)}.
 *
 * <pre>{@code
 * RateLimit api = RateLimit.builder().permits(20).per(Duration.ofSeconds(1)).burst(40).build();
 * }</pre>
 */
public final class RateLimit {
  /** The largest burst window allowed, in nanoseconds (about 146 years), to keep arithmetic exact. */
  static final long MAX_TOLERANCE_NANOS = 1L << 62;

  private final String name;
  private final long permits;
  private final Duration per;
  private final long burst;
  private final long intervalNanos;
  private final long toleranceNanos;

  private RateLimit(Builder b) {
    if (b.permits < 1) {
      throw new IllegalArgumentException("permits must be at least 1, got " + b.permits);
    }
    if (b.per == null) {
      throw new IllegalArgumentException("per is required (the period of the limit, e.g. 1s)");
    }
    if (b.per.isNegative() || b.per.isZero()) {
      throw new IllegalArgumentException("per must be greater than zero, got " + b.per);
    }
    long burst = b.burst == null ? b.permits : b.burst;
    if (burst < 1) {
      throw new IllegalArgumentException("burst must be at least 1, got " + burst);
    }
    long perNanos;
    try {
      perNanos = b.per.toNanos();
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException("per is too long, got " + b.per);
    }
    if (perNanos < b.permits) {
      throw new IllegalArgumentException("permits " + b.permits + " per " + b.per
          + " is more than one permit per nanosecond");
    }
    long interval = (perNanos + b.permits - 1) / b.permits;
    long tolerance;
    try {
      tolerance = Math.multiplyExact(interval, burst);
    } catch (ArithmeticException e) {
      tolerance = Long.MAX_VALUE;
    }
    if (tolerance > MAX_TOLERANCE_NANOS) {
      throw new IllegalArgumentException("burst " + burst + " at " + b.permits + " per " + b.per
          + " spans more than 146 years; lower burst or per");
    }
    this.name = b.name;
    this.permits = b.permits;
    this.per = b.per;
    this.burst = burst;
    this.intervalNanos = interval;
    this.toleranceNanos = tolerance;
  }

  /** A limit of {@code permits} per {@code per} whose burst equals {@code permits}. */
  public static RateLimit of(long permits, Duration per) {
    return builder().permits(permits).per(per).build();
  }

  /** A builder; {@code permits} and {@code per} are required, {@code burst} defaults to {@code permits}. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this limit's values. */
  public Builder toBuilder() {
    return new Builder().name(name).permits(permits).per(per).burst(burst);
  }

  /** The optional name of this limit (as in the policy document), or {@code null}. */
  public String name() {
    return name;
  }

  /** Permits earned per {@link #per()}. */
  public long permits() {
    return permits;
  }

  /** The period over which {@link #permits()} are earned. */
  public Duration per() {
    return per;
  }

  /** The most permits that can be taken at once (the bucket's capacity). */
  public long burst() {
    return burst;
  }

  /** Nanoseconds to earn one permit: {@code per / permits}, rounded up. */
  public long emissionIntervalNanos() {
    return intervalNanos;
  }

  /** Nanoseconds for a drained bucket to become full again: {@code burst x emission interval}. */
  public long toleranceNanos() {
    return toleranceNanos;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RateLimit r && r.permits == permits && r.per.equals(per) && r.burst == burst
        && Objects.equals(r.name, name);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, permits, per, burst);
  }

  @Override
  public String toString() {
    return (name == null ? "" : name + ": ") + permits + " per " + per + " (burst " + burst + ")";
  }

  /** Builds a {@link RateLimit}; not thread-safe. */
  public static final class Builder {
    private String name;
    private long permits;
    private Duration per;
    private Long burst;

    private Builder() {}

    /** An optional name used in messages. */
    public Builder name(String name) {
      this.name = name;
      return this;
    }

    /** Permits earned per period; at least 1. */
    public Builder permits(long permits) {
      this.permits = permits;
      return this;
    }

    /** The period; greater than zero. */
    public Builder per(Duration per) {
      this.per = per;
      return this;
    }

    /** The most permits taken at once; at least 1; defaults to {@code permits}. */
    public Builder burst(long burst) {
      this.burst = burst;
      return this;
    }

    /**
     * Builds the limit.
     *
     * @throws IllegalArgumentException naming the field and value when a value is missing or out of range
     */
    public RateLimit build() {
      return new RateLimit(this);
    }
  }
}
