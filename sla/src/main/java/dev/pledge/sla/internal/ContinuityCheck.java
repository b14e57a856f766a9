package dev.pledge.sla.internal;

import dev.pledge.core.SiteId;
import dev.pledge.core.evidence.CheckContext;
import dev.pledge.core.evidence.Evidence;
import dev.pledge.core.evidence.Judgement;
import dev.pledge.core.evidence.PromiseCheck;
import dev.pledge.sla.history.FailoverRecord;
import dev.pledge.sla.history.MaintenanceRecord;
import dev.pledge.sla.history.ProbeRecord;
import dev.pledge.sla.history.SlaHistory;
import dev.pledge.sla.maintenance.MaintenancePolicy;
import dev.pledge.sla.maintenance.MaintenanceWindow;
import dev.pledge.sla.uptime.UptimePolicy;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Judges P5 (the spare picks up the load; upgrades cause no downtime) and P39 (updates with zero
 * downtime; maintenance announced in advance) from the SLA history the policy names
 * ({@code slaHistory}): the failover groups' recorded switches and calls failed for callers, the
 * maintenance windows and updates recorded when they were scheduled, and the health-probe results.
 *
 * <p>An update is kept when health probes of its site ran during it and, by the monitor's rules, none
 * shows the site down. P5: kept when no call failed for its caller in the period and every update
 * that ran in it caused no downtime, with at least one switch or update to show it; no evidence when
 * neither happened. P39: every planned maintenance window announced or running in the period was
 * announced at least the {@code maintenance} section's notice ahead (an emergency window, when the
 * section allows emergencies, is accepted and its downtime counts against P2), and every update ran
 * without downtime; no evidence when none was recorded. The section states no hours of least impact,
 * so the evidence lists when each window runs for the reader to see.
 *
 * <p>Stateless and thread-safe.
 */
public final class ContinuityCheck implements PromiseCheck {
  private static final int FIRST_VIOLATIONS = 5;

  @Override
  public String name() {
    return "sla.continuity";
  }

  @Override
  public List<Integer> promises() {
    return List.of(5, 39);
  }

  @Override
  public List<Judgement> judge(CheckContext ctx) {
    Optional<String> missing = HistoryAccess.missing(ctx);
    if (missing.isPresent()) {
      String why = missing.get() + " to read failover events, maintenance windows and probe results from";
      return List.of(Judgement.noEvidence(5, why), Judgement.noEvidence(39, why));
    }
    SlaHistory history = HistoryAccess.open(ctx).orElseThrow();
    UptimePolicy uptime = ctx.policy().section(UptimePolicy.class).orElse(UptimePolicy.defaults());
    MaintenancePolicy maintenance = ctx.policy().section(MaintenancePolicy.class).orElse(MaintenancePolicy.defaults());
    Instant from = ctx.period().from();
    Instant to = ctx.period().to();
    List<MaintenanceRecord> windows = history.maintenance(from, to);
    // Updates that ran (in part) in the period, each judged by the probes of its site during it.
    List<String> updateEvidence = new ArrayList<>();
    List<String> updateViolations = new ArrayList<>();
    int updates = 0;
    for (MaintenanceRecord w : windows) {
      MaintenanceWindow mw = w.window();
      if (w.kind() != MaintenanceRecord.Kind.UPDATE || w.cancelledBeforeStart() || !mw.start().isBefore(to)
          || !mw.end().isAfter(from)) {
        continue;
      }
      updates++;
      Instant a = mw.start().isBefore(from) ? from : mw.start();
      Instant b = mw.end().isAfter(to) ? to : mw.end();
      String what = "update " + w.id() + " of " + w.site() + " (" + mw.start() + " to " + mw.end()
          + (mw.impact().isEmpty() ? "" : ", " + mw.impact()) + ")";
      String down = downDuring(history, uptime, w.site(), a, b);
      if (down != null) {
        updateViolations.add(what + ": " + down);
      } else {
        updateEvidence.add(what + ": " + probesDuring(history, w.site(), a, b) + " probe results, none down");
      }
    }
    return List.of(failover(ctx, history, updates, updateEvidence, updateViolations),
        maintenance(ctx, windows, maintenance, updates, updateEvidence, updateViolations));
  }

  private static Judgement failover(CheckContext ctx, SlaHistory history, int updates, List<String> updateEvidence,
      List<String> updateViolations) {
    List<FailoverRecord> events = history.failovers(ctx.period().from(), ctx.period().to());
    long toSpare = events.stream().filter(e -> e.kind() == FailoverRecord.Kind.TO_SPARE).count();
    long back = events.stream().filter(e -> e.kind() == FailoverRecord.Kind.TO_PRIMARY).count();
    List<FailoverRecord> failed = events.stream().filter(e -> e.kind() == FailoverRecord.Kind.FAILED_FOR_CALLER).toList();
    List<Evidence> ev = new ArrayList<>();
    ev.add(Evidence.of("history read", HistoryAccess.where(ctx)));
    ev.add(Evidence.of("failover", count(toSpare, "switch", "switches") + " to the spare, " + count(back, "return",
        "returns") + " to the primary, " + count(failed.size(), "call", "calls") + " failed for callers"));
    events.stream().filter(e -> e.kind() != FailoverRecord.Kind.FAILED_FOR_CALLER).limit(FIRST_VIOLATIONS)
        .forEach(e -> ev.add(Evidence.of(e.group() + " " + e.at(), (e.kind() == FailoverRecord.Kind.TO_SPARE
            ? "switched to the spare: " : "back on the primary: ") + e.detail())));
    ev.add(Evidence.of("updates in the period", updates));
    updateEvidence.stream().limit(FIRST_VIOLATIONS).forEach(u -> ev.add(Evidence.of("update", u)));
    List<String> violations = new ArrayList<>();
    failed.forEach(f -> violations.add(f.group() + " at " + f.at() + ": a call failed for its caller (" + f.detail() + ")"));
    violations.addAll(updateViolations);
    if (!violations.isEmpty()) {
      ev.add(Evidence.of("first violations", String.join("; ", violations.subList(0, Math.min(FIRST_VIOLATIONS,
          violations.size())))));
      return Judgement.notKept(5, (failed.isEmpty() ? "an update caused downtime: " : "the spare did not pick up the load: ")
          + violations.get(0), ev);
    }
    if (toSpare + back == 0 && updates == 0) {
      return new Judgement(5, dev.pledge.core.evidence.Verdict.NO_EVIDENCE, "no server went down and no update ran in"
          + " the period", ev);
    }
    return Judgement.kept(5, "every call was served while the spare stood in (" + count(toSpare, "switch", "switches")
        + "), and every update ran without downtime", ev);
  }

  private static Judgement maintenance(CheckContext ctx, List<MaintenanceRecord> windows, MaintenancePolicy policy,
      int updates, List<String> updateEvidence, List<String> updateViolations) {
    List<Evidence> ev = new ArrayList<>();
    ev.add(Evidence.of("history read", HistoryAccess.where(ctx)));
    ev.add(Evidence.of("notice required", HistoryAccess.human(policy.notice()) + (policy.allowEmergency()
        ? "; emergency work allowed, its downtime counted" : "; no emergency work allowed")));
    List<String> violations = new ArrayList<>();
    int planned = 0;
    for (MaintenanceRecord w : windows) {
      MaintenanceWindow mw = w.window();
      if (w.kind() != MaintenanceRecord.Kind.MAINTENANCE || w.cancelledBeforeStart()) {
        continue;
      }
      planned++;
      String what = "maintenance " + w.id() + " of " + w.site() + " " + mw.start() + " to " + mw.end();
      if (mw.emergency()) {
        if (!policy.allowEmergency()) {
          violations.add(what + ": emergency work, which the policy does not allow");
        } else {
          ev.add(Evidence.of(what, "emergency, announced " + HistoryAccess.human(mw.notice()) + " ahead; its downtime counts"));
        }
      } else if (mw.notice().compareTo(policy.notice()) < 0) {
        violations.add(what + ": announced " + HistoryAccess.human(mw.notice()) + " ahead, the policy requires "
            + HistoryAccess.human(policy.notice()));
      } else {
        ev.add(Evidence.of(what, "announced " + mw.announced() + ", " + HistoryAccess.human(mw.notice()) + " ahead"
            + (mw.impact().isEmpty() ? "" : "; impact: " + mw.impact())));
      }
    }
    ev.add(Evidence.of("maintenance windows", planned + " planned; " + count(updates, "update", "updates")));
    updateEvidence.stream().limit(FIRST_VIOLATIONS).forEach(u -> ev.add(Evidence.of("update", u)));
    violations.addAll(updateViolations);
    if (!violations.isEmpty()) {
      ev.add(Evidence.of("first violations", String.join("; ", violations.subList(0, Math.min(FIRST_VIOLATIONS,
          violations.size())))));
      return Judgement.notKept(39, "maintenance was not announced in advance, or an update caused downtime: "
          + violations.get(0), ev);
    }
    if (planned == 0 && updates == 0) {
      return new Judgement(39, dev.pledge.core.evidence.Verdict.NO_EVIDENCE, "no maintenance window or update was"
          + " recorded in the period", ev);
    }
    return Judgement.kept(39, "every maintenance window was announced at least " + HistoryAccess.human(policy.notice())
        + " ahead, and every update ran without downtime", ev);
  }

  private static String count(long n, String one, String many) {
    return n + " " + (n == 1 ? one : many);
  }

  /** Why {@code site} was down during {@code [a, b)} by the recorded probe results, or null when it was not. */
  private static String downDuring(SlaHistory history, UptimePolicy uptime, SiteId site, Instant a, Instant b) {
    List<ProbeRecord> results = history.probes(a.minus(UptimeHistoryCheck.lookback(uptime)), b).stream()
        .filter(r -> r.site().equals(site)).toList();
    if (results.stream().noneMatch(r -> !r.at().isBefore(a))) {
      return "no health probe of the site ran during it, so nothing shows it stayed up";
    }
    List<long[]> down = new ArrayList<>();
    UptimeHistoryCheck.walkAll(results, uptime, b, new ArrayList<>(), down, new ArrayList<>());
    List<long[]> in = UptimeHistoryCheck.clip(UptimeHistoryCheck.merge(down), a, b);
    if (in.isEmpty()) {
      return null;
    }
    return "down from " + Instant.ofEpochMilli(in.get(0)[0]) + " for "
        + HistoryAccess.human(java.time.Duration.ofMillis(UptimeHistoryCheck.total(in)));
  }

  private static long probesDuring(SlaHistory history, SiteId site, Instant a, Instant b) {
    return history.probes(a, b).stream().filter(r -> r.site().equals(site)).count();
  }
}
