package dev.pledge.examples.tour;

import dev.pledge.examples.report.Charts;
import dev.pledge.sla.clock.SlaClock;
import dev.pledge.sla.clock.SlaEvent;
import dev.pledge.sla.clock.SlaStatus;
import dev.pledge.sla.history.SlaHistory;
import dev.pledge.sla.oncall.OnCallPolicy;
import dev.pledge.sla.oncall.OnCallSchedule;
import dev.pledge.sla.oncall.Triage;
import dev.pledge.sla.oncall.TriageEvent;
import dev.pledge.sla.severity.Classification;
import dev.pledge.sla.severity.Classifier;
import dev.pledge.sla.severity.Report;
import dev.pledge.sla.severity.SlaPolicy;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Support reports classified into tiers, with their response clocks (P33-P37). */
final class SlaStep implements TourStep {

  private record Case(String id, String text, int expectedRank, Duration respondedAfter) {}

  @Override
  public List<Integer> promises() {
    return List.of(34, 35, 36, 37);
  }

  @Override
  public String tag() {
    return "sla";
  }

  @Override
  public void run(TourContext ctx) {
    SlaPolicy sla = ctx.policy().require(SlaPolicy.class);
    Classifier classifier = Classifier.from(sla);
    List<Case> cases = List.of(
        new Case("R-101", "The shop is down, customers get a 502 on checkout", 1, Duration.ofMinutes(35)),
        new Case("R-102", "Password reset emails are not sending since this morning", 1, Duration.ofMinutes(48)),
        new Case("R-103", "Order export shows corrupted totals for some customers", 2, Duration.ofMinutes(50)),
        new Case("R-104", "Search is very slow, pages take 20 seconds to load", 2, Duration.ofMinutes(52)),
        new Case("R-105", "The date picker does not work as designed on the profile page", 3, Duration.ofMinutes(55)));
    // Opened while the deployment ran, triaged and answered through SLA clocks and triages that record
    // into its SLA history: the report judges P33-P37 from those records.
    Instant opened = ctx.start().minus(DeploymentStep.RUNNING).plus(Duration.ofMinutes(1));
    SlaHistory history = ProbesStep.history(ctx);
    OnCallPolicy oncall = ctx.policy().require(OnCallPolicy.class);
    boolean allRight = true;
    Map<String, String> ev = new LinkedHashMap<>();
    for (Case c : cases) {
      Classification cl = classifier.classify(Report.of(c.text()));
      boolean right = cl.tier().rank() == c.expectedRank();
      allRight &= right;
      triage(c.id(), cl, oncall, opened, history);
      SlaClock clock = SlaClock.open(sla.targets(null), opened, cl.tier().rank()).recordingTo(history, c.id(), null)
          .append(new SlaEvent.Responded(opened.plus(c.respondedAfter())));
      SlaStatus s = clock.status(ctx.start());
      ctx.chart(new Charts.SlaResponse(c.id(), cl.tier().displayName(), s.elapsed(), s.target()));
      ev.put(c.id(), cl.tier().displayName() + ", respond within " + TourContext.human(cl.respondWithin()) + ", answered after "
          + TourContext.human(s.elapsed()) + (s.breached() ? " (BREACHED)" : ""));
      ctx.say(tag(), c.id() + " \"" + c.text() + "\" -> " + cl.tier().displayName() + " (respond within "
          + cl.respondWithin().toMinutes() + " min; rules " + cl.matchedNames() + ")");
    }
    Classification tailored = classifier.classify(Report.of(cases.get(0).text()), "acme");
    Duration standard = classifier.classify(Report.of(cases.get(0).text())).respondWithin();
    ctx.say(tag(), "customer acme's contract: the same outage must be answered within "
        + tailored.respondWithin().toMinutes() + " min instead of " + standard.toMinutes() + " (P37)");
    for (String customer : sla.customers().keySet()) { // each tailored customer's report, on its own terms
      String id = "R-106-" + customer;
      Classification own = classifier.classify(Report.of(cases.get(0).text()), customer);
      Duration half = own.respondWithin().dividedBy(2);
      Duration answered = half.compareTo(Duration.ofMinutes(30)) < 0 ? half : Duration.ofMinutes(30);
      triage(id, own, oncall, opened, history);
      SlaClock.open(sla.targets(customer), opened, own.tier().rank()).recordingTo(history, id, customer)
          .append(new SlaEvent.Responded(opened.plus(answered)));
      ctx.say(tag(), id + " for " + customer + ": " + own.tier().displayName() + " within "
          + TourContext.human(own.respondWithin()) + ", answered after " + TourContext.human(answered) + " (P37)");
    }
    ctx.say(tag(), "every report's triage and SLA clock recorded in the SLA history (" + ProbesStep.STORE + ")");

    ctx.report().judged(34, allRight, "outages and messages not sending classified Gold, 120 minutes",
        "a Gold report was misclassified", Map.of("R-101", ev.get("R-101"), "R-102", ev.get("R-102")));
    ctx.report().judged(35, allRight, "corrupted data and performance classified Silver, 6 hours",
        "a Silver report was misclassified", Map.of("R-103", ev.get("R-103"), "R-104", ev.get("R-104")));
    ctx.report().judged(36, allRight, "not operating as designed classified Bronze, 48 hours",
        "a Bronze report was misclassified", Map.of("R-105", ev.get("R-105")));
    ctx.report().judged(37, !tailored.respondWithin().equals(standard), "acme's contract tailors the Gold target",
        "tailoring changed nothing", Map.of("standard", TourContext.human(standard),
            "acme", TourContext.human(tailored.respondWithin())));
  }

  /**
   * The report's triage, recorded: to the operations engineer on call, or from the queue to the
   * policy's first operations engineer when nobody from operations is on call (P33).
   */
  private static void triage(String id, Classification cl, OnCallPolicy oncall, Instant at, SlaHistory history) {
    Triage t = Triage.start(id, cl, OnCallSchedule.from(oncall), "support-queue", at).recordingTo(history);
    if (t.assignee().filter(a -> !a.queue()).isEmpty()) {
      String ops = oncall.engineers().stream().filter(m -> m.role() == OnCallPolicy.Role.OPERATIONS)
          .map(OnCallPolicy.Member::id).findFirst()
          .orElseThrow(() -> new IllegalStateException("the oncall section names no operations engineer to assign " + id));
      t.reassign(at, TriageEvent.Assignee.engineer(ops), "support-queue", "nobody from operations on call");
    }
  }
}
