package dev.pledge.security.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pledge.core.testing.Requirements;
import dev.pledge.security.ratelimit.LoginFailureStore;
import dev.pledge.security.ratelimit.LoginThrottle;
import dev.pledge.security.ratelimit.RedisFailureMode;
import dev.pledge.security.store.StoreUnavailableException;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.io.IOException;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A call that times out on the client while Redis is busy, and runs on Redis afterwards: the throttle
 * decides by its failure mode at once, and the failure is counted in Redis exactly once (not lost, not
 * twice); a request sent again under the same id counts once; a replay-guard code that timed out is
 * never accepted, and its step may be recorded, so the same code is refused afterwards. A private
 * redis-server is made to hold every client's commands with {@code CLIENT PAUSE}.
 */
class RedisTimeoutTest {
  private Process server;

  @AfterEach
  void stop() throws Exception {
    if (server != null) {
      server.destroy();
      if (!server.waitFor(10, TimeUnit.SECONDS)) {
        server.destroyForcibly().waitFor();
      }
    }
  }

  private String start() throws Exception {
    Path binary = Requirements.requireCommand("redis-server", "apt-get install redis-server");
    int port = Requirements.freePort();
    server = new ProcessBuilder(binary.toString(), "--port", Integer.toString(port), "--bind", "127.0.0.1", "--save", "",
        "--appendonly", "no").redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (true) {
      try (Socket s = new Socket("127.0.0.1", port)) {
        return "redis://127.0.0.1:" + port;
      } catch (IOException e) {
        if (System.nanoTime() > deadline || !server.isAlive()) {
          throw new IllegalStateException("redis-server did not start on port " + port);
        }
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
      }
    }
  }

  @Test
  void aFailureThatTimedOutIsDecidedLocallyAndCountedInRedisOnce() throws Exception {
    String uri = start();
    try (RedisClient client = RedisClient.create(uri); StatefulRedisConnection<String, String> busy = client.connect();
         RedisLoginFailureStore store = RedisLoginFailureStore.builder(uri).timeout(Duration.ofMillis(100)).build();
         RedisLoginFailureStore reader = RedisLoginFailureStore.builder(uri).timeout(Duration.ofSeconds(10)).build();
         RedisReplayGuard guard = RedisReplayGuard.builder(uri).timeout(Duration.ofMillis(100)).build()) {
      LoginThrottle node = LoginThrottle.builder().maxFailures(3).freeFailures(0).store(store)
          .failureMode(RedisFailureMode.LOCAL).build();
      List<LoginThrottle.LoginStoreFallback> fallbacks = new CopyOnWriteArrayList<>();
      node.onStoreFallback(fallbacks::add);

      // Redis holds every other client's commands for 2 s from here: each call below is sent, runs late
      busy.sync().clientPause(2000);
      LoginThrottle.LoginDecision d = node.recordFailure("alice", "192.0.2.1");
      assertThat(fallbacks).as("the timeout is a fallback, and said so").hasSize(1);
      assertThat(d.accountFailures()).as("decided by this node's own tables").isEqualTo(1);
      assertThatThrownBy(() -> guard.tryUse("alice", 7)).as("a code is not accepted when its use is not confirmed")
          .isInstanceOf(StoreUnavailableException.class);
      // the pause ends; poll (each read waits for Redis) until the late failure has run
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      LoginFailureStore.Counts afterwards = reader.read("alice", "192.0.2.1");
      while (afterwards.accountFailures() == 0 && System.nanoTime() < deadline) {
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        afterwards = reader.read("alice", "192.0.2.1");
      }
      assertThat(afterwards.accountFailures()).as("the failure ran on Redis after the client gave up: counted once")
          .isEqualTo(1);
      assertThat(afterwards.sourceFailures()).isEqualTo(1);
      assertThat(guard.tryUse("alice", 7)).as("the step that timed out was recorded: the code stays refused").isFalse();
      assertThat(guard.tryUse("alice", 8)).as("the next code works").isTrue();

      assertThat(reader.recordFailure("bob", "192.0.2.2", Duration.ofMinutes(1), "node-a:1").accountFailures()).isEqualTo(1);
      assertThat(reader.recordFailure("bob", "192.0.2.2", Duration.ofMinutes(1), "node-a:1").accountFailures())
          .as("the same request sent again (a reconnect's re-send) counts once").isEqualTo(1);
      assertThat(reader.recordFailure("bob", "192.0.2.2", Duration.ofMinutes(1), "node-a:2").accountFailures()).isEqualTo(2);
      assertThat(reader.recordFailure("bob", "192.0.2.2", Duration.ofMinutes(1)).accountFailures())
          .as("ids the store makes are fresh").isEqualTo(3);
      assertThat(reader.recordFailure("bob", "192.0.2.2", Duration.ofMinutes(1)).accountFailures()).isEqualTo(4);
    }
  }
}
