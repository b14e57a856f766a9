package dev.pledge.examples.tour;

import dev.pledge.core.notify.Alert;
import dev.pledge.sla.failover.FailoverGroup;
import dev.pledge.sla.failover.FailoverPolicy;
import dev.pledge.sla.uptime.HealthCheck;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The policy's first failover group with two simulated servers: the primary dies mid-traffic, the
 * spare picks up every request, and the primary takes the load back once it is healthy (P5). The
 * group records its switches (and any call that failed for its caller) in the deployment's SLA
 * history, from which the report judges P5.
 */
final class FailoverStep implements TourStep {

  @Override
  public List<Integer> promises() {
    return List.of(5);
  }

  @Override
  public String tag() {
    return "failover";
  }

  @Override
  public void run(TourContext ctx) {
    FailoverPolicy policy = ctx.policy().require(FailoverPolicy.class);
    FailoverPolicy.Group config = policy.groups().get(0);
    AtomicBoolean primaryUp = new AtomicBoolean(true);
    Map<URI, Integer> served = new LinkedHashMap<>();
    served.put(config.primary(), 0);
    served.put(config.spare(), 0);
    HealthCheck health = () -> primaryUp.get() ? HealthCheck.Result.up("200 OK") : HealthCheck.Result.down("connection refused");
    int alertsBefore = ctx.notifier().alerts().size();
    // Ten minutes before now, inside the hour the report judges; every switch and failed call recorded (P5).
    ctx.clock().set(ctx.start().minus(Duration.ofMinutes(10)));
    FailoverGroup<URI> group = FailoverGroup.builder(policy, config.name()).primaryHealth(health)
        .clock(ctx.clock()).notifier(ctx.notifier()).destination("#ops").history(ProbesStep.history(ctx)).build();

    int requests = 0;
    int failedForCallers = 0;
    // 300 requests a second apart; the primary dies at request 100 and comes back at request 200.
    for (int i = 0; i < 300; i++) {
      if (i == 100) {
        primaryUp.set(false);
      }
      if (i == 200) {
        primaryUp.set(true);
      }
      if (i % 10 == 0) {
        group.checkHealth();
      }
      requests++;
      try {
        group.call(server -> {
          if (server.equals(config.primary()) && !primaryUp.get()) {
            throw new IllegalStateException("connection refused by " + server);
          }
          served.merge(server, 1, Integer::sum);
          return server;
        });
      } catch (RuntimeException e) {
        failedForCallers++;
      }
      ctx.clock().advance(Duration.ofSeconds(1));
    }
    ctx.clock().set(ctx.start());
    var history = group.history();
    var alerts = ctx.notifier().alerts().subList(alertsBefore, ctx.notifier().alerts().size());
    boolean ok = failedForCallers == 0 && history.size() == 2 && group.active() == FailoverGroup.Active.PRIMARY
        && served.get(config.spare()) > 0;
    ctx.say(tag(), config.name() + ": primary down for 100 of " + requests + " requests; spare served "
        + served.get(config.spare()) + ", primary " + served.get(config.primary()) + ", failed for callers: "
        + failedForCallers + "; switches " + history.stream().map(s -> s.to().name().toLowerCase(java.util.Locale.ROOT)).toList()
        + ", each alerted (" + alerts.size() + " alerts) (P5)");
    ctx.report().judged(5, ok, "when the primary went down the spare served every request; the primary took"
            + " the load back when healthy",
        "requests failed for callers during failover, or the group did not switch back",
        TourContext.evidence("group", config.name(), "requests", String.valueOf(requests),
            "served by spare", String.valueOf(served.get(config.spare())),
            "failed for callers", String.valueOf(failedForCallers),
            "switches", history.stream().map(s -> s.at() + " to " + s.to() + ": " + s.reason()).toList().toString(),
            "alerts", alerts.stream().map(Alert::title).toList().toString(),
            "upgrades", "maintenance windows and zero-downtime updates: see P39"));
  }
}
