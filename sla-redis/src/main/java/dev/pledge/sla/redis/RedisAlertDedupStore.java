package dev.pledge.sla.redis;

import dev.pledge.core.PledgeException;
import dev.pledge.sla.notify.AlertDedupStore;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * Alert de-duplication shared by every node through Redis (P4). A claim is {@code SET key
 * "sending:<token>" NX PX lease}; a successful send overwrites it with {@code "delivered:<token>"}
 * for the window ({@code SET ... PX window}); a failed send deletes it only if the claim is still
 * its own (a compare-and-delete script), so a repeat on any node is sent. Keys:
 * {@code <prefix><destination and alert key>}.
 *
 * <p>Connected when built. Each call waits at most {@link Builder#timeout} (default 200 ms) and
 * throws {@link PledgeException} otherwise; the notifier then de-duplicates on its own node and
 * publishes {@link AlertDedupStore.Fallback}. While disconnected, calls fail at once and the client
 * reconnects in the background. Thread-safe; close it to release the connection. Messages name host
 * and port, never a password.
 */
public final class RedisAlertDedupStore implements AlertDedupStore, AutoCloseable {
  private static final String RELEASE = "if redis.call('GET', KEYS[1]) == ARGV[1] then "
      + "return redis.call('DEL', KEYS[1]) end return 0";
  private static final String SENDING = "sending:";
  private static final String DELIVERED = "delivered:";

  private final RedisClient client;
  private final StatefulRedisConnection<String, String> connection;
  private final String prefix;
  private final long timeoutNanos;
  private final String where;

  private final Builder settings;

  private RedisAlertDedupStore(Builder b) {
    this.settings = new Builder(b);
    this.prefix = b.keyPrefix;
    this.timeoutNanos = b.timeout.toNanos();
    this.where = b.uri.getHost() + ":" + b.uri.getPort();
    this.client = RedisClient.create(b.uri);
    client.setOptions(ClientOptions.builder().autoReconnect(true)
        .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
        .socketOptions(SocketOptions.builder().connectTimeout(b.connectTimeout).build()).build());
    try {
      this.connection = client.connect();
    } catch (RuntimeException e) {
      client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
      throw new PledgeException("alert de-duplication: cannot connect to Redis at " + where + " ("
          + e.getClass().getSimpleName() + ")");
    }
  }

  /** A builder for the store at {@code address} ({@code redis://[:password@]host:port[/db]}). */
  public static Builder builder(String address) {
    return new Builder(address);
  }

  @Override
  public Claim claim(String key, String token, Duration lease) {
    String k = prefix + Objects.requireNonNull(key, "key");
    String set = await(connection.async().set(k, SENDING + token, SetArgs.Builder.nx().px(Math.max(1, lease.toMillis()))));
    if ("OK".equals(set)) {
      return Claim.SEND;
    }
    String held = await(connection.async().get(k));
    if (held == null) {
      return Claim.IN_FLIGHT; // released or expired just now: the caller asks again
    }
    return held.startsWith(DELIVERED) ? Claim.DELIVERED : Claim.IN_FLIGHT;
  }

  @Override
  public void delivered(String key, String token, Duration window) {
    await(connection.async().set(prefix + key, DELIVERED + token, SetArgs.Builder.px(Math.max(1, window.toMillis()))));
  }

  @Override
  public void release(String key, String token) {
    RedisFuture<Long> f = connection.async().eval(RELEASE, ScriptOutputType.INTEGER, new String[] {prefix + key},
        SENDING + token);
    await(f);
  }

  private <T> T await(RedisFuture<T> f) {
    try {
      return f.get(timeoutNanos, TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PledgeException("alert de-duplication: interrupted waiting for Redis at " + where);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new PledgeException("alert de-duplication: Redis at " + where + " did not answer within "
          + Duration.ofNanos(timeoutNanos).toMillis() + " ms");
    } catch (java.util.concurrent.ExecutionException e) {
      throw new PledgeException("alert de-duplication: Redis at " + where + " unavailable ("
          + e.getCause().getClass().getSimpleName() + ")");
    }
  }

  @Override
  public void close() {
    connection.close();
    client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
  }

  @Override
  public String toString() {
    return "RedisAlertDedupStore[" + where + "]";
  }

  /**
   * A builder holding every setting of this store (address, timeouts, key prefix), to change one;
   * {@code build()} opens a new connection.
   */
  public Builder toBuilder() {
    return new Builder(settings);
  }

  /** Builds a {@link RedisAlertDedupStore}; not thread-safe. */
  public static final class Builder {
    private final RedisURI uri;
    private Duration timeout = Duration.ofMillis(200);
    private Duration connectTimeout = Duration.ofSeconds(2);
    private String keyPrefix = "pledge:alert:";

    private Builder(String address) {
      try {
        this.uri = RedisURI.create(Objects.requireNonNull(address, "address"));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("not a Redis address (redis://host:port[/db])");
      }
    }

    /** How long a call waits for Redis; greater than zero; default 200 ms. */
    public Builder timeout(Duration timeout) {
      if (timeout == null || timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("timeout must be greater than zero, got " + timeout);
      }
      this.timeout = timeout;
      return this;
    }

    /** How long connecting may take when the store is built; default 2 s. */
    public Builder connectTimeout(Duration connectTimeout) {
      if (connectTimeout == null || connectTimeout.isNegative() || connectTimeout.isZero()) {
        throw new IllegalArgumentException("connectTimeout must be greater than zero, got " + connectTimeout);
      }
      this.connectTimeout = connectTimeout;
      return this;
    }

    /** The prefix of every key; default {@code pledge:alert:}. */
    public Builder keyPrefix(String keyPrefix) {
      this.keyPrefix = Objects.requireNonNull(keyPrefix, "keyPrefix");
      return this;
    }

    /**
     * Connects and builds the store.
     *
     * @throws PledgeException when Redis cannot be reached
     */
    public RedisAlertDedupStore build() {
      return new RedisAlertDedupStore(this);
    }

    /** A copy of {@code other}'s settings, for {@code toBuilder()}. */
    private Builder(Builder other) {
      this.uri = other.uri;
      this.timeout = other.timeout;
      this.connectTimeout = other.connectTimeout;
      this.keyPrefix = other.keyPrefix;
    }
  }
}
