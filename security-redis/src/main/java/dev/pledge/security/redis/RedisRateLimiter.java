package dev.pledge.security.redis;

import dev.pledge.core.PledgeException;
import dev.pledge.core.event.EventListener;
import dev.pledge.core.event.EventPublisher;
import dev.pledge.core.event.PledgeEvent;
import dev.pledge.security.ratelimit.KeyedLimiter;
import dev.pledge.security.ratelimit.KeyedRateLimiter;
import dev.pledge.security.ratelimit.RateLimit;
import dev.pledge.security.ratelimit.RateLimitDecision;
import dev.pledge.security.ratelimit.RateLimitRejected;
import dev.pledge.security.ratelimit.RateLimiterMetrics;
import dev.pledge.security.ratelimit.RedisFailureMode;
import dev.pledge.security.ratelimit.internal.Instruments;
import dev.pledge.security.ratelimit.internal.Tally;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The same limits enforced across every application node through Redis (P13): one atomic round trip
 * per decision, a GCRA Lua script loaded once and called by SHA ({@code EVALSHA}, reloaded on
 * {@code NOSCRIPT}), on Redis's own clock ({@code TIME}) so application clock skew does not matter,
 * with keys that expire once full again.
 *
 * <p>Redis keeps time in microseconds, so intervals here are rounded up to the microsecond (never
 * granting more than the limit). When Redis does not answer within {@link Builder#timeout} (default
 * 50 ms) or is disconnected, the decision follows the {@link RedisFailureMode}; while disconnected,
 * commands are refused at once (no queueing), and the client reconnects in the background, so
 * decisions return to Redis by themselves when it is back. The switch each way is published once
 * ({@link #onFallback}, {@link #onRecovered}); rejections are published as by the local limiters
 * ({@link #onRejected}), and {@link #metrics()} counts without allocating per decision.
 *
 * <p>A decision that timed out: the failure mode decided it, and the caller acts on that answer. The
 * script may still have run on Redis (the request was on its way when the client stopped waiting), so
 * the permits may have been taken there as well: a timeout can only cost permits, never grant more
 * than the limit. A request that timed out before it was sent is cancelled and never sent later (not
 * even after a reconnect).
 *
 * <p>Redis Cluster: one decision's keys (one per limit) carry the caller's key as a hash tag,
 * {@code <prefix><name>:{<key>}:<i>}, so they share a slot and different keys spread over the cluster.
 *
 * <p>Thread-safe: one shared connection, pipelined by Lettuce. Close it to release the connection.
 * The Redis address may hold a password; it never reaches a log line or a message.
 */
public final class RedisRateLimiter implements KeyedLimiter<String>, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RedisRateLimiter.class);
  private static final String SCRIPT = loadScript();

  private final String name;
  private final String prefix;
  private final List<RateLimit> limits;
  private final String[] limitArgs;
  private final long timeoutNanos;
  private final long connectTimeoutNanos;
  private final RedisFailureMode failureMode;
  private final KeyedRateLimiter<String> local;
  private final RedisClient client;
  private final StatefulRedisConnection<String, String> connection;
  private final Instruments instruments;
  private final Tally fallbacks = new Tally();
  private final Clock clock;
  private final EventPublisher<RedisFallback> fallbackEvents = EventPublisher.create();
  private final EventPublisher<RedisRecovered> recoveryEvents = EventPublisher.create();
  private final AtomicLong fallbacksAtOutage = new AtomicLong();
  /** The clock's instant Redis was found unavailable, or null while it answers. */
  private final AtomicReference<Instant> downSince = new AtomicReference<>();
  private volatile String sha;

  /**
   * Published when Redis first fails to decide in time (after answering before): from now on the
   * failure mode decides, until {@link RedisRecovered}. Not published for each failed decision.
   *
   * @param limiter the limiter's name
   * @param failureMode what decides meanwhile
   * @param cause the kind of failure (an exception's simple class name, such as {@code RedisCommandTimeoutException})
   * @param occurredAt when, by the limiter's clock
   */
  public record RedisFallback(String limiter, RedisFailureMode failureMode, String cause, Instant occurredAt)
      implements PledgeEvent {
    /** Validates the event. */
    public RedisFallback {
      Objects.requireNonNull(limiter, "limiter");
      Objects.requireNonNull(failureMode, "failureMode");
      Objects.requireNonNull(cause, "cause");
      Objects.requireNonNull(occurredAt, "occurredAt");
    }
  }

  /**
   * Published when Redis decides again after a {@link RedisFallback}.
   *
   * @param limiter the limiter's name
   * @param unavailableFor how long the failure mode decided, by the limiter's clock
   * @param fallbackDecisions how many decisions the failure mode made meanwhile
   * @param occurredAt when, by the limiter's clock
   */
  public record RedisRecovered(String limiter, Duration unavailableFor, long fallbackDecisions, Instant occurredAt)
      implements PledgeEvent {
    /** Validates the event. */
    public RedisRecovered {
      Objects.requireNonNull(limiter, "limiter");
      Objects.requireNonNull(unavailableFor, "unavailableFor");
      Objects.requireNonNull(occurredAt, "occurredAt");
    }
  }

  /**
   * A snapshot of a Redis limiter's counters since it was created; counting allocates nothing per
   * decision, only the snapshot is allocated.
   *
   * @param permitted requests granted (by Redis or the failure mode)
   * @param rejected requests rejected (by Redis or the failure mode)
   * @param fallbackDecisions decisions the failure mode made because Redis did not answer in time
   * @param redisAvailable whether Redis answered the latest decision
   */
  public record Metrics(long permitted, long rejected, long fallbackDecisions, boolean redisAvailable) {}

  private final Builder settings;

  private RedisRateLimiter(Builder b) {
    this.settings = new Builder(b);
    this.name = b.name;
    this.prefix = b.keyPrefix + b.name + ":";
    this.limits = List.copyOf(b.limits);
    this.limitArgs = new String[limits.size() * 2];
    for (int i = 0; i < limits.size(); i++) {
      RateLimit l = limits.get(i);
      long intervalMicros = (l.emissionIntervalNanos() + 999) / 1000;
      limitArgs[2 * i] = Long.toString(intervalMicros);
      limitArgs[2 * i + 1] = Long.toString(intervalMicros * l.burst());
    }
    this.timeoutNanos = b.timeout.toNanos();
    this.connectTimeoutNanos = b.connectTimeout.toNanos();
    this.clock = b.clock;
    this.instruments = new Instruments(name, b.clock);
    this.failureMode = b.failureMode;
    this.local = failureMode == RedisFailureMode.LOCAL
        ? KeyedRateLimiter.<String>builder(name).limits(limits).build() : null;
    this.client = RedisClient.create(b.uri);
    client.setOptions(ClientOptions.builder()
        .autoReconnect(true)
        .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
        .socketOptions(SocketOptions.builder().connectTimeout(b.connectTimeout).build())
        .build());
    try {
      this.connection = client.connect();
    } catch (RuntimeException e) {
      client.shutdown();
      throw new PledgeException("rate limiter '" + name + "': cannot connect to Redis at "
          + b.uri.getHost() + ":" + b.uri.getPort() + " (" + e.getClass().getSimpleName() + ")");
    }
    try {
      // load the script and run it once now (on a key of its own), so connection set-up, script loading and
      // the client's first-call costs never count against a decision's timeout; if this fails, the first
      // decision loads the script
      long deadline = System.nanoTime() + b.connectTimeout.toNanos();
      String[] warmArgs = new String[limitArgs.length + 1];
      warmArgs[0] = "1";
      System.arraycopy(limitArgs, 0, warmArgs, 1, limitArgs.length);
      String[] warmKeys = new String[limits.size()];
      for (int i = 0; i < warmKeys.length; i++) {
        warmKeys[i] = prefix + "{\u0000warm-up}:" + i;
      }
      load(connection.async(), deadline);
      evaluate(warmKeys, warmArgs, deadline);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException | RuntimeException e) {
      LOG.debug("rate limiter '{}': script not loaded yet ({})", name, e.getClass().getSimpleName());
    }
  }

  /**
   * A builder for the limiter {@code name}, against the Redis at {@code uri} (e.g.
   * {@code redis://localhost:6379}).
   */
  public static Builder builder(String name, String uri) {
    return new Builder(name, uri);
  }

  @Override
  public String name() {
    return name;
  }

  /** The limits, in order. */
  @Override
  public List<RateLimit> limits() {
    return limits;
  }

  /** Takes one permit for {@code key} if every limit admits it, across all nodes. */
  @Override
  public boolean tryAcquire(String key) {
    return decide(key, 1).allowed();
  }

  /**
   * Takes {@code permits} for {@code key} if every limit admits them, across all nodes, in one round
   * trip; within the timeout, or else as the failure mode says.
   *
   * @throws IllegalArgumentException when {@code permits} is below 1 or above a limit's burst
   */
  @Override
  public RateLimitDecision decide(String key, long permits) {
    Objects.requireNonNull(key, "key");
    for (RateLimit l : limits) {
      if (permits < 1) {
        throw new IllegalArgumentException("permits must be at least 1, got " + permits);
      }
      if (permits > l.burst()) {
        throw new IllegalArgumentException("permits " + permits + " exceed the burst of limit " + l
            + " and can never be granted");
      }
    }
    String[] keys = keys(key);
    String[] args = new String[limitArgs.length + 1];
    args[0] = permits == 1 ? "1" : Long.toString(permits);
    System.arraycopy(limitArgs, 0, args, 1, limitArgs.length);
    long deadline = System.nanoTime() + timeoutNanos;
    RateLimitDecision d;
    try {
      List<Object> r = evaluate(keys, args, deadline);
      d = new RateLimitDecision(((Long) r.get(0)) == 1L, (Long) r.get(1),
          Duration.ofNanos((Long) r.get(2) * 1000), Duration.ofNanos((Long) r.get(3) * 1000));
      if (downSince.get() != null) {
        recovered();
      }
    } catch (TimeoutException | ExecutionException | RuntimeException e) {
      d = fallback(key, permits, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      d = fallback(key, permits, e);
    }
    if (d.allowed()) {
      instruments.permitted();
    } else {
      instruments.countRejected();
      if (instruments.listening()) {
        instruments.publishRejected(key, permits, d.retryAfter().toNanos());
      }
    }
    return d;
  }

  /**
   * Counters since creation, in the snapshot every keyed limiter gives; {@code keys} is 0 because Redis,
   * not this process, holds them.
   */
  @Override
  public RateLimiterMetrics metrics() {
    return new RateLimiterMetrics(instruments.permittedCount(), instruments.rejectedCount(), 0);
  }

  /**
   * Forgets {@code key} on Redis for every node (an administrator's reset): its next request finds a
   * full burst.
   *
   * @throws dev.pledge.security.store.StoreUnavailableException when Redis does not answer within the connect timeout
   */
  @Override
  public void reset(String key) {
    Objects.requireNonNull(key, "key");
    String[] keys = keys(key);
    try {
      await(connection.async().del(keys), System.nanoTime() + connectTimeoutNanos);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new dev.pledge.security.store.StoreUnavailableException("rate limiter '" + name + "': reset interrupted", e);
    } catch (ExecutionException | TimeoutException | RuntimeException e) {
      throw new dev.pledge.security.store.StoreUnavailableException("rate limiter '" + name
          + "': Redis did not reset the key (" + e.getClass().getSimpleName() + ")", e);
    }
    if (local != null) {
      local.reset(key);
    }
  }

  /**
   * The Redis keys of {@code key}, one per limit; they differ only after a hash tag made from the key,
   * so one decision's keys share a Redis Cluster slot, and different keys spread over the slots.
   */
  String[] keys(String key) {
    String tagged = ClusterKeys.tag(key);
    if (limits.size() == 1) {
      return new String[] {prefix + tagged + ":0"};
    }
    String[] keys = new String[limits.size()];
    for (int i = 0; i < keys.length; i++) {
      keys[i] = prefix + tagged + ":" + i;
    }
    return keys;
  }

  /** Counters since creation, the fallback decisions, and whether Redis answered the latest decision. */
  public Metrics redisMetrics() {
    return new Metrics(instruments.permittedCount(), instruments.rejectedCount(), fallbacks.sum(),
        downSince.get() == null);
  }

  /**
   * Registers a listener for rejections (by Redis or by the failure mode; the event names the key).
   *
   * @return a handle whose {@code close()} removes the listener
   */
  @Override
  public dev.pledge.core.event.Subscription onRejected(EventListener<? super RateLimitRejected> listener) {
    return instruments.onRejected(listener);
  }

  /**
   * Registers a listener told once when Redis stops answering in time and the failure mode takes over.
   *
   * @return a handle whose {@code close()} removes the listener
   */
  public dev.pledge.core.event.Subscription onFallback(EventListener<? super RedisFallback> listener) {
    return fallbackEvents.subscribe(listener);
  }

  /**
   * Registers a listener told once when Redis decides again after a fallback.
   *
   * @return a handle whose {@code close()} removes the listener
   */
  public dev.pledge.core.event.Subscription onRecovered(EventListener<? super RedisRecovered> listener) {
    return recoveryEvents.subscribe(listener);
  }

  private void recovered() {
    Instant since = downSince.getAndSet(null);
    if (since != null) {
      Instant now = clock.instant();
      long during = fallbacks.sum() - fallbacksAtOutage.get();
      LOG.info("rate limiter '{}': Redis decides again after {}", name, Duration.between(since, now));
      if (recoveryEvents.hasListeners()) {
        recoveryEvents.publish(new RedisRecovered(name, Duration.between(since, now), during, now));
      }
    }
  }

  private List<Object> evaluate(String[] keys, String[] args, long deadline)
      throws InterruptedException, ExecutionException, TimeoutException {
    RedisAsyncCommands<String, String> redis = connection.async();
    String s = sha;
    if (s == null) {
      s = load(redis, deadline);
    }
    try {
      return this.<List<Object>>await(redis.evalsha(s, ScriptOutputType.MULTI, keys, args), deadline);
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof RedisNoScriptException)) {
        throw e;
      }
      // Redis restarted or its script cache was flushed: load once more and retry within the same deadline
      s = load(redis, deadline);
      return this.<List<Object>>await(redis.evalsha(s, ScriptOutputType.MULTI, keys, args), deadline);
    }
  }

  private String load(RedisAsyncCommands<String, String> redis, long deadline)
      throws InterruptedException, ExecutionException, TimeoutException {
    String s = await(redis.scriptLoad(SCRIPT), deadline);
    sha = s;
    return s;
  }

  private <T> T await(RedisFuture<T> future, long deadline)
      throws InterruptedException, ExecutionException, TimeoutException {
    long left = deadline - System.nanoTime();
    try {
      return future.get(Math.max(left, 0), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      // not sent yet (queued behind a reconnect): never send it; already sent: Redis may still run it
      future.cancel(false);
      throw e;
    }
  }

  private RateLimitDecision fallback(String key, long permits, Exception cause) {
    fallbacks.increment();
    if (downSince.get() == null) {
      Instant now = clock.instant();
      if (downSince.compareAndSet(null, now)) {
        fallbacksAtOutage.set(fallbacks.sum() - 1);
        LOG.warn("rate limiter '{}': Redis unavailable ({}), deciding {} until it answers again", name,
            cause.getClass().getSimpleName(), failureMode);
        if (fallbackEvents.hasListeners()) {
          fallbackEvents.publish(new RedisFallback(name, failureMode, cause.getClass().getSimpleName(), now));
        }
      }
    }
    switch (failureMode) {
      case FAIL_OPEN:
        return new RateLimitDecision(true, 0, Duration.ZERO, Duration.ZERO);
      case FAIL_CLOSED:
        return new RateLimitDecision(false, 0, Duration.ofNanos(timeoutNanos), Duration.ZERO);
      default:
        return local.decide(key, permits);
    }
  }

  /** How many decisions Redis failed to make in time (and the failure mode made instead). */
  public long redisFailures() {
    return fallbacks.sum();
  }

  /** Closes the connection and the client. */
  @Override
  public void close() {
    connection.close();
    client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
  }

  @Override
  public String toString() {
    return "RedisRateLimiter[" + name + ", " + limits + ", " + failureMode + "]";
  }

  private static String loadScript() {
    try (InputStream in = RedisRateLimiter.class.getResourceAsStream("gcra.lua")) {
      if (in == null) {
        throw new IllegalStateException("gcra.lua is missing from the pledge-security-redis jar");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * A builder holding every setting of this limiter (name, address, limits, timeouts, failure mode,
   * key prefix, clock), to change one; {@code build()} opens a new connection.
   */
  public Builder toBuilder() {
    return new Builder(settings);
  }

  /** Builds a {@link RedisRateLimiter}; not thread-safe. */
  public static final class Builder {
    private final String name;
    private final RedisURI uri;
    private final List<RateLimit> limits = new ArrayList<>();
    private Duration timeout = Duration.ofMillis(50);
    private Duration connectTimeout = Duration.ofSeconds(2);
    private RedisFailureMode failureMode = RedisFailureMode.FAIL_CLOSED;
    private String keyPrefix = "pledge:rl:";
    private Clock clock = Clock.systemUTC();

    private Builder(String name, String uri) {
      if (name == null || name.isBlank()) {
        throw new IllegalArgumentException("name must not be blank, got '" + name + "'");
      }
      this.name = name;
      try {
        this.uri = RedisURI.create(Objects.requireNonNull(uri, "uri"));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("uri is not a Redis address (redis://host:port)");
      }
    }

    /** Adds a limit; every limit must admit a request. */
    public Builder limit(RateLimit limit) {
      limits.add(Objects.requireNonNull(limit, "limit"));
      return this;
    }

    /** Adds several limits. */
    public Builder limits(List<RateLimit> limits) {
      Objects.requireNonNull(limits, "limits").forEach(this::limit);
      return this;
    }

    /** How long a decision waits for Redis before the failure mode decides; greater than zero; default 50 ms. */
    public Builder timeout(Duration timeout) {
      if (timeout == null || timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("timeout must be greater than zero, got " + timeout);
      }
      this.timeout = timeout;
      return this;
    }

    /** How long connecting may take when the limiter is built; greater than zero; default 2 s. */
    public Builder connectTimeout(Duration connectTimeout) {
      if (connectTimeout == null || connectTimeout.isNegative() || connectTimeout.isZero()) {
        throw new IllegalArgumentException("connectTimeout must be greater than zero, got " + connectTimeout);
      }
      this.connectTimeout = connectTimeout;
      return this;
    }

    /** What to decide when Redis is slow or down; default {@link RedisFailureMode#FAIL_CLOSED}. */
    public Builder failureMode(RedisFailureMode failureMode) {
      this.failureMode = Objects.requireNonNull(failureMode, "failureMode");
      return this;
    }

    /** The clock that stamps events; default {@link Clock#systemUTC()}. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** The prefix of every Redis key; default {@code pledge:rl:}. */
    public Builder keyPrefix(String keyPrefix) {
      this.keyPrefix = Objects.requireNonNull(keyPrefix, "keyPrefix");
      return this;
    }

    /**
     * Connects and builds the limiter.
     *
     * @throws IllegalArgumentException when no limit was added or an interval exceeds Redis's exact range
     * @throws PledgeException when Redis cannot be reached at all
     */
    public RedisRateLimiter build() {
      if (limits.isEmpty()) {
        throw new IllegalArgumentException("limits must hold at least one limit for rate limiter '" + name + "'");
      }
      for (RateLimit l : limits) {
        if (l.toleranceNanos() / 1000 > (1L << 52) - 1_000_000_000_000_000L) {
          throw new IllegalArgumentException("burst window of limit " + l + " is too long for Redis's exact arithmetic");
        }
      }
      return new RedisRateLimiter(this);
    }

    /** A copy of {@code other}'s settings, for {@code toBuilder()}. */
    private Builder(Builder other) {
      this.name = other.name;
      this.uri = other.uri;
      this.limits.addAll(other.limits);
      this.timeout = other.timeout;
      this.connectTimeout = other.connectTimeout;
      this.failureMode = other.failureMode;
      this.keyPrefix = other.keyPrefix;
      this.clock = other.clock;
    }
  }
}
