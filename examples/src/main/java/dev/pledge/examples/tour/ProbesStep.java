package dev.pledge.examples.tour;

import com.sun.net.httpserver.HttpServer;
import dev.pledge.core.SiteId;
import dev.pledge.core.time.Sleeper;
import dev.pledge.sla.maintenance.MaintenancePolicy;
import dev.pledge.sla.maintenance.MaintenanceScheduler;
import dev.pledge.sla.notify.AlertsPolicy;
import dev.pledge.sla.notify.SlackNotifier;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
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
 * The deployment's health probes for the hour it ran (P2, P4, P5, P39): the policy's own probes run
 * through the real {@link UptimeMonitor}, each result recorded in the deployment's SLA history
 * ({@value #STORE} beside its policy), from which the report computes each site's uptime. The sites'
 * answers are simulated: healthy, with one failed check per site (a blip below the monitor's
 * threshold, which must not count as an outage), and the first site down for a few minutes inside a
 * maintenance window the real {@link MaintenanceScheduler} announced five days before (excluded from
 * uptime). Its two state changes are alerted by the production Slack notifier over HTTP to a Slack
 * stand-in on 127.0.0.1, each delivery recorded in the history. The last site gets a zero-downtime
 * update, recorded too, during which every probe passes.
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
    return List.of(2, 4, 39);
  }

  @Override
  public String tag() {
    return "probes";
  }

  @Override
  public void run(TourContext ctx) throws SQLException, java.io.IOException {
    UptimePolicy uptime = ctx.policy().require(UptimePolicy.class);
    SlaHistory history = history(ctx);
    Instant end = ctx.start();
    Instant begin = end.minus(DeploymentStep.RUNNING);
    ctx.clock().set(begin);
    List<SiteId> sites = uptime.probes().stream().map(ProbeSpec::site).distinct().toList();
    SiteId maintained = sites.get(0);
    SiteId updated = sites.get(sites.size() - 1);
    // P39: maintenance of the first site, announced five days ahead by the real scheduler (recorded then);
    // P5/P39: a rolling update of the last site, recorded when it was scheduled at the start of the hour.
    MaintenancePolicy maintenancePolicy = ctx.policy().require(MaintenancePolicy.class);
    ctx.clock().set(begin.minus(Duration.ofDays(5)));
    MaintenanceScheduler scheduler = MaintenanceScheduler.builder(maintenancePolicy).clock(ctx.clock())
        .notifier(ctx.notifier()).history(history).build();
    Instant mStart = begin.plus(Duration.ofMinutes(20));
    Instant mEnd = begin.plus(Duration.ofMinutes(40));
    scheduler.schedule(maintained, mStart, mEnd, "checkout offline for a database upgrade", false);
    ctx.clock().set(begin);
    MaintenanceScheduler.Scheduled update = scheduler.update(updated, begin.plus(Duration.ofMinutes(45)),
        begin.plus(Duration.ofMinutes(55)), "rolling upgrade, one server at a time behind the load balancer");
    Instant downFrom = mStart.plus(Duration.ofMinutes(5));
    Instant downTo = mStart.plus(Duration.ofMinutes(11));

    List<String> slackPosts = new ArrayList<>();
    HttpServer standIn = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    standIn.createContext("/", exchange -> {
      String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      synchronized (slackPosts) {
        slackPosts.add(body);
      }
      byte[] ok = "ok".getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(200, ok.length);
      exchange.getResponseBody().write(ok);
      exchange.close();
    });
    standIn.start();
    int changes = 0;
    try {
      String base = "http://127.0.0.1:" + standIn.getAddress().getPort() + "/slack/T0TOUR/B0PROBES/";
      // Every webhook the policy names by an environment variable points at the stand-in.
      SlackNotifier slack = ctx.policy().require(AlertsPolicy.class).slackNotifier(name -> base + name.toLowerCase(
          java.util.Locale.ROOT).replace('_', '-'), ctx.clock(), Sleeper.system());
      UptimeMonitor monitor = UptimeMonitor.builder().clock(ctx.clock()).store(UptimeStore.inMemory())
          .notifier(history.recording("slack", slack)).destination(uptime.alertDestination()).build().history(history);
      AtomicInteger checks = new AtomicInteger();
      for (ProbeSpec p : uptime.probes()) {
        Instant blip = begin.plus(Duration.ofMinutes(17 + 11L * checks.getAndIncrement()));
        boolean inMaintenance = p.site().equals(maintained);
        monitor.add(p, () -> {
          Instant t = ctx.clock().instant();
          boolean down = t.equals(blip) || inMaintenance && !t.isBefore(downFrom) && t.isBefore(downTo);
          return down ? HealthCheck.Result.down("status 503, expected " + p.expectedStatus())
              : HealthCheck.Result.up("status " + p.expectedStatus());
        });
      }
      while (ctx.clock().instant().isBefore(end)) {
        changes += monitor.runDue().size();
        ctx.clock().advance(Duration.ofSeconds(30));
      }
    } finally {
      standIn.stop(0);
    }
    List<ProbeRecord> recorded = history.probes(begin, end);
    ctx.say(tag(), "the policy's " + uptime.probes().size() + " health probes ran through the uptime monitor for the hour"
        + " before now: " + recorded.size() + " results recorded in the SLA history (" + STORE + "), "
        + recorded.stream().filter(r -> !r.healthy()).count() + " failed checks, " + changes + " state changes (P2)");
    ctx.say(tag(), maintained + " down for " + Duration.between(downFrom, downTo).toMinutes() + " min inside maintenance"
        + " announced 5 days ahead (excluded from uptime); both state changes posted to Slack " + uptime.alertDestination()
        + " over HTTP to a local stand-in (" + slackPosts.size() + " posts), each delivery recorded (P4, P39); "
        + updated + " updated with zero downtime (" + update.window().impact() + ") (P5, P39)");
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
