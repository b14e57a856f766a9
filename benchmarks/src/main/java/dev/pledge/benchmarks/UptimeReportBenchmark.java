package dev.pledge.benchmarks;

import dev.pledge.core.SiteId;
import dev.pledge.sla.uptime.MonthlyUptimeReport;
import dev.pledge.sla.uptime.OutageTracker;
import dev.pledge.sla.uptime.UptimeCalculator;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * P3 at scale: a year of one-minute probe results for 100 sites (52,560,000 results) streamed
 * through {@link OutageTracker} into 1,200 monthly reports (Europe/London months). Results are
 * generated on the fly by a fixed pseudo-random sequence (about 0.05% of minutes start an outage of
 * 1-30 minutes), never held in memory; the fork runs with {@code -Xmx128m} to show the memory bound.
 * One operation is the whole year.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx128m", "-Xms128m"})
public class UptimeReportBenchmark {
  /** Only Pledge: no peer library turns probe results into SLA months. */
  @Param({"pledge"})
  public String impl;

  @Param({"100"})
  public int sites;

  private static final YearMonth FIRST = YearMonth.of(2026, 1);

  /** Streams the year and reports every month of every site; returns the reports. */
  @Benchmark
  public List<MonthlyUptimeReport> yearOfMinuteProbes() {
    ZoneId zone = ZoneId.of("Europe/London");
    UptimeCalculator calc = UptimeCalculator.builder().zone(zone).build();
    long from = calc.monthStart(FIRST).getEpochSecond();
    long to = calc.monthStart(FIRST.plusYears(1)).getEpochSecond();
    List<MonthlyUptimeReport> reports = new ArrayList<>(sites * 12);
    for (int s = 0; s < sites; s++) {
      OutageTracker tracker = OutageTracker.create();
      long seed = 0x9E3779B97F4A7C15L * (s + 1);
      int downLeft = 0;
      for (long t = from; t < to; t += 60) {
        seed = seed * 6364136223846793005L + 1442695040888963407L;
        if (downLeft == 0 && (seed >>> 33) % 2000 == 0) {
          downLeft = 1 + (int) ((seed >>> 20) % 30);
        }
        boolean up = downLeft == 0;
        if (downLeft > 0) {
          downLeft--;
        }
        tracker.record(t, 0, up);
      }
      SiteId site = SiteId.of("site-" + s);
      var outages = tracker.outages(Instant.ofEpochSecond(to));
      for (int m = 0; m < 12; m++) {
        reports.add(calc.report(site, FIRST.plusMonths(m), outages, List.of()));
      }
    }
    return reports;
  }
}
