package dev.pledge.sla.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.pledge.core.Secret;
import dev.pledge.core.notify.Alert;
import dev.pledge.core.notify.AlertSeverity;
import dev.pledge.core.testing.Requirements;
import dev.pledge.sla.notify.AlertDedupStore;
import dev.pledge.sla.notify.DeliveryPolicy;
import dev.pledge.sla.notify.SlackNotifier;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Two notifier nodes sharing de-duplication through Redis: one message for two nodes. */
class SharedDedupTest {
  private HttpServer slack;
  private final AtomicInteger posts = new AtomicInteger();
  private volatile int status = 200;
  private Process privateRedis;

  @BeforeEach
  void slackStandIn() throws IOException {
    slack = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    slack.createContext("/hook", ex -> {
      ex.getRequestBody().readAllBytes();
      posts.incrementAndGet();
      ex.sendResponseHeaders(status, -1);
      ex.close();
    });
    slack.start();
  }

  @AfterEach
  void stop() throws Exception {
    slack.stop(0);
    if (privateRedis != null) {
      privateRedis.destroy();
      privateRedis.waitFor(10, TimeUnit.SECONDS);
    }
  }

  private SlackNotifier node(AlertDedupStore store) {
    return SlackNotifier.builder()
        .webhook("#ops", Secret.ofUtf8("http://127.0.0.1:" + slack.getAddress().getPort() + "/hook"))
        .policy(DeliveryPolicy.builder().maxAttempts(1).dedupWindow(Duration.ofMinutes(10)).build())
        .sleeper(d -> { })
        .sharedDedup(store).build();
  }

  private static Alert alert(String title) {
    return Alert.of(Instant.parse("2026-11-21T02:02:00Z"), AlertSeverity.CRITICAL, title, "health check failing").to("#ops");
  }

  @Test
  void anAlertSentByOneNodeIsNotSentAgainByTheOtherAndAFailedSendSilencesNobody() {
    Requirements.requireRedis();
    String prefix = "pledge-test:" + UUID.randomUUID() + ":";
    try (RedisAlertDedupStore a = RedisAlertDedupStore.builder("redis://127.0.0.1:6379").keyPrefix(prefix).timeout(Duration.ofSeconds(2)).build();
         RedisAlertDedupStore b = RedisAlertDedupStore.builder("redis://127.0.0.1:6379").keyPrefix(prefix).timeout(Duration.ofSeconds(2)).build()) {
      SlackNotifier nodeA = node(a);
      SlackNotifier nodeB = node(b);
      nodeA.send(alert("shop is DOWN"));
      nodeB.send(alert("shop is DOWN"));
      assertThat(posts.get()).as("two nodes, one message").isEqualTo(1);
      assertThat(nodeB.suppressed()).isEqualTo(1);

      status = 400; // Slack refuses: the send fails
      assertThatThrownBy(() -> nodeA.send(alert("db is DOWN"))).hasMessageContaining("slack");
      status = 200;
      nodeB.send(alert("db is DOWN"));
      assertThat(posts.get()).as("only a successful send suppresses repeats, on any node").isEqualTo(3);
      nodeA.send(alert("db is DOWN"));
      assertThat(posts.get()).isEqualTo(3);
    }
  }

  @Test
  void whenRedisStopsEachNodeDeDuplicatesOnItsOwnAndSaysSo() throws Exception {
    Path binary = Requirements.requireCommand("redis-server", "apt-get install redis-server");
    int port = Requirements.freePort();
    privateRedis = new ProcessBuilder(binary.toString(), "--port", Integer.toString(port), "--bind", "127.0.0.1",
        "--save", "", "--appendonly", "no").redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (true) {
      try (Socket s = new Socket("127.0.0.1", port)) {
        break;
      } catch (IOException e) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("redis-server did not start on port " + port);
        }
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
      }
    }
    String uri = "redis://127.0.0.1:" + port;
    try (RedisAlertDedupStore a = RedisAlertDedupStore.builder(uri).build();
         RedisAlertDedupStore b = RedisAlertDedupStore.builder(uri).build()) {
      SlackNotifier nodeA = node(a);
      SlackNotifier nodeB = node(b);
      List<AlertDedupStore.Fallback> events = new CopyOnWriteArrayList<>();
      nodeA.onDedupFallback(events::add);
      nodeB.onDedupFallback(events::add);
      privateRedis.destroy();
      privateRedis.waitFor(10, TimeUnit.SECONDS);
      nodeA.send(alert("shop is DOWN"));
      nodeB.send(alert("shop is DOWN"));
      nodeA.send(alert("shop is DOWN"));
      assertThat(posts.get()).as("per node: each node sends once, neither loses the alert").isEqualTo(2);
      assertThat(events).as("one event per node").hasSize(2)
          .allSatisfy(e -> assertThat(e.cause()).contains("127.0.0.1:" + port));
    }
  }
}
