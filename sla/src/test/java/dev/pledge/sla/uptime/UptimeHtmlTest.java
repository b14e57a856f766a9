package dev.pledge.sla.uptime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pledge.core.SiteId;
import dev.pledge.sla.maintenance.MaintenanceWindow;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.util.List;
import org.junit.jupiter.api.Test;

class UptimeHtmlTest {
  @Test
  void everySiteOfTheStoreGetsASectionWithItsTimelineIncidentsAndMaintenance() {
    UptimeStore store = UptimeStore.inMemory();
    SiteId shop = SiteId.of("shop");
    SiteId portal = SiteId.of("portal");
    // shop: down 2h on the 16th (the middle of a 30-day month), 1h of it inside announced maintenance
    store.record(new StateChange(shop, Instant.parse("2026-11-16T00:00:00Z"), SiteState.DOWN, ""));
    store.record(new StateChange(shop, Instant.parse("2026-11-16T02:00:00Z"), SiteState.UP, ""));
    store.record(new StateChange(portal, Instant.parse("2026-11-02T00:00:00Z"), SiteState.UP, ""));
    MaintenanceWindow w = MaintenanceWindow.of(Instant.parse("2026-11-16T01:00:00Z"),
        Instant.parse("2026-11-16T02:00:00Z"), Instant.parse("2026-11-01T00:00:00Z"));
    List<MonthlyUptimeReport> reports = UptimeCalculator.builder().build().reportAll(YearMonth.of(2026, 11), store,
        s -> s.equals(shop) ? List.of(w) : List.of());
    assertThat(reports).extracting(MonthlyUptimeReport::site).containsExactly(portal, shop);
    assertThat(reports.get(1).downtime()).isEqualTo(Duration.ofHours(1));
    assertThat(reports.get(1).excluded()).isEqualTo(Duration.ofHours(1));

    String html = UptimeHtml.render(reports);
    assertThat(html).startsWith("<!DOCTYPE html>").contains("id=\"site-portal\"").contains("id=\"site-shop\"")
        .doesNotContain("<script").doesNotContain("src=").doesNotContain("href=");
    // the 16th at 00:00 UTC is 15/30 of the month: x = 500 px of 1000; one hour is 1000/720 px
    assertThat(html).contains("<rect class=\"down\" x=\"500.00\" y=\"0\" width=\"2.78\"");
    assertThat(html).contains("<rect class=\"maintenance\" x=\"501.39\"");
    assertThat(html).contains("Uptime <strong>99.8611%</strong> against a target of 99.9%: missed")
        .contains("Uptime <strong>100%</strong>").contains("announced 15d1h ahead");
    // An axis with a tick at each of the 30 days, labelled every 5 days, and a legend of the colours.
    assertThat(html).contains("day of the month").contains(">16</text>").contains(">30</text>")
        .contains("down (counted)").contains("announced maintenance (excluded)");
    assertThat(html.split("<line ", -1).length - 1).as("axis line and 31 day ticks per site").isEqualTo(2 * 32);
  }
}
