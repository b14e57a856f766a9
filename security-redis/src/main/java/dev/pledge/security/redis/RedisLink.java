package dev.pledge.security.redis;

import dev.pledge.security.store.StoreUnavailableException;
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
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One connection to Redis for one component, connected when built (connection set-up and script
 * loading happen here, never inside a decision's timeout), with scripts called by SHA and reloaded on
 * {@code NOSCRIPT}. While disconnected, commands fail at once and the client reconnects in the
 * background. Thread-safe (Lettuce pipelines the one connection). Messages name host and port, never
 * a password.
 */
final class RedisLink implements AutoCloseable {
  private final String component;
  private final String where;
  private final RedisClient client;
  private final StatefulRedisConnection<String, String> connection;

  /** A script: its text, and its SHA once loaded. */
  static final class Script {
    private final String text;
    private volatile String sha;

    Script(String resource) {
      try (InputStream in = RedisLink.class.getResourceAsStream(resource)) {
        if (in == null) {
          throw new IllegalStateException(resource + " is missing from the pledge-security-redis jar");
        }
        this.text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  RedisLink(String component, String address, Duration connectTimeout) {
    this.component = component;
    RedisURI uri = parse(address);
    this.where = uri.getHost() + ":" + uri.getPort();
    this.client = RedisClient.create(uri);
    client.setOptions(ClientOptions.builder()
        .autoReconnect(true)
        .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
        .socketOptions(SocketOptions.builder().connectTimeout(connectTimeout).build())
        .build());
    try {
      this.connection = client.connect();
    } catch (RuntimeException e) {
      client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
      throw new StoreUnavailableException(component + ": cannot connect to Redis at " + where + " ("
          + e.getClass().getSimpleName() + ")");
    }
  }

  static RedisURI parse(String address) {
    try {
      return RedisURI.create(java.util.Objects.requireNonNull(address, "address"));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("not a Redis address (redis://host:port[/db])");
    }
  }

  /** Host and port, for messages. */
  String where() {
    return where;
  }

  /** Loads {@code script} now and runs it once with {@code keys}/{@code args}, so the first real call is one warm round trip. */
  void warm(Script script, String[] keys, String[] args, Duration timeout) {
    eval(script, keys, args, System.nanoTime() + timeout.toNanos());
  }

  /**
   * Runs {@code script} and answers its reply, by {@code deadline} (a {@link System#nanoTime()} reading).
   *
   * @throws StoreUnavailableException when Redis does not answer by the deadline or is disconnected
   */
  @SuppressWarnings("unchecked")
  <T> T eval(Script script, String[] keys, String[] args, long deadline) {
    RedisAsyncCommands<String, String> redis = connection.async();
    try {
      String sha = script.sha;
      if (sha == null) {
        sha = load(redis, script, deadline);
      }
      try {
        return (T) await(redis.evalsha(sha, ScriptOutputType.MULTI, keys, args), deadline);
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof RedisNoScriptException)) {
          throw e;
        }
        // Redis restarted or its script cache was flushed: load once more within the same deadline
        sha = load(redis, script, deadline);
        return (T) await(redis.evalsha(sha, ScriptOutputType.MULTI, keys, args), deadline);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw unavailable(e);
    } catch (ExecutionException | TimeoutException | RuntimeException e) {
      throw unavailable(e);
    }
  }

  /** Runs a plain command future to its answer by {@code deadline}. */
  <T> T await(RedisFuture<T> future, long deadline) throws InterruptedException, ExecutionException, TimeoutException {
    long left = deadline - System.nanoTime();
    try {
      return future.get(Math.max(left, 0), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      // Not sent yet (queued behind a reconnect): cancelled, so it is never sent later. Already sent:
      // Redis may still run it; each store documents what that means for its callers.
      future.cancel(false);
      throw e;
    }
  }

  RedisAsyncCommands<String, String> async() {
    return connection.async();
  }

  private String load(RedisAsyncCommands<String, String> redis, Script script, long deadline)
      throws InterruptedException, ExecutionException, TimeoutException {
    String sha = await(redis.scriptLoad(script.text), deadline);
    script.sha = sha;
    return sha;
  }

  StoreUnavailableException unavailable(Exception e) {
    Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
    String kind = cause instanceof TimeoutException ? "no answer within the timeout" : cause.getClass().getSimpleName();
    return new StoreUnavailableException(component + ": Redis at " + where + " unavailable (" + kind + ")", cause);
  }

  @Override
  public void close() {
    connection.close();
    client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
  }
}
