package dev.pledge.security.ratelimit;

import dev.pledge.core.time.Sleeper;
import dev.pledge.core.event.EventListener;
import dev.pledge.core.time.Ticker;
import dev.pledge.security.ratelimit.internal.Gcra;
import dev.pledge.security.ratelimit.internal.Instruments;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

/**
 * A rate limiter for one key (one API, one client) that enforces one or more {@link RateLimit}s at
 * once: a request is granted only if every limit admits it (P13).
 *
 * <p>Thread-safe and lock-free. The state is one {@code long} per limit, updated by compare-and-set
 * with exact integer nanosecond arithmetic from the injected {@link Ticker}; {@link #tryAcquire()}
 * never blocks and allocates nothing. However many threads race, no limit ever grants more than
 * {@code burst + permits x elapsed / per}. Waiting is a separate, bounded call:
 * {@link #tryAcquire(long, Duration)}.
 *
 * <pre>{@code
 * RateLimiter api = RateLimiter.builder("api")
 *     .limit(RateLimit.builder().permits(20).per(Duration.ofSeconds(1)).build())
 *     .limit(RateLimit.of(1000, Duration.ofHours(1)))
 *     .build();
 * if (!api.tryAcquire()) {
 *   // answer 429
 * }
 * }</pre>
 */
public final class RateLimiter {
  private final String name;
  private final Gcra gcra;
  private final Ticker ticker;
  private final Sleeper sleeper;
  private final long[] state;
  private final Instruments instruments;
  private final Clock clock;

  private RateLimiter(Builder b) {
    this.name = b.name;
    this.clock = b.clock;
    this.gcra = new Gcra(b.limits);
    this.ticker = b.ticker;
    this.sleeper = b.sleeper;
    this.state = gcra.newState(ticker.read());
    this.instruments = new Instruments(name, b.clock);
  }

  /** A builder for a limiter named {@code name} (used in events and messages). */
  public static Builder builder(String name) {
    return new Builder(name);
  }

  /**
   * The limiter for the limit named {@code name} in the {@code rateLimits} section (P13), with the
   * system ticker and clock; in this process whatever the section's {@code store} (use {@link
   * RateLimitsPolicy#sharedLimiter} for a limiter shared through it).
   *
   * @param section the {@code rateLimits} section
   * @param name the limit's name in the section
   * @return the limiter
   * @throws IllegalArgumentException when the section has no limit of that name
   */
  public static RateLimiter from(RateLimitsPolicy section, String name) {
    return builder(section, name).build();
  }

  /**
   * A builder pre-filled with the limit named {@code name} in the {@code rateLimits} section, to
   * change one thing (a ticker, a clock, a sleeper) before {@link Builder#build()}.
   *
   * @param section the {@code rateLimits} section
   * @param name the limit's name in the section
   * @return the builder
   * @throws IllegalArgumentException when the section has no limit of that name
   */
  public static Builder builder(RateLimitsPolicy section, String name) {
    return builder(name).limits(section.limit(name));
  }

  /**
   * A builder holding this limiter's name, limits, ticker, clock and sleeper, for a new limiter
   * (with full buckets) that differs in one of them.
   *
   * @return the builder
   */
  public Builder toBuilder() {
    return builder(name).limits(gcra.limits()).ticker(ticker).clock(clock).sleeper(sleeper);
  }

  /** A limiter with the given limits, the system ticker and the system UTC clock. */
  public static RateLimiter of(String name, RateLimit... limits) {
    Builder b = builder(name);
    for (RateLimit l : limits) {
      b.limit(l);
    }
    return b.build();
  }

  /** The limiter's name. */
  public String name() {
    return name;
  }

  /** The limits, in the order they were added. */
  public List<RateLimit> limits() {
    return gcra.limits();
  }

  /**
   * Takes one permit if every limit has one now. Never blocks; allocates nothing; costs one ticker
   * reading and one compare-and-set per limit.
   */
  public boolean tryAcquire() {
    long now = ticker.read();
    if (gcra.tryAcquireOne(state, now)) {
      instruments.permitted();
      return true;
    }
    return rejected(1, now);
  }

  /**
   * Takes {@code permits} permits if every limit has them now. Never blocks; allocates nothing unless a
   * rejection listener is registered.
   *
   * @throws IllegalArgumentException when {@code permits} is below 1 or above a limit's burst (such a
   *     request could never be granted)
   */
  public boolean tryAcquire(long permits) {
    return tryAcquireNanos(permits) == 0;
  }

  /**
   * Takes {@code permits} permits if every limit has them now, answering with a primitive so an HTTP
   * layer can set {@code Retry-After} without the allocation of {@link #decide(long)}. Never blocks;
   * allocates nothing unless a rejection listener is registered.
   *
   * @return 0 when granted; otherwise the nanoseconds (at least 1) until the same request would be granted
   * @throws IllegalArgumentException when {@code permits} is below 1 or above a limit's burst
   */
  public long tryAcquireNanos(long permits) {
    gcra.checkWeight(permits);
    long now = ticker.read();
    if (gcra.acquire(state, permits, now, 0) >= 0) {
      instruments.permitted();
      return 0;
    }
    long retry = Math.max(1, gcra.nanosUntil(state, permits, now));
    instruments.countRejected();
    if (instruments.listening()) {
      instruments.publishRejected(null, permits, retry);
    }
    return retry;
  }

  private boolean rejected(long permits, long now) {
    instruments.countRejected();
    if (instruments.listening()) {
      instruments.publishRejected(null, permits, Math.max(1, gcra.nanosUntil(state, permits, now)));
    }
    return false;
  }

  /**
   * Like {@link #tryAcquire(long)}, with the remaining permits and the times an HTTP API reports.
   * Allocates the decision.
   */
  public RateLimitDecision decide(long permits) {
    gcra.checkWeight(permits);
    long now = ticker.read();
    boolean allowed = gcra.acquire(state, permits, now, 0) >= 0;
    long retry = gcra.nanosUntil(state, allowed ? 1 : permits, now);
    if (allowed) {
      instruments.permitted();
    } else {
      instruments.rejected(null, permits, retry);
    }
    return new RateLimitDecision(allowed, gcra.remaining(state, now), Duration.ofNanos(retry),
        Duration.ofNanos(gcra.nanosUntilFull(state, now)));
  }

  /**
   * Takes {@code permits} permits, waiting for them at most {@code maxWait}. If they cannot be had
   * within {@code maxWait}, returns {@code false} at once without waiting; otherwise reserves them and
   * waits (through the {@link Sleeper}) until they are due.
   *
   * @throws InterruptedException when interrupted while waiting (the reserved permits stay taken)
   * @throws IllegalArgumentException when {@code permits} could never be granted or {@code maxWait} is negative
   */
  public boolean tryAcquire(long permits, Duration maxWait) throws InterruptedException {
    Objects.requireNonNull(maxWait, "maxWait");
    if (maxWait.isNegative()) {
      throw new IllegalArgumentException("maxWait must not be negative, got " + maxWait);
    }
    long waitLimit = maxWait.compareTo(Duration.ofDays(365)) > 0 ? Duration.ofDays(365).toNanos() : maxWait.toNanos();
    long wait = reserve(permits, waitLimit);
    if (wait < 0) {
      return false;
    }
    if (wait > 0) {
      sleeper.sleep(Duration.ofNanos(wait));
    }
    return true;
  }

  /** Permits available at once now. */
  public long availablePermits() {
    return gcra.remaining(state, ticker.read());
  }

  /** Takes every available permit (useful after a signal that the protected resource is overloaded). */
  public void drain() {
    gcra.drain(state, ticker.read());
  }

  /** Counters since creation. */
  public RateLimiterMetrics metrics() {
    return new RateLimiterMetrics(instruments.permittedCount(), instruments.rejectedCount(), 1);
  }

  /**
   * Registers a listener for rejections. Listener failures are isolated from the caller.
   *
   * @return a handle whose {@code close()} removes the listener
   */
  public dev.pledge.core.event.Subscription onRejected(EventListener<? super RateLimitRejected> listener) {
    return instruments.onRejected(listener);
  }

  /** A supplier that takes one permit before each call, or throws {@link RequestNotPermittedException}. */
  public <T> Supplier<T> decorateSupplier(Supplier<T> supplier) {
    Objects.requireNonNull(supplier, "supplier");
    return () -> {
      permitOrThrow();
      return supplier.get();
    };
  }

  /** A callable that takes one permit before each call, or throws {@link RequestNotPermittedException}. */
  public <T> Callable<T> decorateCallable(Callable<T> callable) {
    Objects.requireNonNull(callable, "callable");
    return () -> {
      permitOrThrow();
      return callable.call();
    };
  }

  /** A runnable that takes one permit before each run, or throws {@link RequestNotPermittedException}. */
  public Runnable decorateRunnable(Runnable runnable) {
    Objects.requireNonNull(runnable, "runnable");
    return () -> {
      permitOrThrow();
      runnable.run();
    };
  }

  private void permitOrThrow() {
    long retry = tryAcquireNanos(1);
    if (retry > 0) {
      throw new RequestNotPermittedException(name, Duration.ofNanos(retry));
    }
  }

  /**
   * This limiter as a resilience4j {@link io.github.resilience4j.ratelimiter.RateLimiter}, so it composes
   * with resilience4j's decorators; {@code timeout} is how long {@code acquirePermission} may wait.
   * Its limits cannot be changed through resilience4j ({@code changeLimitForPeriod} throws).
   */
  public io.github.resilience4j.ratelimiter.RateLimiter asResilience4j(Duration timeout) {
    Objects.requireNonNull(timeout, "timeout");
    if (timeout.isNegative()) {
      throw new IllegalArgumentException("timeout must not be negative, got " + timeout);
    }
    return new Resilience4jRateLimiter(this, timeout);
  }

  /** Reserves permits due within waitNanos; -1 if none, else the nanoseconds to wait. Counts and publishes. */
  long reserve(long permits, long waitNanos) {
    gcra.checkWeight(permits);
    long now = ticker.read();
    long wait = gcra.acquire(state, permits, now, Math.min(waitNanos, Duration.ofDays(365).toNanos()));
    if (wait < 0) {
      instruments.rejected(null, permits, gcra.nanosUntil(state, permits, now));
    } else {
      instruments.permitted();
    }
    return wait;
  }

  Sleeper sleeper() {
    return sleeper;
  }

  @Override
  public String toString() {
    return "RateLimiter[" + name + ", " + gcra.limits() + "]";
  }

  /** Builds a {@link RateLimiter}; not thread-safe. */
  public static final class Builder {
    private final String name;
    private final List<RateLimit> limits = new ArrayList<>();
    private Ticker ticker = Ticker.system();
    private Clock clock = Clock.systemUTC();
    private Sleeper sleeper = Sleeper.system();

    private Builder(String name) {
      if (name == null || name.isBlank()) {
        throw new IllegalArgumentException("name must not be blank, got '" + name + "'");
      }
      this.name = name;
    }

    /** Adds a limit; every added limit must admit a request. */
    public Builder limit(RateLimit limit) {
      limits.add(Objects.requireNonNull(limit, "limit"));
      return this;
    }

    /** Adds several limits. */
    public Builder limits(List<RateLimit> limits) {
      Objects.requireNonNull(limits, "limits").forEach(this::limit);
      return this;
    }

    /** The nanosecond source; default {@link Ticker#system()}. */
    public Builder ticker(Ticker ticker) {
      this.ticker = Objects.requireNonNull(ticker, "ticker");
      return this;
    }

    /** The clock that stamps events; default {@link Clock#systemUTC()}. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** How the bounded-wait call waits; default {@link Sleeper#system()}. */
    public Builder sleeper(Sleeper sleeper) {
      this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
      return this;
    }

    /**
     * Builds the limiter.
     *
     * @throws IllegalArgumentException when no limit was added
     */
    public RateLimiter build() {
      if (limits.isEmpty()) {
        throw new IllegalArgumentException("limits must hold at least one limit for rate limiter '" + name + "'");
      }
      return new RateLimiter(this);
    }
  }
}
