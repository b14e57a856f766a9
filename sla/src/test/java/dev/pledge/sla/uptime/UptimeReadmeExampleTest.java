package dev.pledge.sla.uptime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pledge.core.SiteId;
import dev.pledge.core.policy.PolicyDocument;
import dev.pledge.core.policy.PolicyLoader;
import dev.pledge.sla.maintenance.MaintenancePolicy;
import dev.pledge.sla.maintenance.MaintenanceWindow;
import java.time.Instant;
import java.time.YearMonth;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The example the README shows for uptime reports, kept compiling and true. */
class UptimeReadmeExampleTest {
  @Test
  void readmeExample() {
    PolicyDocument policy = PolicyLoader.create().load("policy.yaml",
        "uptime:\n  target: 99.9%\n  zone: Europe/London\nmaintenance:\n  notice: 72 hours\n");
    List<Outage> outages = List.of(Outage.of(Instant.parse("2026-10-03T10:00:00Z"), Instant.parse("2026-10-03T10:40:00Z")));
    List<MaintenanceWindow> windows = List.of();
    UptimeStore store = UptimeStore.inMemory();
    store.record(new StateChange(SiteId.of("portal"), Instant.parse("2026-10-05T00:00:00Z"), SiteState.DOWN, "503"));
    store.record(new StateChange(SiteId.of("portal"), Instant.parse("2026-10-05T00:05:00Z"), SiteState.UP, "200"));
    // --- README example begins
    UptimeCalculator uptime = UptimeCalculator.from(policy.require(UptimePolicy.class), policy.require(MaintenancePolicy.class));
    MonthlyUptimeReport october = uptime.report(SiteId.of("shop"), YearMonth.of(2026, 10), outages, windows);
    System.out.println(october.uptimePercent() + "% of " + october.minutes() + " minutes, met: " + october.met());
    String page = UptimeHtml.render(uptime.reportAll(YearMonth.of(2026, 10), store, site -> List.of()));
    // --- README example ends
    assertThat(october.minutes()).isEqualTo(44_700);
    assertThat(october.uptimePercent()).isEqualByComparingTo("99.9105");
    assertThat(october.met()).isTrue();
    assertThat(page).contains("id=\"site-portal\"").contains("99.9888%");
  }
}
