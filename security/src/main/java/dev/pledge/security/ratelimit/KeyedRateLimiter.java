package dev.pledge.security.ratelimit;

import dev.pledge.core.event.EventListener;
import dev.pledge.core.time.Ticker;
import dev.pledge.security.ratelimit.internal.Gcra;
import dev.pledge.security.ratelimit.internal.Instruments;
import dev.pledge.security.ratelimit.internal.KeyTable;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A rate limiter with one independent state per key (per API client, per IP, per account), each
 * enforcing the same {@link RateLimit}s (P13).
 *
 * <p>The key table is bounded ({@link Builder#maximumKeys}, default 1,000,000) and cannot be flooded
 * open: a key is forgotten only once it is full again and has been for {@link #IDLE_GRACE} (which
 * changes no decision: a new state is full too), never while it is depleted. When the table is full
 * of keys in use, a new key is rejected (its retry time is when the table is next swept) rather than
 * any key's state being dropped, so no flood of new keys refills a depleted one. Size the table above
 * the number of keys active within one burst window plus the grace.
 *
 * <p>Memory: each key costs one {@code long[]} (16 bytes of header plus 8 bytes per limit), one
 * {@code ConcurrentHashMap} node (32 bytes) and its share of the bucket array (4 to 8 bytes), about
 * 64 bytes for one limit, plus the key itself; at most {@code maximumKeys} keys are held.
 *
 * <p>Thread-safe and lock-free per decision. A decision on a key held in the table reads the ticker
 * once, looks the key up without a lock, takes its permits by compare-and-set and counts without an
 * atomic operation; it allocates nothing. Full keys are dropped by a sweep of the table that runs
 * when it is full (at most once a second when sweeps free little) and when {@link #metrics()} is taken.
 *
 * <pre>{@code
 * KeyedRateLimiter<String> perClient = KeyedRateLimiter.<String>builder("api")
 *     .limit(RateLimit.of(20, Duration.ofSeconds(1)))
 *     .maximumKeys(1_000_000)
 *     .build();
 * boolean ok = perClient.tryAcquire(clientId);
 * }</pre>
 *
 * @param <K> the key type; keys must have value-based {@code equals} and {@code hashCode}
 */
public final class KeyedRateLimiter<K> implements KeyedLimiter<K> {
  /**
   * How long a key stays in the table after it is full again. A thread that read a key's state and
   * was then descheduled may still take from it; the grace keeps such a state from being dropped (and
   * a second, full one made) under it.
   */
  static final Duration IDLE_GRACE = Duration.ofMinutes(1);

  /** The least time between two sweeps of a full table that free little. */
  static final long SWEEP_INTERVAL_NANOS = 1_000_000_000L;

  private final String name;
  private final Gcra gcra;
  private final Ticker ticker;
  private final KeyTable<K, long[]> states;
  private final Instruments instruments;
  private final long fullBurst;
  private final Clock clock;
  private final long maximumKeys;

  private KeyedRateLimiter(Builder<K> b) {
    this.name = b.name;
    this.clock = b.clock;
    this.maximumKeys = b.maximumKeys;
    this.gcra = new Gcra(b.limits);
    this.ticker = b.ticker;
    this.instruments = new Instruments(name, b.clock);
    this.fullBurst = gcra.maxWeight();
    long grace = IDLE_GRACE.toNanos();
    this.states = new KeyTable<>(b.maximumKeys, (s, now) -> gcra.nanosUntilFull(s, now - grace) == 0,
        SWEEP_INTERVAL_NANOS);
  }

  /** A builder for a keyed limiter named {@code name}. */
  public static <K> Builder<K> builder(String name) {
    return new Builder<>(name);
  }

  /**
   * The keyed limiter for the limit named {@code name} in the {@code rateLimits} section (P13), with
   * the system ticker and clock, in this process (use {@link RateLimitsPolicy#sharedLimiter} for one
   * shared through the section's {@code store}).
   *
   * @param <K> the key type
   * @param section the {@code rateLimits} section
   * @param name the limit's name in the section
   * @return the limiter
   * @throws IllegalArgumentException when the section has no limit of that name
   */
  public static <K> KeyedRateLimiter<K> from(RateLimitsPolicy section, String name) {
    return KeyedRateLimiter.<K>builder(section, name).build();
  }

  /**
   * A builder pre-filled with the limit named {@code name} in the {@code rateLimits} section, to
   * change one thing (a ticker, a clock, the key table's size) before {@link Builder#build()}.
   *
   * @param <K> the key type
   * @param section the {@code rateLimits} section
   * @param name the limit's name in the section
   * @return the builder
   * @throws IllegalArgumentException when the section has no limit of that name
   */
  public static <K> Builder<K> builder(RateLimitsPolicy section, String name) {
    return KeyedRateLimiter.<K>builder(name).limits(section.limit(name));
  }

  /**
   * A builder holding this limiter's name, limits, ticker, clock and table size, for a new limiter
   * (with an empty table) that differs in one of them.
   *
   * @return the builder
   */
  public Builder<K> toBuilder() {
    return KeyedRateLimiter.<K>builder(name).limits(gcra.limits()).ticker(ticker).clock(clock).maximumKeys(maximumKeys);
  }

  /** The limiter's name. */
  @Override
  public String name() {
    return name;
  }

  /** The limits every key gets. */
  @Override
  public List<RateLimit> limits() {
    return gcra.limits();
  }

  /** The key's state; a lookup without a lock, a creation (allocating) only for a key not held; null when the table is full. */
  private long[] state(K key, long now) {
    long[] s = states.get(key);
    return s != null ? s : states.getOrCreate(key, now, gcra::newState);
  }

  /** Rejects a key that found no room in the table; the retry time is when the table is next swept. */
  private long refusedNanos(K key, long permits, long now) {
    long retry = Math.max(1, states.nanosUntilSweep(now));
    instruments.countRejected();
    if (instruments.listening()) {
      instruments.publishRejected(key, permits, retry);
    }
    return retry;
  }

  /**
   * Takes one permit for {@code key} if it has one now. Never blocks; allocates nothing for a key held
   * in the table; one ticker reading, one table lookup and one compare-and-set per limit.
   */
  @Override
  public boolean tryAcquire(K key) {
    Objects.requireNonNull(key, "key");
    long now = ticker.read();
    long[] s = state(key, now);
    if (s == null) {
      refusedNanos(key, 1, now);
      return false;
    }
    if (gcra.tryAcquireOne(s, now)) {
      instruments.permitted();
      return true;
    }
    return rejected(key, s, 1, now);
  }

  /**
   * Takes {@code permits} permits for {@code key} if every limit has them now. Never blocks.
   *
   * @throws IllegalArgumentException when {@code permits} is below 1 or above a limit's burst
   */
  @Override
  public boolean tryAcquire(K key, long permits) {
    return tryAcquireNanos(key, permits) == 0;
  }

  /**
   * Takes {@code permits} permits for {@code key} if every limit has them now, answering with a
   * primitive so an HTTP layer can set {@code Retry-After} without the allocation of
   * {@link #decide(Object, long)}. Never blocks; allocates nothing for a key held in the table unless a
   * rejection listener is registered.
   *
   * @return 0 when granted; otherwise the nanoseconds (at least 1) until the same request would be granted
   * @throws IllegalArgumentException when {@code permits} is below 1 or above a limit's burst
   */
  public long tryAcquireNanos(K key, long permits) {
    Objects.requireNonNull(key, "key");
    gcra.checkWeight(permits);
    long now = ticker.read();
    long[] s = state(key, now);
    if (s == null) {
      return refusedNanos(key, permits, now);
    }
    if (gcra.acquire(s, permits, now, 0) >= 0) {
      instruments.permitted();
      return 0;
    }
    long retry = Math.max(1, gcra.nanosUntil(s, permits, now));
    instruments.countRejected();
    if (instruments.listening()) {
      instruments.publishRejected(key, permits, retry);
    }
    return retry;
  }

  private boolean rejected(K key, long[] s, long permits, long now) {
    instruments.countRejected();
    if (instruments.listening()) {
      instruments.publishRejected(key, permits, Math.max(1, gcra.nanosUntil(s, permits, now)));
    }
    return false;
  }

  /** Like {@link #tryAcquire(Object, long)}, with remaining permits and retry/reset times. Allocates the decision. */
  @Override
  public RateLimitDecision decide(K key, long permits) {
    Objects.requireNonNull(key, "key");
    gcra.checkWeight(permits);
    long now = ticker.read();
    long[] s = state(key, now);
    if (s == null) {
      return new RateLimitDecision(false, 0, Duration.ofNanos(refusedNanos(key, permits, now)), Duration.ZERO);
    }
    boolean allowed = gcra.acquire(s, permits, now, 0) >= 0;
    long retry = gcra.nanosUntil(s, allowed ? 1 : permits, now);
    if (allowed) {
      instruments.permitted();
    } else {
      instruments.rejected(key, permits, retry);
    }
    return new RateLimitDecision(allowed, gcra.remaining(s, now), Duration.ofNanos(retry),
        Duration.ofNanos(gcra.nanosUntilFull(s, now)));
  }

  /** Permits available at once now for {@code key} (a key never seen has a full burst). Takes nothing. */
  public long availablePermits(K key) {
    Objects.requireNonNull(key, "key");
    long[] s = states.get(key);
    return s == null ? fullBurst : gcra.remaining(s, ticker.read());
  }

  /** Forgets {@code key}: its next request finds a full burst. */
  @Override
  public void reset(K key) {
    states.remove(Objects.requireNonNull(key, "key"));
  }

  /**
   * Counters since creation and the number of keys held, after dropping the keys full for the grace
   * (a walk of the table: a snapshot for monitoring, not for every request).
   */
  @Override
  public RateLimiterMetrics metrics() {
    states.sweepNow(ticker.read());
    return new RateLimiterMetrics(instruments.permittedCount(), instruments.rejectedCount(), states.size());
  }

  /** New keys rejected so far because the table was full of keys in use. */
  public long refusedForFullTable() {
    return states.refused();
  }

  /**
   * Registers a listener for rejections (the event names the key). Listener failures are isolated.
   *
   * @return a handle whose {@code close()} removes the listener
   */
  @Override
  public dev.pledge.core.event.Subscription onRejected(EventListener<? super RateLimitRejected> listener) {
    return instruments.onRejected(listener);
  }

  @Override
  public String toString() {
    return "KeyedRateLimiter[" + name + ", " + gcra.limits() + "]";
  }

  /**
   * Builds a {@link KeyedRateLimiter}; not thread-safe.
   *
   * @param <K> the key type
   */
  public static final class Builder<K> {
    private final String name;
    private final List<RateLimit> limits = new ArrayList<>();
    private Ticker ticker = Ticker.system();
    private Clock clock = Clock.systemUTC();
    private long maximumKeys = 1_000_000;

    private Builder(String name) {
      if (name == null || name.isBlank()) {
        throw new IllegalArgumentException("name must not be blank, got '" + name + "'");
      }
      this.name = name;
    }

    /** Adds a limit applied to every key. */
    public Builder<K> limit(RateLimit limit) {
      limits.add(Objects.requireNonNull(limit, "limit"));
      return this;
    }

    /** Adds several limits. */
    public Builder<K> limits(List<RateLimit> limits) {
      Objects.requireNonNull(limits, "limits").forEach(this::limit);
      return this;
    }

    /** The most keys held at once; at least 1; default 1,000,000. */
    public Builder<K> maximumKeys(long maximumKeys) {
      if (maximumKeys < 1) {
        throw new IllegalArgumentException("maximumKeys must be at least 1, got " + maximumKeys);
      }
      this.maximumKeys = maximumKeys;
      return this;
    }

    /** The nanosecond source, also used to tell when a key is full again; default {@link Ticker#system()}. */
    public Builder<K> ticker(Ticker ticker) {
      this.ticker = Objects.requireNonNull(ticker, "ticker");
      return this;
    }

    /** The clock that stamps events; default {@link Clock#systemUTC()}. */
    public Builder<K> clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Builds the limiter.
     *
     * @throws IllegalArgumentException when no limit was added
     */
    public KeyedRateLimiter<K> build() {
      if (limits.isEmpty()) {
        throw new IllegalArgumentException("limits must hold at least one limit for rate limiter '" + name + "'");
      }
      return new KeyedRateLimiter<>(this);
    }
  }
}
