package dev.pledge.sla.uptime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.pledge.core.SiteId;
import dev.pledge.core.notify.AlertSeverity;
import dev.pledge.core.notify.Notifier;
import dev.pledge.core.notify.RecordingNotifier;
import dev.pledge.core.time.MutableClock;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class UptimeMonitorTest {
  private static final SiteId SHOP = SiteId.of("shop");
  private static HttpServer server;
  private static final AtomicInteger status = new AtomicInteger(200);
  private static final AtomicInteger hits = new AtomicInteger();

  @BeforeAll
  static void startServer() throws Exception {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/health", ex -> {
      hits.incrementAndGet();
      if (!ex.getRequestMethod().equals("GET")) {
        ex.sendResponseHeaders(405, -1);
      } else {
        ex.sendResponseHeaders(status.get(), -1);
      }
      ex.close();
    });
    server.start();
  }

  @AfterAll
  static void stopServer() {
    server.stop(0);
  }

  private ProbeSpec spec() {
    URI url = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/health");
    return new ProbeSpec(SHOP, url, Duration.ofMinutes(1), Duration.ofSeconds(2), 200, 3, 2);
  }

  @Test
  void goesDownAfterThreeFailuresAndUpAfterTwoSuccessesRecordingAndAlertingEachChange() {
    status.set(200);
    MutableClock clock = MutableClock.at("2026-11-10T10:00:00Z");
    UptimeStore store = UptimeStore.inMemory();
    RecordingNotifier n = Notifier.recording();
    UptimeMonitor m = UptimeMonitor.builder().clock(clock).store(store).notifier(n).destination("ops").build();
    ProbeSpec spec = spec();
    m.add(spec, HealthCheck.http(spec));
    int before = hits.get();

    assertThat(m.runDue()).isEmpty();                 // 10:00 up
    assertThat(m.runDue()).isEmpty();                 // not due again yet
    assertThat(hits.get() - before).isEqualTo(1);
    status.set(503);
    clock.advance(Duration.ofMinutes(1));
    assertThat(m.runDue()).isEmpty();                 // 10:01 first failure
    clock.advance(Duration.ofMinutes(1));
    assertThat(m.runDue()).isEmpty();                 // 10:02 second
    assertThat(m.state(SHOP)).isEqualTo(SiteState.UP);
    clock.advance(Duration.ofMinutes(1));
    List<StateChange> down = m.runDue();              // 10:03 third: down since 10:01
    assertThat(down).singleElement().satisfies(c -> {
      assertThat(c.to()).isEqualTo(SiteState.DOWN);
      assertThat(c.at()).isEqualTo(Instant.parse("2026-11-10T10:01:00Z"));
      assertThat(c.reason()).contains("3 consecutive failed checks").contains("status 503, expected 200");
    });
    assertThat(m.state(SHOP)).isEqualTo(SiteState.DOWN);
    status.set(200);
    clock.advance(Duration.ofMinutes(1));
    assertThat(m.runDue()).isEmpty();                 // 10:04 one success is not enough
    clock.advance(Duration.ofMinutes(1));
    assertThat(m.runDue()).singleElement().satisfies(c -> {
      assertThat(c.to()).isEqualTo(SiteState.UP);
      assertThat(c.at()).isEqualTo(Instant.parse("2026-11-10T10:04:00Z"));
    });

    assertThat(n.alerts()).extracting(a -> a.severity()).containsExactly(AlertSeverity.CRITICAL, AlertSeverity.INFO);
    assertThat(n.alerts().get(0).title()).isEqualTo("shop is DOWN");
    assertThat(n.alerts().get(0).destination()).isEqualTo("ops");
    // The recovery is a condition of its own: a notifier's de-duplication window must not swallow it.
    assertThat(n.alerts()).extracting(a -> a.dedupKey()).containsExactly("uptime/shop/DOWN", "uptime/shop/UP");
    assertThat(store.outages(SHOP, Instant.parse("2026-11-01T00:00:00Z"), Instant.parse("2026-12-01T00:00:00Z")))
        .containsExactly(Outage.of(Instant.parse("2026-11-10T10:01:00Z"), Instant.parse("2026-11-10T10:04:00Z")));
    // and the history makes the month's report
    MonthlyUptimeReport r = UptimeCalculator.builder().build().report(SHOP, YearMonth.of(2026, 11),
        store.outages(SHOP, Instant.parse("2026-11-01T00:00:00Z"), Instant.parse("2026-12-01T00:00:00Z")), List.of());
    assertThat(r.downtime()).isEqualTo(Duration.ofMinutes(3));
  }

  @Test
  void aSingleFailureDoesNotFlap() {
    status.set(200);
    MutableClock clock = MutableClock.at("2026-11-10T10:00:00Z");
    RecordingNotifier n = Notifier.recording();
    UptimeMonitor m = UptimeMonitor.builder().clock(clock).store(UptimeStore.inMemory()).notifier(n).destination("ops").build();
    ProbeSpec spec = spec();
    m.add(spec, HealthCheck.http(spec));
    for (int i = 0; i < 6; i++) {
      status.set(i % 3 == 2 ? 500 : 200);
      m.runDue();
      clock.advance(Duration.ofMinutes(1));
    }
    assertThat(n.alerts()).isEmpty();
  }

  @Test
  void aRefusedConnectionAndAThrowingCheckCountAsFailures() {
    MutableClock clock = MutableClock.at("2026-11-10T10:00:00Z");
    RecordingNotifier n = Notifier.recording();
    UptimeMonitor m = UptimeMonitor.builder().clock(clock).store(UptimeStore.inMemory()).notifier(n).destination("ops").build();
    int closed = dev.pledge.core.testing.Requirements.freePort();
    ProbeSpec dead = new ProbeSpec(SiteId.of("portal"), URI.create("http://127.0.0.1:" + closed + "/"),
        Duration.ofMinutes(1), Duration.ofSeconds(2), 200, 1, 1);
    m.add(dead, HealthCheck.http(dead));
    ProbeSpec custom = new ProbeSpec(SiteId.of("db"), URI.create("http://db.invalid/"), Duration.ofMinutes(1),
        Duration.ofSeconds(2), 200, 1, 1);
    m.add(custom, () -> {
      throw new IllegalStateException("pool exhausted");
    });
    assertThat(m.runDue()).extracting(StateChange::site).containsExactly(SiteId.of("portal"), SiteId.of("db"));
    assertThat(n.alerts().get(1).body()).contains("check failed: pool exhausted");
  }

  @Test
  void aFailingNotifierDoesNotStopMonitoring() {
    status.set(500);
    MutableClock clock = MutableClock.at("2026-11-10T10:00:00Z");
    UptimeStore store = UptimeStore.inMemory();
    UptimeMonitor m = UptimeMonitor.builder().clock(clock).store(store).notifier(a -> {
      throw new dev.pledge.core.notify.NotificationException("slack down");
    }).destination("ops").build();
    ProbeSpec spec = new ProbeSpec(SHOP, spec().url(), Duration.ofMinutes(1), Duration.ofSeconds(2), 200, 1, 1);
    m.add(spec, HealthCheck.http(spec));
    assertThat(m.runDue()).hasSize(1);
    assertThat(store.sites()).containsExactly(SHOP);
    status.set(200);
  }

  @Test
  void startRunsTheChecksOnTheHostsExecutor() throws Exception {
    status.set(500);
    MutableClock clock = MutableClock.at("2026-11-10T10:00:00Z");
    UptimeStore store = UptimeStore.inMemory();
    UptimeMonitor m = UptimeMonitor.builder().clock(clock).store(store).notifier(Notifier.recording()).destination("ops").build();
    ProbeSpec spec = new ProbeSpec(SHOP, spec().url(), Duration.ofMinutes(1), Duration.ofSeconds(2), 200, 1, 1);
    m.add(spec, HealthCheck.http(spec));
    java.util.concurrent.ScheduledExecutorService executor = java.util.concurrent.Executors.newSingleThreadScheduledExecutor();
    try {
      var future = m.start(executor, Duration.ofMillis(20));
      // the check talks to a real HTTP server on another thread: poll with a bounded deadline
      long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
      while (store.sites().isEmpty() && System.nanoTime() < deadline) {
        Thread.onSpinWait();
      }
      future.cancel(false);
      assertThat(m.state(SHOP)).isEqualTo(SiteState.DOWN);
      assertThat(store.sites()).containsExactly(SHOP);
    } finally {
      executor.shutdownNow();
      status.set(200);
    }
  }

  @Test
  void tokensInTheProbeUrlStayOutOfRecordsAndAlerts() {
    status.set(500);
    MutableClock clock = MutableClock.at("2026-11-10T10:00:00Z");
    RecordingNotifier n = Notifier.recording();
    UptimeStore store = UptimeStore.inMemory();
    UptimeMonitor m = UptimeMonitor.builder().clock(clock).store(store).notifier(n).destination("ops").build();
    URI url = URI.create("http://user:hunter2@127.0.0.1:" + server.getAddress().getPort() + "/health?token=s3cret");
    ProbeSpec spec = new ProbeSpec(SHOP, url, Duration.ofMinutes(1), Duration.ofSeconds(2), 200, 1, 1);
    m.add(spec, HealthCheck.http(spec));
    assertThat(m.runDue()).singleElement().satisfies(c ->
        assertThat(c.reason()).contains("/health").doesNotContain("s3cret").doesNotContain("hunter2"));
    assertThat(n.alerts().get(0).body()).doesNotContain("s3cret").doesNotContain("hunter2");
    status.set(200);
  }

  @Test
  void theSectionBindsThroughItsBuilderWithTheStoreAndTheNotifierSetAndTheClockChanged() {
    status.set(503);
    MutableClock clock = MutableClock.at("2026-11-10T10:00:00Z");
    UptimeStore store = UptimeStore.inMemory();
    RecordingNotifier n = Notifier.recording();
    UptimePolicy section = new UptimePolicy(null, null, null, List.of(spec()), null, "#ops-urgent");
    UptimeMonitor m = UptimeMonitor.builder(section).clock(clock).store(store).notifier(n).build();
    for (int i = 0; i < 3; i++) {
      m.runDue();
      clock.advance(Duration.ofMinutes(1));
    }
    assertThat(m.state(SHOP)).isEqualTo(SiteState.DOWN);
    assertThat(store.changes(SHOP, Instant.EPOCH, clock.instant())).singleElement()
        .satisfies(c -> assertThat(c.at()).isEqualTo(Instant.parse("2026-11-10T10:00:00Z")));
    assertThat(n.alerts()).singleElement().satisfies(a -> assertThat(a.destination()).isEqualTo("#ops-urgent"));
    status.set(200);
  }

  @Test
  void withoutAStoreTheBuilderRefusesToBuildAndNamesTheSetting() {
    UptimePolicy section = new UptimePolicy(null, null, null, List.of(spec()), null, null);
    assertThatThrownBy(() -> UptimeMonitor.builder(section).notifier(Notifier.recording()).build())
        .isInstanceOf(IllegalStateException.class).hasMessageStartingWith("store is required")
        .hasMessageContaining("UptimeStore.inMemory()");
    assertThatThrownBy(() -> UptimeMonitor.builder().notifier(Notifier.recording()).destination("ops").build())
        .isInstanceOf(IllegalStateException.class).hasMessageStartingWith("store is required");
    assertThatThrownBy(() -> UptimeMonitor.builder(section).store(UptimeStore.inMemory()).build())
        .isInstanceOf(IllegalStateException.class).hasMessageStartingWith("notifier is required");
  }

  @Test
  @SuppressWarnings("removal") // the positional forms stay until they are removed, and must keep working
  void theDeprecatedPositionalFormsStillBuildTheSameMonitor() {
    status.set(503);
    MutableClock clock = MutableClock.at("2026-11-10T10:00:00Z");
    UptimeStore store = UptimeStore.inMemory();
    RecordingNotifier n = Notifier.recording();
    UptimePolicy section = new UptimePolicy(null, null, null, List.of(spec()), null, "#ops");
    UptimeMonitor positional = UptimeMonitor.from(section, clock, store, n);
    for (int i = 0; i < 3; i++) {
      positional.runDue();
      clock.advance(Duration.ofMinutes(1));
    }
    assertThat(store.changes(SHOP, Instant.EPOCH, clock.instant())).hasSize(1);
    assertThat(n.alerts()).singleElement().satisfies(a -> assertThat(a.destination()).isEqualTo("#ops"));
    // the two-argument form keeps its in-memory store, as it always did
    assertThat(UptimeMonitor.from(section, Notifier.recording()).state(SHOP)).isEqualTo(SiteState.UP);
    assertThat(UptimeMonitor.create(clock, store, n, "#ops").state(SHOP)).isEqualTo(SiteState.UP);
    status.set(200);
  }
}
