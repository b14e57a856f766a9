package dev.pledge.security.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pledge.core.testing.Requirements;
import dev.pledge.core.time.MutableClock;
import dev.pledge.security.ratelimit.LoginThrottle;
import dev.pledge.security.ratelimit.RedisFailureMode;
import dev.pledge.security.store.StoreUnavailableException;
import java.io.IOException;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A private redis-server (same binary as the machine's, on a free port) stopped mid-test: the login
 * throttle decides by its failure mode within the timeout and says so once, the replay guard refuses
 * to accept a code it cannot record, and both use Redis again once it is back.
 */
class RedisOutageTest {
  private Process server;
  private int port;

  private void start() throws Exception {
    Path binary = Requirements.requireCommand("redis-server", "apt-get install redis-server");
    server = new ProcessBuilder(binary.toString(), "--port", Integer.toString(port), "--bind", "127.0.0.1", "--save", "",
        "--appendonly", "no").redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (true) {
      try (Socket s = new Socket("127.0.0.1", port)) {
        return;
      } catch (IOException e) {
        if (System.nanoTime() > deadline || !server.isAlive()) {
          throw new IllegalStateException("redis-server did not start on port " + port);
        }
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
      }
    }
  }

  private void stop() throws Exception {
    server.destroy();
    if (!server.waitFor(10, TimeUnit.SECONDS)) {
      server.destroyForcibly().waitFor();
    }
  }

  @AfterEach
  void stopServer() throws Exception {
    if (server != null && server.isAlive()) {
      stop();
    }
  }

  @Test
  void theThrottleFallsBackWithinTheTimeoutSaysSoOnceAndRecovers() throws Exception {
    port = Requirements.freePort();
    start();
    String uri = "redis://127.0.0.1:" + port;
    MutableClock clock = MutableClock.at(Instant.parse("2026-11-21T10:00:00Z"));
    try (RedisLoginFailureStore closedStore = RedisLoginFailureStore.builder(uri).timeout(Duration.ofMillis(200)).build();
         RedisLoginFailureStore localStore = RedisLoginFailureStore.builder(uri).timeout(Duration.ofMillis(200)).build();
         RedisReplayGuard guard = RedisReplayGuard.builder(uri).timeout(Duration.ofMillis(200)).build()) {
      LoginThrottle closed = LoginThrottle.builder().maxFailures(3).freeFailures(0).clock(clock).store(closedStore)
          .failureMode(RedisFailureMode.FAIL_CLOSED).build();
      LoginThrottle local = LoginThrottle.builder().maxFailures(3).freeFailures(0).store(localStore)
          .failureMode(RedisFailureMode.LOCAL).build();
      List<LoginThrottle.LoginStoreFallback> fallbacks = new CopyOnWriteArrayList<>();
      List<LoginThrottle.LoginStoreRecovered> recoveries = new CopyOnWriteArrayList<>();
      closed.onStoreFallback(fallbacks::add);
      closed.onStoreRecovered(recoveries::add);
      closed.recordFailure("alice", "192.0.2.1");
      assertThat(local.check("alice", "192.0.2.9").accountFailures()).as("both nodes see Redis's count").isEqualTo(1);
      assertThat(guard.tryUse("alice", 100)).isTrue();

      stop();

      long started = System.nanoTime();
      LoginThrottle.LoginDecision d = closed.check("bob", "192.0.2.2");
      long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
      assertThat(d.allowed()).as("fail closed: no login is verified while the counts are out of reach").isFalse();
      // not a speed test (this machine is shared and loaded): the bound only tells "refused at once" from
      // waiting on Lettuce's 60 s default command timeout
      assertThat(tookMillis).as("decided at once (a disconnected client refuses commands), not after Lettuce's"
          + " 60 s default").isLessThan(30_000);
      closed.recordFailure("bob", "192.0.2.2");
      assertThat(fallbacks).as("one event for the outage").singleElement().satisfies(f -> {
        assertThat(f.failureMode()).isEqualTo(RedisFailureMode.FAIL_CLOSED);
        assertThat(f.cause()).contains("127.0.0.1:" + port);
        assertThat(f.occurredAt()).isEqualTo(clock.instant());
      });
      for (int i = 0; i < 3; i++) {
        local.recordFailure("carol", "192.0.2.3");
      }
      assertThat(local.check("carol", "192.0.2.4").allowed()).as("LOCAL: this node's own tables still lock out")
          .isFalse();
      assertThatThrownBy(() -> guard.tryUse("alice", 101)).as("a code is never accepted unrecorded")
          .isInstanceOf(StoreUnavailableException.class).hasMessageContaining("127.0.0.1:" + port);
      assertThatThrownBy(() -> closed.reset("alice")).as("an unlock that cannot reach Redis says so")
          .isInstanceOf(StoreUnavailableException.class);

      clock.advance(Duration.ofSeconds(30));
      start();
      // the client reconnects in the background; a real server's reconnect is the wait here, polled gently
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (recoveries.isEmpty() && System.nanoTime() < deadline) {
        closed.check("dave", "192.0.2.5");
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
      }
      assertThat(recoveries).as("one event when Redis answers again").singleElement()
          .satisfies(r -> assertThat(r.unavailableFor()).isEqualTo(Duration.ofSeconds(30)));
      assertThat(closed.check("erin", "192.0.2.6").allowed()).as("Redis decides again").isTrue();
      closed.recordFailure("erin", "192.0.2.6");
      assertThat(closed.check("erin", "192.0.2.7").accountFailures())
          .as("a Redis without persistence restarts empty: counts start again (enable AOF to keep them)").isEqualTo(1);
      long guardDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      Boolean used = null;
      while (used == null && System.nanoTime() < guardDeadline) {
        try {
          used = guard.tryUse("alice", 102);
        } catch (StoreUnavailableException stillReconnecting) {
          LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
      }
      assertThat(used).as("the guard records codes again").isTrue();
      assertThat(guard.tryUse("alice", 102)).isFalse();
    }
  }
}
