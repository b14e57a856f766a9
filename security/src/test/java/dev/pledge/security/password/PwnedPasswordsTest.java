package dev.pledge.security.password;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.pledge.core.time.ManualTicker;
import dev.pledge.core.time.MutableClock;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Against a local HTTP server that serves the Pwned Passwords range format and checks the requests. */
class PwnedPasswordsTest {
  private static HttpServer server;
  private static final List<String> paths = new CopyOnWriteArrayList<>();
  private static final List<String> padding = new CopyOnWriteArrayList<>();
  private static final AtomicInteger status = new AtomicInteger(200);
  private static final java.util.concurrent.atomic.AtomicBoolean slow = new java.util.concurrent.atomic.AtomicBoolean();
  private static final CountDownLatch release = new CountDownLatch(1);
  private static URI base;

  private final MutableClock clock = MutableClock.at(Instant.parse("2026-11-01T00:00:00Z"));
  private final ManualTicker ticker = ManualTicker.create();

  @BeforeAll
  static void start() throws Exception {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setExecutor(Executors.newCachedThreadPool());
    server.createContext("/range/", ex -> {
      String path = ex.getRequestURI().getPath();
      paths.add(path);
      padding.add(String.valueOf(ex.getRequestHeaders().getFirst("Add-Padding")));
      if (slow.get()) {
        try {
          release.await(10, TimeUnit.SECONDS); // a slow service: the client's timeout must end the wait
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      String prefix = path.substring(path.lastIndexOf('/') + 1);
      String hex = sha1("P@ssw0rd");
      String body = prefix.equals(hex.substring(0, 5))
          ? "0018A45C4D1DEF81644B54AB7F969B88D65:1\r\n" + hex.substring(5) + ":52579\r\n" + "00D4F6E8FA6EECAD2A3AA415EEC418D38EC:0\r\n"
          : "0018A45C4D1DEF81644B54AB7F969B88D65:0\r\n";
      byte[] b = body.getBytes(StandardCharsets.UTF_8);
      ex.sendResponseHeaders(status.get(), status.get() == 200 ? b.length : -1);
      if (status.get() == 200) {
        try (OutputStream out = ex.getResponseBody()) {
          out.write(b);
        }
      }
      ex.close();
    });
    server.start();
    base = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
  }

  @AfterAll
  static void stop() {
    release.countDown();
    server.stop(0);
  }

  @BeforeEach
  void reset() {
    paths.clear();
    padding.clear();
    status.set(200);
    slow.set(false);
  }

  /**
   * A client whose timeout no answer of the local stand-in can reach, however loaded the machine: only
   * the slow-service test, which never answers, depends on a timeout firing.
   */
  private PwnedPasswords client() {
    return client(Duration.ofSeconds(60));
  }

  private PwnedPasswords client(Duration timeout) {
    return PwnedPasswords.builder().baseUrl(base).timeout(timeout).cacheTtl(Duration.ofMinutes(10))
        .clock(clock).ticker(ticker).circuitBreaker(2, Duration.ofSeconds(30)).build();
  }

  static String sha1(String s) {
    try {
      return HexFormat.of().withUpperCase().formatHex(MessageDigest.getInstance("SHA-1").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void sendsOnlyAFiveHexPrefixWithPaddingAndCountsTheMatch() {
    PwnedPasswords c = client();
    assertThat(c.timesSeen("P@ssw0rd")).isEqualTo(52579);
    assertThat(paths).containsExactly("/range/" + sha1("P@ssw0rd").substring(0, 5));
    assertThat(padding).containsExactly("true");
    assertThat(c.timesSeen("a long unbreached passphrase")).isZero();
  }

  @Test
  void rangesAreCachedUntilTheirTimeToLivePasses() {
    PwnedPasswords c = client();
    c.timesSeen("P@ssw0rd");
    c.timesSeen("P@ssw0rd");
    assertThat(paths).hasSize(1);
    ticker.advance(Duration.ofMinutes(11).toNanos());
    c.timesSeen("P@ssw0rd");
    assertThat(paths).hasSize(2);
  }

  @Test
  void failuresFailClosedOrOpenAndTheCircuitOpensThenRecovers() {
    PwnedPasswords c = client();
    status.set(503);
    PasswordValidator closed = PasswordValidator.create(PasswordRules.nist80063b()).withBreachChecker(c, false);
    PasswordValidator open = PasswordValidator.create(PasswordRules.nist80063b()).withBreachChecker(c, true);
    assertThat(closed.validate("purple giraffes dance slowly").has(ViolationCode.BREACH_CHECK_UNAVAILABLE)).isTrue();
    assertThat(open.validate("orange giraffes dance slowly").valid()).isTrue();
    assertThat(paths).hasSize(2);
    assertThat(c.circuitState()).isEqualTo("OPEN");
    // open: the service is not called at all
    assertThatThrownBy(() -> c.timesSeen("green giraffes dance slowly")).isInstanceOf(PasswordPolicyException.class)
        .hasMessageContaining("circuit breaker is open");
    assertThat(paths).hasSize(2);
    status.set(200);
    clock.advance(Duration.ofSeconds(31));
    assertThat(c.timesSeen("P@ssw0rd")).isEqualTo(52579);
    assertThat(c.circuitState()).isEqualTo("CLOSED");
  }

  @Test
  void aSlowServiceTimesOutWithAClearMessage() {
    PwnedPasswords c = client(Duration.ofMillis(500));
    slow.set(true); // the stand-in holds the answer until the suite ends: only the timeout ends the wait
    assertThatThrownBy(() -> c.timesSeen("purple giraffes dance slowly")).isInstanceOf(PasswordPolicyException.class)
        .hasMessageContaining("did not answer within 500 ms");
  }
}
