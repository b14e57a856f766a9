package dev.pledge.examples.tour;

import dev.pledge.core.policy.OrganisationPolicy;
import dev.pledge.core.policy.PolicyDocument;
import dev.pledge.core.evidence.AssessmentPeriod;
import dev.pledge.core.policy.PolicyLoader;
import dev.pledge.examples.report.ComplianceReport;
import dev.pledge.examples.report.Demonstrations;
import dev.pledge.examples.report.EvidenceReport;
import dev.pledge.examples.report.PromiseResult;
import dev.pledge.examples.report.PromiseStatus;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
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
      new ProbesStep(),
      new FailoverStep(),
      new AlertsStep(),
      new BreachStep(),
      new ExportStep(),
      new DeploymentStep());

  private Tour() {}

  /**
   * What a tour run gives: the report its steps fed, and the steps that failed.
   *
   * @param report the report; a failed step's unjudged promises are {@link dev.pledge.examples.report.PromiseStatus#ERROR}
   * @param failedSteps the tags of the steps that threw, in run order; empty when every step ran
   */
  public record Result(ComplianceReport report, List<String> failedSteps) {
    /** Copies. */
    public Result {
      failedSteps = List.copyOf(failedSteps);
    }

    /** True when every step ran and every promise is kept. */
    public boolean ok() {
      return failedSteps.isEmpty() && report.failing().isEmpty();
    }
  }

  /**
   * Runs every step and returns the report they fed. A step that throws is reported (a line naming
   * the exception, its unjudged promises as errors) and the tour goes on, so one broken primitive
   * cannot hide the others' evidence; what the step judged before it threw stands.
   */
  public static Result run(PolicyDocument policy, Path dir, Instant when, PrintStream out) {
    String text;
    try {
      text = TourPolicy.text(policy);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("cannot read " + policy.source() + ": " + e.getMessage(), e);
    }
    return run(policy.source(), text, dir, when, out);
  }

  /**
   * Runs the tour on the policy {@code text} (named {@code source}), whose on-call rotations are
   * first made to run since long before {@code when} ({@link TourPolicy#rotationsRunningBy}).
   */
  static Result run(String source, String text, Path dir, Instant when, PrintStream out) {
    Instant now = when.truncatedTo(java.time.temporal.ChronoUnit.SECONDS); // whole seconds read better
    String running;
    try {
      running = TourPolicy.rotationsRunningBy(text, now);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("cannot read " + source + ": " + e.getMessage(), e);
    }
    PolicyDocument policy = PolicyLoader.create().load(source, running);
    String org = policy.section(OrganisationPolicy.class).map(OrganisationPolicy::name).orElse("(unnamed)");
    TourContext ctx = new TourContext(policy, running, dir, now, out, org);
    List<String> failed = new ArrayList<>();
    for (TourStep step : STEPS) {
      ctx.clock().set(now); // every step's simulation starts at the tour's "now"
      try {
        step.run(ctx);
      } catch (Exception | AssertionError e) {
        failed.add(step.tag());
        ctx.say(step.tag(), "ERROR: " + ComplianceReport.describe(e));
        for (int p : step.promises()) {
          ctx.report().error(p, "the " + step.tag() + " step", e);
        }
      }
    }
    ctx.report().charts(ctx.charts());
    ComplianceReport measured = ctx.report().build();
    Path deployed = dir.resolve("policy.yaml");
    if (!java.nio.file.Files.exists(deployed)) {
      return new Result(measured, failed);
    }
    // The report itself: the very checks 'pledge report --policy DIR/policy.yaml' runs, over the
    // deployment just built, with the demonstrations the steps recorded for what no check reads yet.
    try {
      ctx.clock().set(now);
      if (ctx.audit() instanceof AutoCloseable trail) {
        trail.close(); // every record on disk before the report reads the trail
      }
      Demonstrations.record(dir, now, ctx.report().recorded().values());
      PolicyDocument deployment = PolicyLoader.create().load(deployed);
      ComplianceReport judged = EvidenceReport.judge(deployment, dir,
          new AssessmentPeriod(now.minus(DeploymentStep.RUNNING), now), ctx.clock(), ctx.charts());
      return new Result(withErrorsOf(measured, judged), failed);
    } catch (Exception e) {
      failed.add("report");
      ctx.say("report", "ERROR: " + ComplianceReport.describe(e));
      return new Result(measured, failed);
    }
  }

  /** {@code judged}, except where a step of the run failed: there the step's error stands. */
  private static ComplianceReport withErrorsOf(ComplianceReport measured, ComplianceReport judged) {
    List<PromiseResult> out = new ArrayList<>();
    for (PromiseResult r : judged.promises()) {
      PromiseResult m = measured.promise(r.promise().number());
      out.add(m.status() == PromiseStatus.ERROR ? m : r);
    }
    return new ComplianceReport(judged.organisation(), judged.policySource(), judged.generatedAt(), judged.periodFrom(),
        judged.periodTo(), out, judged.charts());
  }
}
