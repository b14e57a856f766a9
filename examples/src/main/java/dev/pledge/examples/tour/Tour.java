package dev.pledge.examples.tour;

import dev.pledge.core.policy.OrganisationPolicy;
import dev.pledge.core.policy.PolicyDocument;
import dev.pledge.examples.report.ComplianceReport;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * The tour: every primitive on embedded defaults (the bundled policy, a local store under a
 * working folder, in-memory limiters), each step a real call that says what it proved, ending in
 * the compliance report.
 */
public final class Tour {
  private static final List<TourStep> STEPS = List.of(
      new PolicyStep(),
      new PasswordStep(),
      new AccessStep(),
      new RateLimitStep(),
      new BackupStep(),
      new ScheduleStep(),
      new RetentionStep(),
      new SlaStep(),
      new UptimeStep(),
      new FailoverStep(),
      new AlertsStep(),
      new BreachStep(),
      new ExportStep());

  private Tour() {}

  /**
   * Runs every step and returns the report they fed. A step that fails is reported and the tour goes
   * on, so one broken primitive cannot hide the others' evidence.
   */
  public static ComplianceReport run(PolicyDocument policy, Path dir, Instant when, PrintStream out) {
    Instant now = when.truncatedTo(java.time.temporal.ChronoUnit.SECONDS); // whole seconds read better
    String org = policy.section(OrganisationPolicy.class).map(OrganisationPolicy::name).orElse("(unnamed)");
    TourContext ctx = new TourContext(policy, dir, now, out, org);
    for (TourStep step : STEPS) {
      ctx.clock().set(now); // every step's simulation starts at the tour's "now"
      try {
        step.run(ctx);
      } catch (Exception e) {
        ctx.say(step.tag(), "FAILED: " + e);
      }
    }
    ctx.report().charts(ctx.charts());
    return ctx.report().build();
  }
}
