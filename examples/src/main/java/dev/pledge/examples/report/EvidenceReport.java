package dev.pledge.examples.report;

import dev.pledge.core.evidence.Assessment;
import dev.pledge.core.evidence.AssessmentPeriod;
import dev.pledge.core.evidence.CheckContext;
import dev.pledge.core.evidence.Evidence;
import dev.pledge.core.evidence.Judgement;
import dev.pledge.core.evidence.Verdict;
import dev.pledge.core.policy.OrganisationPolicy;
import dev.pledge.core.policy.PolicyDocument;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The compliance report of a deployment, judged from its evidence: every registered promise check
 * (core, security, backup, sla, the recorded demonstrations) runs over the period on the deployment
 * the policy names, and each promise takes the verdict of its checks. What no check judged is
 * {@link PromiseStatus#NO_EVIDENCE}. Not thread-safe; build one per report.
 */
public final class EvidenceReport {
  private EvidenceReport() {}

  /**
   * Judges the deployment of {@code policy} (its relative paths read from {@code baseDirectory}) over
   * {@code period}.
   */
  public static ComplianceReport judge(PolicyDocument policy, Path baseDirectory, AssessmentPeriod period, Clock clock,
      Charts charts) {
    Assessment a = Assessment.run(new CheckContext(policy, baseDirectory, period, clock));
    String org = policy.section(OrganisationPolicy.class).map(OrganisationPolicy::name).orElse("(unnamed)");
    ComplianceReport.Builder b = ComplianceReport.builder(org, policy.source(), period.to()).period(period.from(), period.to());
    for (Promise p : Promise.all()) {
      List<Judgement> js = a.judgements(p.number());
      if (js.isEmpty()) {
        continue; // NO_EVIDENCE by the builder
      }
      Verdict v = a.verdict(p.number());
      List<String> summaries = new ArrayList<>();
      Map<String, String> evidence = new LinkedHashMap<>();
      for (Judgement j : js) {
        if (j.verdict() == v) {
          summaries.add(j.summary());
        }
        for (Evidence e : j.evidence()) {
          evidence.merge(e.name(), e.value(), (x, y) -> x.equals(y) ? x : x + "; " + y);
        }
      }
      String summary = String.join("; ", summaries);
      switch (v) {
        case KEPT -> b.kept(p.number(), summary, evidence);
        case NOT_KEPT -> b.notKept(p.number(), summary, evidence);
        case ERROR -> b.failed(p.number(), summary, evidence);
        case NO_EVIDENCE -> b.noEvidence(p.number(), summary);
        default -> throw new IllegalStateException("unknown verdict " + v);
      }
    }
    return b.charts(charts).build();
  }
}
