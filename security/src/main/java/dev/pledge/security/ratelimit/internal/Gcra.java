package dev.pledge.security.ratelimit.internal;

import dev.pledge.security.ratelimit.RateLimit;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.List;

/**
 * The generic cell rate algorithm over one {@code long} of state per limit: the theoretical arrival
 * time (TAT) in ticker nanoseconds. Not an API.
 *
 * <p>Thread-safe and lock-free: each limit's TAT is updated by compare-and-set, with a short bounded
 * spin after a lost race so two cores do not bounce the state's cache line on every attempt. All arithmetic is on
 * differences of ticker readings, so a ticker that wraps past {@code Long.MAX_VALUE} is handled. With
 * several limits, limits are taken in order and a rejection by a later limit gives back what the
 * earlier ones took (a subtraction, which is exact in GCRA): a concurrent caller may see the earlier
 * limits briefly fuller than they are and be rejected, but no limit ever admits more than it allows.
 */
public final class Gcra {
  private static final VarHandle TAT = MethodHandles.arrayElementVarHandle(long[].class);
  static final int MIN_SPINS = 128;
  private static final int MAX_DOUBLINGS = 3;
  static final int MAX_SPINS = MIN_SPINS << MAX_DOUBLINGS;

  private final RateLimit[] limits;
  private final long[] interval;
  private final long[] tolerance;
  private final long maxBurst;
  private final long maxTolerance;
  private final boolean single;
  private final long interval0;
  private final long tolerance0;

  /** An engine for {@code limits} (at least one). */
  public Gcra(List<RateLimit> limits) {
    if (limits == null || limits.isEmpty()) {
      throw new IllegalArgumentException("limits must hold at least one limit, got " + limits);
    }
    this.limits = limits.toArray(new RateLimit[0]);
    this.interval = new long[this.limits.length];
    this.tolerance = new long[this.limits.length];
    long minBurst = Long.MAX_VALUE;
    long maxTol = 0;
    for (int i = 0; i < this.limits.length; i++) {
      interval[i] = this.limits[i].emissionIntervalNanos();
      tolerance[i] = this.limits[i].toleranceNanos();
      minBurst = Math.min(minBurst, this.limits[i].burst());
      maxTol = Math.max(maxTol, tolerance[i]);
    }
    this.maxBurst = minBurst;
    this.maxTolerance = maxTol;
    this.single = this.limits.length == 1;
    this.interval0 = interval[0];
    this.tolerance0 = tolerance[0];
  }

  /** The limits, in order. */
  public List<RateLimit> limits() {
    return List.of(limits);
  }

  /** The largest weight any request may have: the smallest burst among the limits. */
  public long maxWeight() {
    return maxBurst;
  }

  /** The longest time, in nanoseconds, a drained state takes to be full again. */
  public long maxToleranceNanos() {
    return maxTolerance;
  }

  /** A fresh, full state read at {@code now}. */
  public long[] newState(long now) {
    long[] s = new long[limits.length];
    for (int i = 0; i < s.length; i++) {
      s[i] = now;
    }
    return s;
  }

  /**
   * Checks a weight against the limits.
   *
   * @throws IllegalArgumentException when {@code weight} is below 1 or above a limit's burst (it could never be granted)
   */
  public void checkWeight(long weight) {
    if (weight < 1) {
      throw new IllegalArgumentException("permits must be at least 1, got " + weight);
    }
    if (weight > maxBurst) {
      for (RateLimit l : limits) {
        if (weight > l.burst()) {
          throw new IllegalArgumentException("permits " + weight + " exceed the burst of limit " + l
              + " and can never be granted");
        }
      }
    }
  }

  /**
   * Takes {@code weight} permits if every limit admits them now, or within {@code waitNanos} by reservation.
   *
   * @param weight permits wanted, already checked by {@link #checkWeight}
   * @param now the ticker reading
   * @param waitNanos how long the caller accepts to wait; 0 for none
   * @return {@code -1} when rejected (nothing taken); otherwise the nanoseconds the caller must wait
   *     before using the permits (0 for at once)
   */
  public long acquire(long[] state, long weight, long now, long waitNanos) {
    if (state.length == 1) {
      return acquireOne(state, 0, weight * interval[0], now, tolerance[0] + waitNanos);
    }
    long wait = 0;
    for (int i = 0; i < state.length; i++) {
      long w = acquireOne(state, i, weight * interval[i], now, tolerance[i] + waitNanos);
      if (w < 0) {
        for (int j = 0; j < i; j++) {
          TAT.getAndAdd(state, j, -weight * interval[j]);
        }
        return -1;
      }
      wait = Math.max(wait, w);
    }
    return wait;
  }

  /**
   * Takes one permit if every limit has it at {@code now}: the hot path, with no weight check (one
   * permit is within every burst) and, for a single limit, no array walk.
   */
  public boolean tryAcquireOne(long[] state, long now) {
    if (!single) {
      return acquire(state, 1, now, 0) >= 0;
    }
    long tat = (long) TAT.getVolatile(state, 0);
    for (int losses = 0; ; losses++) {
      long ahead = tat - now;
      long next = (ahead < 0 ? 0 : ahead) + interval0;
      if (next > tolerance0) {
        return false;
      }
      if (TAT.compareAndSet(state, 0, tat, now + next)) {
        return true;
      }
      tat = backOff(state, 0, losses);
    }
  }

  private long acquireOne(long[] state, int i, long increment, long now, long limit) {
    long tat = (long) TAT.getVolatile(state, i);
    for (int losses = 0; ; losses++) {
      long ahead = tat - now;
      if (ahead < 0) {
        ahead = 0;
      }
      long next = ahead + increment;
      if (next > limit) {
        return -1;
      }
      if (TAT.compareAndSet(state, i, tat, now + next)) {
        long excess = next - tolerance[i];
        return excess > 0 ? excess : 0;
      }
      tat = backOff(state, i, losses);
    }
  }

  /**
   * After a lost race on a state's line: the winner's core holds the line, so spin briefly (never park)
   * and let it finish a few more decisions locally before taking the line back, rather than bouncing
   * the line between cores on every attempt. The spin doubles with each consecutive loss, from
   * {@link #MIN_SPINS} to {@link #MAX_SPINS}. Returns a fresh reading of the state.
   */
  private static long backOff(long[] state, int i, int losses) {
    int spins = MIN_SPINS << Math.min(losses, MAX_DOUBLINGS);
    for (int k = 0; k < spins; k++) {
      Thread.onSpinWait();
    }
    return (long) TAT.getVolatile(state, i);
  }

  /** Permits available at {@code now}: the smallest over the limits. */
  public long remaining(long[] state, long now) {
    long min = Long.MAX_VALUE;
    for (int i = 0; i < state.length; i++) {
      long room = tolerance[i] - ahead(state, i, now);
      min = Math.min(min, room <= 0 ? 0 : room / interval[i]);
    }
    return min;
  }

  /** Nanoseconds until {@code weight} permits are available at once: 0 if they are now. */
  public long nanosUntil(long[] state, long weight, long now) {
    long max = 0;
    for (int i = 0; i < state.length; i++) {
      max = Math.max(max, ahead(state, i, now) + weight * interval[i] - tolerance[i]);
    }
    return max;
  }

  /** Nanoseconds until every limit is full again. */
  public long nanosUntilFull(long[] state, long now) {
    long max = 0;
    for (int i = 0; i < state.length; i++) {
      max = Math.max(max, ahead(state, i, now));
    }
    return max;
  }

  /** Takes every permit now (the state is drained, as if a full burst had just been used). */
  public void drain(long[] state, long now) {
    for (int i = 0; i < state.length; i++) {
      for (;;) {
        long tat = (long) TAT.getVolatile(state, i);
        long target = now + tolerance[i];
        if (tat - target >= 0 || TAT.compareAndSet(state, i, tat, target)) {
          break;
        }
      }
    }
  }

  private static long ahead(long[] state, int i, long now) {
    long a = (long) TAT.getVolatile(state, i) - now;
    return a < 0 ? 0 : a;
  }
}
