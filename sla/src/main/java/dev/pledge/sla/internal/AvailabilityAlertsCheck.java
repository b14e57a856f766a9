package dev.pledge.sla.internal;

import dev.pledge.core.evidence.CheckContext;
import dev.pledge.core.evidence.Evidence;
import dev.pledge.core.evidence.Judgement;
import dev.pledge.core.evidence.PromiseCheck;
import dev.pledge.sla.history.AlertDeliveryRecord;
import dev.pledge.sla.history.SlaHistory;
import dev.pledge.sla.uptime.UptimePolicy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Judges P4 (availability alerts reach the team through Slack and/or SMS) from the SLA history the
 * policy names ({@code slaHistory}).
 *
 * <p>The state changes are found again in the recorded health-probe results, by the monitor's own
 * rules (a site goes down at the {@code failuresBeforeDown}-th consecutive failed check, up again at
 * the {@code successesBeforeUp}-th success), not taken from the monitor's word. Every change detected
 * in the period must have an alert about that site and state ({@code uptime/SITE/DOWN} or
 * {@code /UP}) recorded as delivered on {@code slack} or {@code sms} within {@link #BOUND} of its
 * detection. Kept when every change has one; not kept naming the first change without one (and what
 * was tried, if it failed); no evidence when no site changed state in the period.
 *
 * <p>Stateless and thread-safe.
 */
public final class AvailabilityAlertsCheck implements PromiseCheck {
  /** How soon after a state change is detected its alert must be delivered. */
  static final Duration BOUND = Duration.ofMinutes(5);
  private static final Set<String> CHANNELS = Set.of("slack", "sms");
  private static final int FIRST_VIOLATIONS = 5;

  @Override
  public String name() {
    return "sla.availability-alerts";
  }

  @Override
  public List<Integer> promises() {
    return List.of(4);
  }

  @Override
  public List<Judgement> judge(CheckContext ctx) {
    Optional<String> missing = HistoryAccess.missing(ctx);
    if (missing.isPresent()) {
      return List.of(Judgement.noEvidence(4, missing.get() + " to read health-probe results and alert deliveries from"));
    }
    SlaHistory history = HistoryAccess.open(ctx).orElseThrow();
    UptimePolicy uptime = ctx.policy().section(UptimePolicy.class).orElse(UptimePolicy.defaults());
    Instant from = ctx.period().from();
    Instant to = ctx.period().to();
    List<UptimeHistoryCheck.Transition> changes = new ArrayList<>();
    UptimeHistoryCheck.walkAll(history.probes(from.minus(UptimeHistoryCheck.lookback(uptime)), to), uptime, to,
        new ArrayList<>(), new ArrayList<>(), changes);
    changes.removeIf(c -> !ctx.period().contains(c.detected()));
    changes.sort((a, b) -> a.detected().compareTo(b.detected()));
    List<AlertDeliveryRecord> deliveries = history.deliveries(from, to.plus(BOUND));
    List<Evidence> ev = new ArrayList<>();
    ev.add(Evidence.of("history read", HistoryAccess.where(ctx)));
    ev.add(Evidence.of("state changes in the probe results", changes.size()));
    ev.add(Evidence.of("alert deliveries recorded", deliveries.size() + " (" + deliveries.stream()
        .filter(AlertDeliveryRecord::delivered).count() + " delivered)"));
    ev.add(Evidence.of("bound", "delivered on Slack or SMS within " + HistoryAccess.human(BOUND) + " of the change"));
    if (changes.isEmpty()) {
      return List.of(new Judgement(4, dev.pledge.core.evidence.Verdict.NO_EVIDENCE, "no site changed state in the"
          + " period, so no availability alert was due", ev));
    }
    List<String> violations = new ArrayList<>();
    for (UptimeHistoryCheck.Transition c : changes) {
      String state = c.down() ? "DOWN" : "UP";
      String condition = "uptime/" + c.site().value() + "/" + state;
      List<AlertDeliveryRecord> tried = deliveries.stream().filter(d -> d.condition().equals(condition)
          && !d.at().isBefore(c.detected()) && !d.at().isAfter(c.detected().plus(BOUND))).toList();
      Optional<AlertDeliveryRecord> ok = tried.stream()
          .filter(d -> d.delivered() && CHANNELS.contains(d.channel().toLowerCase(Locale.ROOT))).findFirst();
      String what = c.site() + " " + state.toLowerCase(Locale.ROOT) + " at " + c.detected();
      if (ok.isPresent()) {
        ev.add(Evidence.of(what, "alerted on " + ok.get().channel() + " " + ok.get().destination() + " at "
            + ok.get().at()));
      } else if (tried.isEmpty()) {
        violations.add(what + ": no alert recorded");
      } else {
        AlertDeliveryRecord t = tried.get(0);
        violations.add(what + ": " + (t.delivered() ? "sent on " + t.channel() + ", which is neither Slack nor SMS"
            : t.channel() + " " + t.destination() + " failed: " + t.error()));
      }
    }
    if (!violations.isEmpty()) {
      ev.add(Evidence.of("first violations", String.join("; ", violations.subList(0, Math.min(FIRST_VIOLATIONS,
          violations.size())))));
      return List.of(Judgement.notKept(4, "an availability alert did not reach the team on Slack or SMS: "
          + violations.get(0), ev));
    }
    return List.of(Judgement.kept(4, "every state change of a monitored site in the period was alerted on Slack or SMS"
        + " within " + HistoryAccess.human(BOUND), ev));
  }
}
