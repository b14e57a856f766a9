package dev.pledge.sla.internal;

import dev.pledge.core.evidence.CheckContext;
import dev.pledge.core.evidence.Evidence;
import dev.pledge.core.evidence.Judgement;
import dev.pledge.core.evidence.PromiseCheck;
import dev.pledge.sla.oncall.OnCallPolicy;
import dev.pledge.sla.oncall.OnCallSchedule;
import dev.pledge.sla.oncall.ScheduleException;
import dev.pledge.sla.oncall.WeeklyRotation;
import java.time.Instant;
import java.util.List;

/**
 * Judges P38 from the on-call schedule in force at the end of the period: every out-of-hours minute
 * of the next {@code coverWeeks} weeks is covered, by operations engineers only, with a weekly
 * handoff. Stateless and thread-safe.
 */
public final class OnCallCheck implements PromiseCheck {

  @Override
  public String name() {
    return "sla.oncall";
  }

  @Override
  public List<Integer> promises() {
    return List.of(38);
  }

  @Override
  public List<Judgement> judge(CheckContext ctx) {
    OnCallPolicy oncall = ctx.policy().section(OnCallPolicy.class).orElse(null);
    if (oncall == null) {
      return List.of(Judgement.noEvidence(38, "the policy has no on-call schedule"));
    }
    Instant at = ctx.period().to();
    OnCallSchedule schedule = OnCallSchedule.from(oncall);
    List<WeeklyRotation.Handoff> handoffs = schedule.nextHandoffs(at, 2);
    String onCall = schedule.onCall(at).map(e -> e.name() + (e.operations() ? "" : " (not operations)")).orElse("nobody");
    String problem = null;
    try {
      schedule.validate(at, oncall.coverWeeks());
    } catch (ScheduleException e) {
      problem = e.getMessage();
    }
    List<Evidence> ev = List.of(Evidence.of("judged at", at),
        Evidence.of("on call then", onCall),
        Evidence.of("weeks checked", oncall.coverWeeks()),
        Evidence.of("operations engineers", String.join(", ", oncall.engineers().stream()
            .filter(m -> m.role() == OnCallPolicy.Role.OPERATIONS).map(OnCallPolicy.Member::id).toList())),
        Evidence.of("next handoffs", String.join(", ", handoffs.stream().map(h -> h.at() + " " + h.from() + " to " + h.to())
            .toList())),
        Evidence.of("first gap or ineligible engineer", problem == null ? "none" : problem));
    return List.of(Judgement.judged(38, problem == null,
        "the next " + oncall.coverWeeks() + " weeks out of hours are covered by operations engineers, handed over weekly",
        "the on-call schedule does not hold: " + problem, ev));
  }

}
