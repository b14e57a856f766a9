package dev.pledge.examples.tour;

import dev.pledge.core.policy.OrganisationPolicy;
import dev.pledge.examples.report.Charts;
import dev.pledge.sla.history.MonthlyReportRecord;
import dev.pledge.sla.history.SlaHistory;
import dev.pledge.sla.maintenance.MaintenancePolicy;
import dev.pledge.sla.maintenance.MaintenanceWindow;
import dev.pledge.sla.uptime.Incident;
import dev.pledge.sla.uptime.MaintenanceDecision;
import dev.pledge.sla.uptime.MonthlyUptimeReport;
import dev.pledge.sla.uptime.Outage;
import dev.pledge.sla.uptime.UptimeCalculator;
import dev.pledge.sla.uptime.UptimeHtml;
import dev.pledge.sla.uptime.UptimePolicy;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Last month's simulated probe results turned into uptime reports per site (P2, P3, P39). */
final class UptimeStep implements TourStep {

  @Override
  public List<Integer> promises() {
    return List.of(2, 3, 39);
  }

  @Override
  public String tag() {
    return "uptime";
  }

  @Override
  public void run(TourContext ctx) throws Exception {
    UptimeCalculator calc = UptimeCalculator.from(ctx.policy().require(UptimePolicy.class),
        ctx.policy().require(MaintenancePolicy.class));
    YearMonth month = YearMonth.from(ctx.start().atZone(calc.zone())).minusMonths(1);
    Instant from = calc.monthStart(month);
    Instant to = calc.monthStart(month.plusMonths(1));
    List<MonthlyUptimeReport> reports = new ArrayList<>();
    Random random = new Random(month.hashCode()); // the same simulated month on every run
    SlaHistory history = ProbesStep.history(ctx);
    for (OrganisationPolicy.Site site : ctx.policy().require(OrganisationPolicy.class).sites()) {
      // A month of one-minute probes: a few short blips (ignored), two real outages, one announced window.
      List<Outage> outages = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        Instant s = from.plus(Duration.ofMinutes(random.nextInt(40_000)));
        outages.add(Outage.of(s, s.plusSeconds(20 + random.nextInt(30))));
      }
      Instant incident = from.plus(Duration.ofDays(9)).plus(Duration.ofMinutes(random.nextInt(600)));
      outages.add(Outage.of(incident, incident.plus(Duration.ofMinutes(7 + random.nextInt(12)))));
      Instant second = from.plus(Duration.ofDays(21)).plus(Duration.ofMinutes(random.nextInt(600)));
      outages.add(Outage.of(second, second.plus(Duration.ofMinutes(3 + random.nextInt(6)))));
      Instant mStart = from.plus(Duration.ofDays(14)).plus(Duration.ofHours(2));
      MaintenanceWindow window = MaintenanceWindow.of(mStart, mStart.plus(Duration.ofMinutes(45)),
          mStart.minus(Duration.ofDays(5)));
      outages.add(Outage.of(mStart.plus(Duration.ofMinutes(5)), mStart.plus(Duration.ofMinutes(35))));
      MonthlyUptimeReport r = calc.report(site.id(), month, outages, List.of(window));
      reports.add(r);
      history.appendMonthlyReport(MonthlyReportRecord.of(r, ctx.start())); // P3: the report is on record
      List<Charts.Segment> segments = new ArrayList<>();
      for (Incident i : r.incidents()) {
        if (!i.counted().isZero()) {
          segments.add(new Charts.Segment(i.start(), i.end(), "down"));
        }
      }
      for (MaintenanceDecision d : r.maintenance()) {
        if (d.excluded()) {
          segments.add(new Charts.Segment(d.window().start(), d.window().end(), "maintenance"));
        }
      }
      ctx.chart(new Charts.UptimeTimeline(site.id().value() + " " + month, from, to, segments,
          r.uptimePercent().toPlainString(), r.target().value().toPlainString()));
      ctx.say(tag(), site.id() + " " + month + ": " + r.uptimePercent().toPlainString() + "% against "
          + r.target() + " (" + r.downtime().toMinutes() + " min down, " + r.excluded().toMinutes()
          + " min of announced maintenance excluded), met: " + r.met() + " (P2, P39)");
    }
    var html = ctx.dir().resolve("uptime-" + month + ".html");
    Files.writeString(html, UptimeHtml.render(reports));
    ctx.say(tag(), "monthly report for every site: " + html.getFileName() + " (P3)");

    boolean allMet = reports.stream().allMatch(MonthlyUptimeReport::met);
    Map<String, String> ev = new LinkedHashMap<>();
    reports.forEach(r -> ev.put(r.site() + " " + r.month(), r.uptimePercent().toPlainString() + "%"));
    ctx.report().judged(2, allMet, "every site met " + reports.get(0).target() + " last month (simulated probes)",
        "a site missed its uptime target", ev);
    ctx.report().kept(3, "a monthly report per site written as HTML with its timeline",
        Map.of("report", html.toString(), "sites", String.valueOf(reports.size())));
    boolean excluded = reports.stream().allMatch(r -> r.maintenance().stream().allMatch(MaintenanceDecision::excluded));
    ctx.report().judged(39, excluded, "maintenance announced 5 days ahead and kept inside its window was excluded",
        "announced maintenance was not excluded", Map.of("notice", "5 days", "window", "45 min"));
  }
}
