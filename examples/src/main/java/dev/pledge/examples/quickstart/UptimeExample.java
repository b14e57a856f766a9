package dev.pledge.examples.quickstart;

import dev.pledge.core.SiteId;
import dev.pledge.sla.maintenance.MaintenancePolicy;
import dev.pledge.sla.maintenance.MaintenanceWindow;
import dev.pledge.sla.uptime.MonthlyUptimeReport;
import dev.pledge.sla.uptime.Outage;
import dev.pledge.sla.uptime.UptimeCalculator;
import dev.pledge.sla.uptime.UptimePolicy;
import java.time.Instant;
import java.time.YearMonth;
import java.util.List;

/** sla: a month of outages turned into the monthly uptime report, announced maintenance excluded. */
public final class UptimeExample {
  private UptimeExample() {}

  public static void main(String[] args) {
    var policy = Bundled.policy();
    UptimeCalculator calc = UptimeCalculator.from(policy.require(UptimePolicy.class), policy.require(MaintenancePolicy.class));
    List<Outage> outages = List.of(
        Outage.of(Instant.parse("2026-10-09T13:02:00Z"), Instant.parse("2026-10-09T13:21:00Z")),
        Outage.of(Instant.parse("2026-10-15T02:10:00Z"), Instant.parse("2026-10-15T02:40:00Z")));
    MaintenanceWindow announced = MaintenanceWindow.of(Instant.parse("2026-10-15T02:00:00Z"),
        Instant.parse("2026-10-15T03:00:00Z"), Instant.parse("2026-10-10T09:00:00Z"));
    MonthlyUptimeReport r = calc.report(SiteId.of("shop"), YearMonth.of(2026, 10), outages, List.of(announced));
    System.out.println("shop 2026-10: " + r.uptimePercent().toPlainString() + "% against " + r.target() + ", down "
        + r.downtime().toMinutes() + " min, excluded " + r.excluded().toMinutes() + " min, met " + r.met());
  }
}
