package dev.pledge.examples.tour;

import dev.pledge.core.SiteId;
import dev.pledge.sla.history.ProbeRecord;
import dev.pledge.sla.history.SlaHistory;
import dev.pledge.sla.uptime.HealthCheck;
import dev.pledge.sla.uptime.ProbeSpec;
import dev.pledge.sla.uptime.UptimeMonitor;
import dev.pledge.sla.uptime.UptimePolicy;
import dev.pledge.sla.uptime.UptimeStore;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The deployment's health probes for the hour it ran (P2): the policy's own probes run through the
 * real {@link UptimeMonitor}, one tick a minute, each result recorded in the deployment's SLA history
 * ({@value #STORE} beside its policy), from which the report computes each site's uptime. The sites'
 * answers are simulated (healthy, with one failed check per site: a blip below the monitor's
 * threshold, which must not count as an outage).
 */
final class ProbesStep implements TourStep {
  /** The deployment's SLA history as its policy names it: an embedded H2 file beside the policy. */
  static final String STORE = "jdbc:h2:./sla-history";

  /** The deployment's SLA history (SLA clocks, triage, probe results, monthly reports), opened for writing. */
  static SlaHistory history(TourContext ctx) {
    return SlaHistory.jdbc(url(ctx), "pledge_sla");
  }

  /** The history's embedded H2 file, kept open for 10 seconds after each use so the steps do not reopen it each time. */
  private static String url(TourContext ctx) {
    return "jdbc:h2:" + ctx.dir().toAbsolutePath().resolve("sla-history") + ";DB_CLOSE_DELAY=10";
  }

  @Override
  public List<Integer> promises() {
    return List.of(2);
  }

  @Override
  public String tag() {
    return "probes";
  }

  @Override
  public void run(TourContext ctx) throws SQLException {
    UptimePolicy uptime = ctx.policy().require(UptimePolicy.class);
    SlaHistory history = history(ctx);
    Instant end = ctx.start();
    Instant begin = end.minus(DeploymentStep.RUNNING);
    ctx.clock().set(begin);
    UptimeMonitor monitor = UptimeMonitor.builder().clock(ctx.clock()).store(UptimeStore.inMemory())
        .notifier(ctx.notifier()).destination(uptime.alertDestination()).build().history(history);
    AtomicInteger checks = new AtomicInteger();
    for (ProbeSpec p : uptime.probes()) {
      Instant blip = begin.plus(Duration.ofMinutes(17 + 11L * checks.getAndIncrement()));
      monitor.add(p, () -> ctx.clock().instant().equals(blip)
          ? HealthCheck.Result.down("status 503, expected " + p.expectedStatus())
          : HealthCheck.Result.up("status " + p.expectedStatus()));
    }
    int changes = 0;
    while (ctx.clock().instant().isBefore(end)) {
      changes += monitor.runDue().size();
      ctx.clock().advance(Duration.ofSeconds(30));
    }
    List<ProbeRecord> recorded = history.probes(begin, end);
    ctx.say(tag(), "the policy's " + uptime.probes().size() + " health probes ran through the uptime monitor for the hour"
        + " before now: " + recorded.size() + " results recorded in the SLA history (" + STORE + "), "
        + recorded.stream().filter(r -> !r.healthy()).count() + " failed checks, " + changes + " state changes (P2)");
    // Every record on disk now (the SLA and uptime steps ran before this one), so a copy of the folder holds them.
    try (Connection c = DriverManager.getConnection(url(ctx)); Statement s = c.createStatement()) {
      s.execute("CHECKPOINT");
    }
    for (SiteId site : uptime.probes().stream().map(ProbeSpec::site).distinct().toList()) {
      if (recorded.stream().noneMatch(r -> r.site().equals(site))) {
        throw new IllegalStateException("no probe result of " + site + " was recorded");
      }
    }
  }
}
