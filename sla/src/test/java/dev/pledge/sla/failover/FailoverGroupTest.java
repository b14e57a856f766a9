package dev.pledge.sla.failover;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.pledge.core.Percentage;
import dev.pledge.core.SiteId;
import dev.pledge.core.notify.AlertSeverity;
import dev.pledge.core.notify.Notifier;
import dev.pledge.core.notify.RecordingNotifier;
import dev.pledge.core.time.MutableClock;
import dev.pledge.sla.failover.FailoverGroup.Active;
import dev.pledge.sla.uptime.HealthCheck;
import dev.pledge.sla.uptime.ProbeSpec;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class FailoverGroupTest {
  private final MutableClock clock = MutableClock.at("2026-11-10T10:00:00Z");
  private final RecordingNotifier n = Notifier.recording();
  private final FailoverPolicy.Group config = new FailoverPolicy.Group("shop-web", URI.create("https://a.example.com"),
      URI.create("https://b.example.com"), Percentage.parse("50%"), 4, 4, Duration.ofSeconds(30));
  private final FailoverPolicy section = new FailoverPolicy(List.of(config));
  private final AtomicBoolean primaryBroken = new AtomicBoolean();
  private final AtomicBoolean primaryHealthy = new AtomicBoolean(true);

  private String serve(String endpoint) {
    if (endpoint.equals("primary") && primaryBroken.get()) {
      throw new IllegalStateException("connection reset");
    }
    return "served by " + endpoint;
  }

  private FailoverGroup<String> group() {
    return FailoverGroup.builder(section, "shop-web", "primary", "spare")
        .primaryHealth(() -> primaryHealthy.get() ? HealthCheck.Result.up("ok") : HealthCheck.Result.down("status 502"))
        .clock(clock).notifier(n).destination("ops").build();
  }

  @Test
  void theBreakerSwitchesToTheSpareAndATrialCallReturns() {
    FailoverGroup<String> g = group();
    assertThat(g.call(this::serve)).isEqualTo("served by primary");
    primaryBroken.set(true);
    // failures are served by the spare; the breaker opens at 50% of 4 calls
    for (int i = 0; i < 3; i++) {
      assertThat(g.call(this::serve)).isEqualTo("served by spare");
    }
    assertThat(g.active()).isEqualTo(Active.SPARE);
    assertThat(n.alerts()).singleElement().satisfies(a -> {
      assertThat(a.severity()).isEqualTo(AlertSeverity.HIGH);
      assertThat(a.title()).isEqualTo("shop-web: switched to the spare");
    });
    // while open, the primary is not tried
    primaryBroken.set(false);
    assertThat(g.call(this::serve)).isEqualTo("served by spare");
    clock.advance(Duration.ofSeconds(29));
    assertThat(g.call(this::serve)).isEqualTo("served by spare");
    clock.advance(Duration.ofSeconds(2));
    assertThat(g.call(this::serve)).isEqualTo("served by primary");
    assertThat(g.active()).isEqualTo(Active.PRIMARY);
    assertThat(g.history()).extracting(FailoverGroup.Switch::to).containsExactly(Active.SPARE, Active.PRIMARY);
    assertThat(n.alerts()).hasSize(2);
    assertThat(n.alerts().get(1).title()).isEqualTo("shop-web: back on the primary");
    assertThat(n.alerts()).extracting(a -> a.dedupKey())
        .as("the return is not a repeat of the switch, so de-duplication keeps it")
        .containsExactly("failover/shop-web/SPARE", "failover/shop-web/PRIMARY");
  }

  @Test
  void aFailedHealthCheckSwitchesWithoutWaitingForErrors() {
    FailoverGroup<String> g = group();
    primaryHealthy.set(false);
    assertThat(g.checkHealth()).isEqualTo(Active.SPARE);
    assertThat(g.call(this::serve)).isEqualTo("served by spare");
    assertThat(g.history().get(0).reason()).contains("health check failed (status 502)");
    primaryHealthy.set(true);
    assertThat(g.checkHealth()).isEqualTo(Active.PRIMARY);
    assertThat(g.call(this::serve)).isEqualTo("served by primary");
  }

  @Test
  void worksWithTheHttpProbeAgainstALocalServer() throws Exception {
    AtomicInteger status = new AtomicInteger(200);
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/health", ex -> {
      ex.sendResponseHeaders(status.get(), -1);
      ex.close();
    });
    server.start();
    try {
      ProbeSpec spec = new ProbeSpec(SiteId.of("shop"),
          URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/health"),
          Duration.ofSeconds(10), Duration.ofSeconds(2), 200, 1, 1);
      FailoverGroup<String> g = FailoverGroup.builder(section, "shop-web", "primary", "spare")
          .primaryHealth(HealthCheck.http(spec))
          .clock(clock).notifier(n).destination("ops").build();
      assertThat(g.checkHealth()).isEqualTo(Active.PRIMARY);
      status.set(503);
      assertThat(g.checkHealth()).isEqualTo(Active.SPARE);
      assertThat(g.history().get(0).reason()).contains("status 503, expected 200");
    } finally {
      server.stop(0);
    }
  }

  @Test
  void aGroupBindsFromTheSectionByNameWithItsOwnAddressesAsEndpoints() {
    FailoverGroup<URI> g = FailoverGroup.builder(section, "shop-web")
        .primaryHealth(() -> HealthCheck.Result.down("status 502")).clock(clock).notifier(n).destination("#ops").build();
    assertThat(g.call(URI::getHost)).isEqualTo("a.example.com");
    assertThat(g.checkHealth()).isEqualTo(Active.SPARE);
    assertThat(g.call(URI::getHost)).isEqualTo("b.example.com");
    assertThat(g.history()).singleElement().satisfies(s -> {
      assertThat(s.group()).isEqualTo("shop-web");
      assertThat(s.at()).isEqualTo(clock.instant());
    });
  }

  @Test
  void aGroupTheSectionDoesNotHaveIsRefusedWithTheNamesItHas() {
    assertThatThrownBy(() -> FailoverGroup.builder(section, "shop-db"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("failover has no group named 'shop-db'; its groups are [shop-web]");
    assertThatThrownBy(() -> FailoverGroup.builder(section, "shop-db", "primary", "spare"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'shop-db'");
  }

  @Test
  @SuppressWarnings("removal") // the positional forms stay until they are removed, and must keep working
  void theDeprecatedPositionalFormsStillBuildTheSameGroup() {
    FailoverGroup<String> fromGroup = FailoverGroup.builder(config, "primary", "spare")
        .primaryHealth(() -> HealthCheck.Result.up("ok")).clock(clock).notifier(n).destination("ops").build();
    FailoverGroup<String> created = FailoverGroup.create(config, "primary", "spare",
        () -> HealthCheck.Result.down("status 502"), clock, n, "ops");
    assertThat(fromGroup.call(this::serve)).isEqualTo("served by primary");
    assertThat(created.checkHealth()).isEqualTo(Active.SPARE);
    assertThat(created.call(this::serve)).isEqualTo("served by spare");
  }
}
