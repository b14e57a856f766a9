package dev.pledge.security.redis;

import dev.pledge.security.ratelimit.LoginFailureStore;
import dev.pledge.security.store.StoreUnavailableException;
import java.time.Duration;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Login failures counted in Redis, shared by every node and kept across restarts (P13): each call is
 * one Lua script (one round trip) that reads or updates the account's and the source's counts
 * together, on Redis's clock ({@code TIME}), so nodes' clocks need not agree. Counts expire
 * {@code forgetAfter} after the latest failure ({@code PEXPIRE}), so Redis forgets what the throttle
 * would.
 *
 * <p>Connected when built: the connection and the script are set up then, and one warm-up call made,
 * so a node's first logins are decided within the timeout like any other. A call that Redis does not
 * answer within {@link Builder#timeout} (default 100 ms), or while disconnected, throws
 * {@link StoreUnavailableException} at once and the {@link dev.pledge.security.ratelimit.LoginThrottle}
 * applies its failure mode; the client reconnects in the background.
 *
 * <p>Keys: {@code <prefix>a:<account>} and {@code <prefix>s:<source>}, hashes of the count and the
 * last failure's time, and {@code <prefix>r:<request>} for a minute after each failure (below). The
 * prefix carries a Redis Cluster hash tag (default {@code {pledge:login}:}; a prefix without one is
 * wrapped in braces), so the account's and the source's keys of one call, used in one script, share a
 * slot: with Redis Cluster one store's keys live on one shard. Thread-safe; close it to release the
 * connection.
 *
 * <p>Calls that time out: the throttle applies its failure mode, and the call may still have run on
 * Redis (it was on its way when the client stopped waiting). What that means:
 * <ul>
 *   <li>a failure may have been counted in Redis as well as by the failure mode's local tables: it
 *       was a real failure, so it counts, but never twice in Redis: each failure carries a request id
 *       that the script records ({@code SET NX}, kept a minute), so a request the client sends again
 *       (Lettuce re-sends unanswered commands after a reconnect) is not counted again;</li>
 *   <li>a success or an administrator's reset may have cleared the counts: clearing is idempotent, so
 *       repeat a reset that reported the store unavailable;</li>
 *   <li>a read changes nothing.</li>
 * </ul>
 * A request that timed out before it was sent is cancelled and never sent later.
 */
public final class RedisLoginFailureStore implements LoginFailureStore {
  private static final RedisLink.Script SCRIPT = new RedisLink.Script("login.lua");
  /** How long a failure's request id is remembered, in milliseconds: far beyond any timeout and reconnect. */
  private static final String REQUEST_MILLIS = "60000";
  private final RedisLink link;
  private final String prefix;
  private final long timeoutNanos;
  /** Request ids: this store's random tag and a counter, unique across nodes and restarts. */
  private final String requestTag;
  private final AtomicLong requests = new AtomicLong();

  private final Builder settings;

  private RedisLoginFailureStore(Builder b) {
    this.settings = new Builder(b);
    this.prefix = ClusterKeys.taggedPrefix(b.keyPrefix, "keyPrefix");
    byte[] random = new byte[12];
    new SecureRandom().nextBytes(random);
    this.requestTag = HexFormat.of().formatHex(random) + ":";
    this.timeoutNanos = b.timeout.toNanos();
    this.link = new RedisLink("login throttle store", b.address, b.connectTimeout);
    try {
      link.warm(SCRIPT, new String[] {prefix + "a:\u0000warm-up", prefix + "s:\u0000warm-up"},
          new String[] {"read", "0"}, b.connectTimeout);
    } catch (StoreUnavailableException e) {
      link.close();
      throw e;
    }
  }

  /** A builder for the store at {@code address} ({@code redis://[:password@]host:port[/db]}). */
  public static Builder builder(String address) {
    return new Builder(address);
  }

  @Override
  public Counts recordFailure(String account, String source, Duration forgetAfter) {
    return recordFailure(account, source, forgetAfter, requestTag + requests.incrementAndGet());
  }

  /** {@link #recordFailure(String, String, Duration)} under a given request id: a repeated id counts once. */
  Counts recordFailure(String account, String source, Duration forgetAfter, String requestId) {
    long ms = Math.max(1, Math.min(forgetAfter.toMillis(), Long.MAX_VALUE / 2));
    Objects.requireNonNull(account, "account");
    Objects.requireNonNull(source, "source");
    List<Long> r = link.eval(SCRIPT, new String[] {prefix + "a:" + account, prefix + "s:" + source, prefix + "r:" + requestId},
        new String[] {"fail", Long.toString(ms), REQUEST_MILLIS}, System.nanoTime() + timeoutNanos);
    return counts(r);
  }

  /** The keys one call of the script uses for {@code account} and {@code source}, in order (a request key follows for failures). */
  String[] keys(String account, String source) {
    return new String[] {prefix + "a:" + account, prefix + "s:" + source};
  }

  @Override
  public Counts read(String account, String source) {
    return call(account, source, "read", "0");
  }

  @Override
  public Counts clear(String account, String source) {
    return call(account, source, "clear", "0");
  }

  @Override
  public int clearAccount(String account) {
    List<Long> r = link.eval(SCRIPT, new String[] {prefix + "a:" + Objects.requireNonNull(account, "account")},
        new String[] {"clear1", "0"}, System.nanoTime() + timeoutNanos);
    return r.get(0).intValue();
  }

  @Override
  public int clearSource(String source) {
    List<Long> r = link.eval(SCRIPT, new String[] {prefix + "s:" + Objects.requireNonNull(source, "source")},
        new String[] {"clear1", "0"}, System.nanoTime() + timeoutNanos);
    return r.get(0).intValue();
  }

  private Counts call(String account, String source, String op, String arg) {
    Objects.requireNonNull(account, "account");
    Objects.requireNonNull(source, "source");
    List<Long> r = link.eval(SCRIPT, keys(account, source), new String[] {op, arg}, System.nanoTime() + timeoutNanos);
    return counts(r);
  }

  private static Counts counts(List<Long> r) {
    return new Counts(r.get(0).intValue(), Duration.ofNanos(r.get(1) * 1000), r.get(2).intValue(),
        Duration.ofNanos(r.get(3) * 1000));
  }

  @Override
  public void close() {
    link.close();
  }

  @Override
  public String toString() {
    return "RedisLoginFailureStore[" + link.where() + "]";
  }

  /**
   * A builder holding every setting of this store (address, timeouts, key prefix), to change one;
   * {@code build()} opens a new connection.
   */
  public Builder toBuilder() {
    return new Builder(settings);
  }

  /** Builds a {@link RedisLoginFailureStore}; not thread-safe. */
  public static final class Builder {
    private final String address;
    private Duration timeout = Duration.ofMillis(100);
    private Duration connectTimeout = Duration.ofSeconds(2);
    private String keyPrefix = "{pledge:login}:";

    private Builder(String address) {
      RedisLink.parse(address);
      this.address = address;
    }

    /** How long a call waits for Redis before it throws; greater than zero; default 100 ms. */
    public Builder timeout(Duration timeout) {
      this.timeout = positive("timeout", timeout);
      return this;
    }

    /** How long connecting may take when the store is built; greater than zero; default 2 s. */
    public Builder connectTimeout(Duration connectTimeout) {
      this.connectTimeout = positive("connectTimeout", connectTimeout);
      return this;
    }

    /**
     * The prefix of every key; default {@code {pledge:login}:}. It must decide the Redis Cluster slot
     * of every key of the store, so a prefix without a hash tag ({@code {...}}) is wrapped in braces:
     * {@code app:login:} gives keys {@code {app:login:}a:<account>}.
     *
     * @throws IllegalArgumentException when it is empty or starts with {@code }}
     */
    public Builder keyPrefix(String keyPrefix) {
      ClusterKeys.taggedPrefix(Objects.requireNonNull(keyPrefix, "keyPrefix"), "keyPrefix");
      this.keyPrefix = keyPrefix;
      return this;
    }

    private static Duration positive(String field, Duration d) {
      if (d == null || d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(field + " must be greater than zero, got " + d);
      }
      return d;
    }

    /**
     * Connects, loads the script and builds the store.
     *
     * @throws StoreUnavailableException when Redis cannot be reached
     */
    public RedisLoginFailureStore build() {
      return new RedisLoginFailureStore(this);
    }

    /** A copy of {@code other}'s settings, for {@code toBuilder()}. */
    private Builder(Builder other) {
      this.address = other.address;
      this.timeout = other.timeout;
      this.connectTimeout = other.connectTimeout;
      this.keyPrefix = other.keyPrefix;
    }
  }
}
