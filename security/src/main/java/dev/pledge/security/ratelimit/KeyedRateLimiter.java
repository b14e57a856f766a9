package dev.pledge.security.ratelimit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.pledge.core.event.EventListener;
import dev.pledge.core.time.Ticker;
import dev.pledge.security.ratelimit.internal.Gcra;
import dev.pledge.security.ratelimit.internal.Instruments;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A rate limiter with one independent state per key (per API client, per IP, per account), each
 * enforcing the same {@link RateLimit}s (P13).
 *
 * <p>The key table is a Caffeine cache bounded in size ({@link Builder#maximumKeys}) and idle time.
 * A key is forgotten after it has been idle long enough to be full again (the longest burst window of
 * the limits, plus a one-minute grace), which changes no decision: a new state is full too. Lookups take no lock on the table
 * (no {@code compute()} per call; the mapping function runs only for a key not yet present). When the
 * table is full, Caffeine evicts the least valuable keys even if they are not full yet, which gives
 * those keys a fresh burst: size the table above the number of keys active within one burst window.
 *
 * <p>Thread-safe and lock-free per decision. A decision on a key held in the table reads the ticker
 * once (the table keeps access times from a copy of that reading, refreshed once per millisecond),
 * looks the key up without a lock, takes its permits by compare-and-set and counts without an atomic
 * operation; it allocates nothing. Each key costs one {@code long[]} (16 bytes of header plus 8 bytes
 * per limit) beyond Caffeine's own entry.
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
public final class KeyedRateLimiter<K> {
  /**
   * Added to the idle time after which a key is forgotten. Caffeine records access times from ticker
   * readings taken at the start of a lookup, so a thread that read the ticker and was then descheduled
   * can move a key's access time back; the grace keeps such a key from being forgotten before it is full.
   */
  static final Duration IDLE_GRACE = Duration.ofMinutes(1);

  /**
   * How far the table's clock may lag the ticker. The table (Caffeine) reads its own clock on every
   * lookup to record access times; giving it a copy of the decision's ticker reading, refreshed once
   * per step, saves a second ticker reading per decision. Expiry may then come up to one step early,
   * far within {@link #IDLE_GRACE}.
   */
  static final long TABLE_CLOCK_STEP_NANOS = 1_000_000;

  private static final VarHandle TABLE_NOW;

  static {
    try {
      TABLE_NOW = MethodHandles.lookup().findVarHandle(KeyedRateLimiter.class, "tableNow", long.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final String name;
  private final Gcra gcra;
  private final Ticker ticker;
  private final Cache<K, long[]> states;
  private final Instruments instruments;
  private final long fullBurst;
  private volatile long tableNow;

  private KeyedRateLimiter(Builder<K> b) {
    this.name = b.name;
    this.gcra = new Gcra(b.limits);
    this.ticker = b.ticker;
    this.instruments = new Instruments(name, b.clock);
    this.fullBurst = gcra.maxWeight();
    this.tableNow = b.ticker.read();
    // no recordStats (a counter per lookup); maintenance on the caller's thread, amortised by Caffeine's
    // read buffer, so no task is handed to another pool per batch of lookups
    this.states = Caffeine.newBuilder()
        .maximumSize(b.maximumKeys)
        .expireAfterAccess(Duration.ofNanos(gcra.maxToleranceNanos()).plus(IDLE_GRACE))
        .ticker(this::tableClock)
        .executor(Runnable::run)
        .build();
  }

  private long tableClock() {
    return tableNow;
  }

  /** Moves the table's clock to {@code now} when it lags by a step or more: one write per step, not per call. */
  private void advanceTableClock(long now) {
    long t = tableNow;
    if (now - t >= TABLE_CLOCK_STEP_NANOS) {
      // a racing thread with an older reading cannot move the clock back: it expects the value it read
      TABLE_NOW.compareAndSet(this, t, now);
    }
  }

  /** A builder for a keyed limiter named {@code name}. */
  public static <K> Builder<K> builder(String name) {
    return new Builder<>(name);
  }

  /** The limiter's name. */
  public String name() {
    return name;
  }

  /** The limits every key gets. */
  public List<RateLimit> limits() {
    return gcra.limits();
  }

  /** The key's state; a lookup without a lock, and a creation (allocating) only for a key not held. */
  private long[] state(K key, long now) {
    advanceTableClock(now);
    long[] s = states.getIfPresent(key);
    return s != null ? s : states.get(key, k -> gcra.newState(now));
  }

  /**
   * Takes one permit for {@code key} if it has one now. Never blocks; allocates nothing for a key held
   * in the table; one ticker reading, one table lookup and one compare-and-set per limit.
   */
  public boolean tryAcquire(K key) {
    Objects.requireNonNull(key, "key");
    long now = ticker.read();
    long[] s = state(key, now);
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
  public RateLimitDecision decide(K key, long permits) {
    Objects.requireNonNull(key, "key");
    gcra.checkWeight(permits);
    long now = ticker.read();
    long[] s = state(key, now);
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
    long now = ticker.read();
    advanceTableClock(now);
    long[] s = states.getIfPresent(key);
    return s == null ? fullBurst : gcra.remaining(s, now);
  }

  /** Forgets {@code key}: its next request finds a full burst. */
  public void reset(K key) {
    states.invalidate(Objects.requireNonNull(key, "key"));
  }

  /** Counters since creation and the number of keys held. */
  public RateLimiterMetrics metrics() {
    advanceTableClock(ticker.read());
    states.cleanUp();
    return new RateLimiterMetrics(instruments.permittedCount(), instruments.rejectedCount(), states.estimatedSize());
  }

  /**
   * Registers a listener for rejections (the event names the key). Listener failures are isolated.
   *
   * @return a handle whose {@code close()} removes the listener
   */
  public AutoCloseable onRejected(EventListener<? super RateLimitRejected> listener) {
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

    /** The nanosecond source, also used for the table's idle expiry; default {@link Ticker#system()}. */
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
