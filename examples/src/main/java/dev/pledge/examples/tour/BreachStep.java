package dev.pledge.examples.tour;

import dev.pledge.security.breach.BreachJournal;
import dev.pledge.security.breach.BreachPolicy;
import dev.pledge.security.breach.BreachReport;
import dev.pledge.security.breach.BreachRunbook;
import dev.pledge.security.breach.StepKind;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A breach-response drill (P28-P32) with actions that rehearse against simulated resources, journaled
 * in the deployment's breach journal ({@code breach/} in the working folder, which the deployment's
 * policy names). The drill runs in the hour before "now", so the report reads it.
 */
final class BreachStep implements TourStep {

  @Override
  public List<Integer> promises() {
    return List.of(28, 29, 30, 31, 32);
  }

  @Override
  public String tag() {
    return "breach";
  }

  /** Where the deployment journals responses and drills, relative to the working folder. */
  static final String JOURNAL = "breach";

  @Override
  public void run(TourContext ctx) {
    BreachPolicy policy = ctx.policy().require(BreachPolicy.class);
    ctx.clock().set(ctx.start().minus(Duration.ofMinutes(50)));
    List<String> customers = List.of("acme", "globex", "initech", "umbrella", "hooli");
    List<String> apiKeys = List.of("k-acme-1", "k-globex-1", "k-hooli-2");
    BreachRunbook runbook = BreachRunbook.builder(policy).clock(ctx.clock()).audit(ctx.audit())
        .journal(BreachJournal.folder(ctx.dir().resolve(JOURNAL)))
        .action(StepKind.NOTIFY_CUSTOMERS, i -> {
          ctx.clock().advance(Duration.ofMinutes(20));
          return (i.drill() ? "would notify " : "notified ") + customers.size() + " customers";
        })
        .action(StepKind.REVOKE_EXTERNAL_KEYS, i -> "would revoke and regenerate " + apiKeys.size() + " API keys")
        .action(StepKind.FORCE_PASSWORD_RESET, i -> "would force a password reset on every client account")
        .action(StepKind.RESET_CLOUD_CREDENTIALS, i -> "would rotate 2 IAM access keys")
        .action(StepKind.ROTATE_DATASTORE_CREDENTIALS, i -> "would rotate the PostgreSQL and Redis passwords")
        .build();
    BreachReport drill = runbook.drill("DRILL-" + ctx.start().toString().substring(0, 7));
    long done = drill.steps().stream().filter(s -> s.status() == BreachReport.StepResult.Status.DONE).count();
    ctx.say(tag(), "drill " + drill.incident().id() + ": " + done + "/" + drill.steps().size()
        + " steps rehearsed, customers reached after " + drill.notifiedAfter().map(Duration::toMinutes).orElse(-1L)
        + " min (limit " + policy.notifyCustomersWithin().toHours() + " h); next drill due " + runbook.nextDrillDue()
        + " (P28-P32)");

    String after = drill.notifiedAfter().map(d -> d.toMinutes() + " min").orElse("never");
    ctx.report().judged(28, drill.notifiedInTime(), "the drill reached every customer in " + after,
        "the drill did not reach customers in time", Map.of("notified after", after,
            "limit", TourContext.human(policy.notifyCustomersWithin())));
    for (BreachReport.StepResult s : drill.steps()) {
      int p = Integer.parseInt(s.step().promise().substring(1));
      if (p == 28) {
        continue;
      }
      ctx.report().judged(p, s.status() == BreachReport.StepResult.Status.DONE, "rehearsed: " + s.detail(),
          "the step did not run: " + s.detail(), Map.of(s.step().name(), s.status().name()));
    }
    ctx.report().judged(32, drill.complete() && !runbook.drillOverdue(),
        "drilled " + drill.incident().detectedAt() + "; next due " + runbook.nextDrillDue(),
        "no complete drill in the last " + policy.drillEvery(), Map.of("last drill", drill.incident().id(),
            "drill every", dev.pledge.core.time.Durations.formatPeriod(policy.drillEvery()), "next due", runbook.nextDrillDue().toString()));
  }
}
