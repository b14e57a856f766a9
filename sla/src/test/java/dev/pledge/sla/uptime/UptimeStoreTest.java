package dev.pledge.sla.uptime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pledge.core.SiteId;
import dev.pledge.core.testing.Requirements;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UptimeStoreTest {
  private static final Instant T0 = Instant.parse("2026-10-31T23:00:00Z");

  /** The same history in every store: down across the month boundary, up, down again and still down. */
  private void checkStore(UptimeStore store, SiteId site) {
    SiteId other = SiteId.of(site.value() + "-other");
    store.record(new StateChange(site, T0, SiteState.DOWN, "3 failed"));
    store.record(new StateChange(other, T0, SiteState.DOWN, "other site"));
    store.record(new StateChange(site, Instant.parse("2026-11-01T00:30:00.250Z"), SiteState.UP, "2 ok"));
    store.record(new StateChange(site, Instant.parse("2026-11-20T12:00:00Z"), SiteState.DOWN, "timeout"));
    Instant nov = Instant.parse("2026-11-01T00:00:00Z");
    Instant dec = Instant.parse("2026-12-01T00:00:00Z");
    assertThat(store.outages(site, nov, dec)).containsExactly(
        Outage.of(T0, Instant.parse("2026-11-01T00:30:00.250Z")),
        Outage.of(Instant.parse("2026-11-20T12:00:00Z"), dec));
    assertThat(store.changes(site, nov, dec)).extracting(StateChange::to).containsExactly(SiteState.UP, SiteState.DOWN);
    assertThat(store.lastBefore(site, nov)).hasValueSatisfying(c -> assertThat(c.reason()).isEqualTo("3 failed"));
    assertThat(store.sites()).contains(site, other);
  }

  @Test
  void inMemory() {
    checkStore(UptimeStore.inMemory(), SiteId.of("shop"));
  }

  @Test
  void jsonLinesFileSurvivesReopening(@TempDir Path dir) {
    Path file = dir.resolve("uptime.jsonl");
    checkStore(UptimeStore.jsonLines(file), SiteId.of("shop"));
    UptimeStore reopened = UptimeStore.jsonLines(file);
    assertThat(reopened.outages(SiteId.of("shop"), T0, Instant.parse("2026-12-01T00:00:00Z"))).hasSize(2);
  }

  @Test
  void postgresql() {
    Requirements.requirePostgres();
    String url = "jdbc:postgresql://127.0.0.1:5432/postgres";
    checkStore(UptimeStore.jdbc(() -> DriverManager.getConnection(url, "postgres", "")), uniqueSite());
    // a second node sees the same history
    UptimeStore node2 = UptimeStore.jdbc(() -> DriverManager.getConnection(url, "postgres", ""));
    assertThat(node2.sites()).isNotEmpty();
  }

  @Test
  void mariadb() throws Exception {
    Requirements.requireMariaDb();
    try (Connection c = DriverManager.getConnection("jdbc:mariadb://127.0.0.1:3306/", "root", "");
        Statement s = c.createStatement()) {
      s.executeUpdate("CREATE DATABASE IF NOT EXISTS pledge_uptime_test");
    }
    String url = "jdbc:mariadb://127.0.0.1:3306/pledge_uptime_test";
    checkStore(UptimeStore.jdbc(() -> DriverManager.getConnection(url, "root", "")), uniqueSite());
  }

  private static SiteId uniqueSite() {
    return SiteId.of("t-" + UUID.randomUUID().toString().substring(0, 8));
  }

  @Test
  void anOpenOutageBeforeThePeriodStartsAtItsRealStart() {
    UptimeStore store = UptimeStore.inMemory();
    SiteId s = SiteId.of("shop");
    store.record(new StateChange(s, T0, SiteState.DOWN, ""));
    assertThat(store.outages(s, Instant.parse("2026-11-02T00:00:00Z"), Instant.parse("2026-11-03T00:00:00Z")))
        .containsExactly(Outage.of(T0, Instant.parse("2026-11-03T00:00:00Z")));
    assertThat(store.outages(s, Instant.parse("2026-10-01T00:00:00Z"), Instant.parse("2026-10-02T00:00:00Z")))
        .isEqualTo(List.of());
  }
}
