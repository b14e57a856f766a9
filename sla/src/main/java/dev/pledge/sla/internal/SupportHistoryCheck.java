package dev.pledge.sla.internal;

import dev.pledge.core.evidence.CheckContext;
import dev.pledge.core.evidence.Evidence;
import dev.pledge.core.evidence.Judgement;
import dev.pledge.core.evidence.PromiseCheck;
import dev.pledge.sla.clock.SlaClock;
import dev.pledge.sla.clock.SlaStatus;
import dev.pledge.sla.history.ReportHistory;
import dev.pledge.sla.history.SlaHistory;
import dev.pledge.sla.oncall.OnCallPolicy;
import dev.pledge.sla.oncall.Triage;
import dev.pledge.sla.oncall.TriageEvent;
import dev.pledge.sla.severity.SlaPolicy;
import dev.pledge.sla.severity.Tier;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Judges P33-P37 from the SLA history the policy names ({@code slaHistory}), over every report with
 * an event in the period or still unanswered in it.
 *
 * <p>P33: every such report has a recorded triage, classified in one of the policy's tiers and
 * assigned to an engineer (not left in a queue) who, when the policy has an {@code oncall} section,
 * is an operations engineer. P34, P35, P36: every report of tier 1, 2 and 3 (the tier in force) has
 * an SLA clock whose recorded first response came within the tier's target, on the tier's calendar
 * and the customer's terms; an unanswered report passes while its target has not passed. P37: the
 * same for every report of a customer whose terms the policy tailors, judged against the tailored
 * targets. A history that does not replay (events out of order, an unknown tier) breaks the
 * promise of its report's tier.
 *
 * <p>Stateless and thread-safe.
 */
public final class SupportHistoryCheck implements PromiseCheck {
  private static final int FIRST_VIOLATIONS = 5;

  @Override
  public String name() {
    return "sla.support-history";
  }

  @Override
  public List<Integer> promises() {
    return List.of(33, 34, 35, 36, 37);
  }

  /** What was found for one promise. */
  private static final class Finding {
    final List<String> ok = new ArrayList<>();
    final List<String> bad = new ArrayList<>();
  }

  @Override
  public List<Judgement> judge(CheckContext ctx) {
    Optional<String> missing = HistoryAccess.missing(ctx);
    SlaPolicy sla = ctx.policy().section(SlaPolicy.class).orElse(null);
    if (missing.isPresent() || sla == null) {
      String why = sla == null ? "the policy has no sla section: no tiers to judge reports against"
          : missing.get() + " to read reports' clocks and triage from";
      return promises().stream().map(p -> Judgement.noEvidence(p, why)).toList();
    }
    Instant from = ctx.period().from();
    Instant to = ctx.period().to();
    List<ReportHistory> reports = HistoryAccess.open(ctx).orElseThrow().reports(from, to);
    Set<Integer> ranks = sla.tiers().stream().map(Tier::rank).collect(Collectors.toSet());
    Optional<OnCallPolicy> oncall = ctx.policy().section(OnCallPolicy.class);
    Map<Integer, Finding> found = new LinkedHashMap<>();
    for (int p : promises()) {
      found.put(p, new Finding());
    }
    for (ReportHistory h : reports) {
      triage(h, ranks, oncall, found.get(33));
      clock(h, sla, to, found);
    }
    List<Judgement> out = new ArrayList<>();
    String where = HistoryAccess.where(ctx);
    out.add(judgement(33, found.get(33), reports.size(), where,
        "every report was classified in a tier and assigned to an operations engineer",
        "a report was not classified and assigned to an operations engineer"));
    for (int rank = 1; rank <= 3; rank++) {
      int p = 33 + rank;
      String tier = sla.tiers().stream().filter(t -> t.rank() == p - 33).findFirst()
          .map(t -> t.displayName() + " (tier " + t.rank() + ", respond within " + HistoryAccess.human(t.respondWithin()) + ")")
          .orElse("tier " + rank);
      out.add(judgement(p, found.get(p), reports.size(), where,
          "every " + tier + " report was answered within its target",
          "a " + tier + " report was not answered within its target"));
    }
    if (sla.customers().isEmpty()) {
      out.add(Judgement.noEvidence(37, "the policy tailors no customer's tiers (sla.customers)"));
    } else {
      out.add(judgement(37, found.get(37), reports.size(), where,
          "every report of a customer with tailored terms (" + String.join(", ", sla.customers().keySet())
              + ") was answered within that customer's own target",
          "a report of a customer with tailored terms missed that customer's target"));
    }
    return out;
  }

  private static Judgement judgement(int promise, Finding f, int reports, String where, String kept, String notKept) {
    List<Evidence> ev = new ArrayList<>();
    ev.add(Evidence.of("history read", where));
    ev.add(Evidence.of("reports in the period", reports));
    ev.add(Evidence.of("reports judged for P" + promise, f.ok.size() + f.bad.size()));
    for (String s : f.ok.subList(0, Math.min(FIRST_VIOLATIONS, f.ok.size()))) {
      int colon = s.indexOf(": ");
      ev.add(Evidence.of(s.substring(0, colon), s.substring(colon + 2)));
    }
    if (!f.bad.isEmpty()) {
      ev.add(Evidence.of("first violations", String.join("; ", f.bad.subList(0, Math.min(FIRST_VIOLATIONS, f.bad.size())))));
      return Judgement.notKept(promise, notKept + ": " + f.bad.get(0), ev);
    }
    if (f.ok.isEmpty()) {
      return Judgement.noEvidence(promise, "no report for P" + promise + " recorded in the SLA history in the period");
    }
    return Judgement.kept(promise, kept, ev);
  }

  /** P33: classified in a tier of the policy and assigned to an operations engineer. */
  private static void triage(ReportHistory h, Set<Integer> ranks, Optional<OnCallPolicy> oncall, Finding f) {
    String id = h.reportId();
    if (h.triage().isEmpty()) {
      f.bad.add(id + " has no triage recorded: never classified nor assigned");
      return;
    }
    Triage t;
    try {
      t = Triage.replay(h.triage());
    } catch (IllegalArgumentException e) {
      f.bad.add(id + "'s recorded triage does not replay: " + e.getMessage());
      return;
    }
    if (!ranks.contains(t.rank())) {
      f.bad.add(id + " is in tier " + t.rank() + ", which the policy does not have");
      return;
    }
    Optional<TriageEvent.Assignee> a = t.assignee();
    if (a.isEmpty()) {
      f.bad.add(id + " was classified but never assigned");
      return;
    }
    if (a.get().queue()) {
      f.bad.add(id + " is left in queue " + a.get().id() + ", not with an engineer");
      return;
    }
    if (oncall.isPresent()) {
      Optional<OnCallPolicy.Member> m = oncall.get().engineers().stream().filter(x -> x.id().equals(a.get().id())).findFirst();
      if (m.isEmpty()) {
        f.bad.add(id + " is assigned to " + a.get().id() + ", who is not among the oncall section's engineers");
        return;
      }
      if (m.get().role() != OnCallPolicy.Role.OPERATIONS) {
        f.bad.add(id + " is assigned to " + a.get().id() + ", a " + m.get().role().name().toLowerCase(java.util.Locale.ROOT)
            + ", not an operations engineer");
        return;
      }
    }
    f.ok.add(id + ": tier " + t.rank() + ", assigned to " + a.get().id() + " (" + t.history().size() + " triage events)");
  }

  /** P34-P36 by the tier in force, and P37 for tailored customers. */
  private static void clock(ReportHistory h, SlaPolicy sla, Instant to, Map<Integer, Finding> found) {
    String id = h.reportId();
    String customer = h.customer().orElse(null);
    boolean tailored = customer != null && sla.customers().containsKey(customer);
    if (h.clock().isEmpty()) {
      int rank = h.triage().isEmpty() ? 3 : safeRank(h);
      found.get(promiseOf(rank)).bad.add(id + " has no SLA clock recorded, so no response can be shown");
      return;
    }
    int openedRank = ((dev.pledge.sla.clock.SlaEvent.Opened) h.clock().get(0)).rank();
    SlaStatus s;
    try {
      if (customer != null && !sla.customers().containsKey(customer)) {
        throw new IllegalArgumentException("customer '" + customer + "' has no terms in the policy (sla.customers)");
      }
      s = SlaClock.replay(sla.targets(customer), h.clock()).status(to);
    } catch (IllegalArgumentException e) {
      String bad = id + "'s recorded SLA clock does not replay: " + e.getMessage();
      found.get(promiseOf(openedRank)).bad.add(bad);
      if (tailored) {
        found.get(37).bad.add(bad);
      }
      return;
    }
    String tier = sla.tiers().stream().filter(t -> t.rank() == s.rank()).findFirst().map(Tier::displayName)
        .orElse("tier " + s.rank());
    String terms = customer == null ? "" : ", " + customer + "'s terms";
    boolean answered = s.state() == SlaStatus.State.RESPONDED || s.state() == SlaStatus.State.RESOLVED;
    String line;
    if (s.breached()) {
      line = id + " (" + tier + terms + ") " + (answered ? "answered after " + HistoryAccess.human(s.elapsed())
          : "still unanswered") + ", target " + HistoryAccess.human(s.target())
          + s.deadline().map(d -> " passed at " + d).orElse("");
    } else {
      line = id + ": " + tier + terms + ", " + (answered ? "answered after " + HistoryAccess.human(s.elapsed())
          : "unanswered so far, " + HistoryAccess.human(s.remaining()) + " left") + " of " + HistoryAccess.human(s.target());
    }
    Finding f = found.get(promiseOf(s.rank()));
    (s.breached() ? f.bad : f.ok).add(line);
    if (tailored) {
      (s.breached() ? found.get(37).bad : found.get(37).ok).add(line);
    }
  }

  private static int safeRank(ReportHistory h) {
    try {
      return Triage.replay(h.triage()).rank();
    } catch (IllegalArgumentException e) {
      return 3;
    }
  }

  private static int promiseOf(int rank) {
    return 33 + Math.max(1, Math.min(3, rank));
  }
}
