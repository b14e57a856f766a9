package dev.pledge.security.breach;

import dev.pledge.core.audit.AuditOutcome;
import dev.pledge.core.audit.AuditRecord;
import dev.pledge.core.audit.AuditTrail;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Runs the breach protocol of the policy (P28-P31) with the host application's actions, and keeps
 * the record of rehearsals (P32). Every step and every drill is audited.
 *
 * <p>Steps run in the policy's order; a failing step is recorded and the next one still runs,
 * because a breach response must not stop at the first broken action. Thread-safe.
 */
public final class BreachRunbook {
  private final BreachPolicy policy;
  private final Clock clock;
  private final AuditTrail audit;
  private final Map<StepKind, BreachAction> actions;
  private final List<BreachReport> drills = new ArrayList<>();

  private BreachRunbook(Builder b) {
    this.policy = b.policy;
    this.clock = b.clock;
    this.audit = b.audit;
    this.actions = new EnumMap<>(b.actions);
  }

  /** A builder for a runbook that follows {@code policy}. */
  public static Builder builder(BreachPolicy policy) {
    return new Builder(policy);
  }

  /** Responds to a real breach: runs every step and reports. */
  public BreachReport respond(BreachIncident incident) {
    Objects.requireNonNull(incident, "incident");
    if (incident.drill()) {
      throw new IllegalArgumentException("incident " + incident.id() + " is a drill; use drill()");
    }
    return run(incident);
  }

  /** Rehearses the protocol (P32): runs every step in drill mode and records the drill. */
  public synchronized BreachReport drill(String id) {
    BreachReport r = run(new BreachIncident(id, clock.instant(), "quarterly breach-response drill", true));
    drills.add(r);
    return r;
  }

  /** The drills run so far, oldest first. */
  public synchronized List<BreachReport> drills() {
    return List.copyOf(drills);
  }

  /** When the last complete drill ran, if any. */
  public synchronized Optional<Instant> lastDrill() {
    return drills.stream().filter(BreachReport::complete).map(r -> r.incident().detectedAt())
        .reduce((a, b) -> b);
  }

  /**
   * When the next drill is due: {@code drillEvery} after the last complete one (calendar
   * arithmetic in UTC), or now if there has been none.
   */
  public Instant nextDrillDue() {
    return lastDrill().map(t -> t.atZone(ZoneOffset.UTC).plus(policy.drillEvery()).toInstant())
        .orElse(clock.instant());
  }

  /** Whether a drill is overdue now (P32). */
  public boolean drillOverdue() {
    Instant now = clock.instant();
    return lastDrill().isEmpty() || now.isAfter(nextDrillDue());
  }

  private BreachReport run(BreachIncident incident) {
    List<BreachReport.StepResult> results = new ArrayList<>();
    Instant notified = null;
    for (BreachPolicy.Step step : policy.steps()) {
      Instant start = clock.instant();
      BreachAction action = actions.get(step.step());
      BreachReport.StepResult.Status status;
      String detail;
      if (action == null) {
        status = BreachReport.StepResult.Status.NOT_CONFIGURED;
        detail = "no action registered for " + step.step();
      } else {
        try {
          detail = Objects.requireNonNullElse(action.perform(incident), "");
          status = BreachReport.StepResult.Status.DONE;
        } catch (Exception e) {
          status = BreachReport.StepResult.Status.FAILED;
          detail = e.getClass().getSimpleName() + ": " + e.getMessage();
        }
      }
      Instant end = clock.instant();
      if (step.step() == StepKind.NOTIFY_CUSTOMERS && status == BreachReport.StepResult.Status.DONE) {
        notified = end;
      }
      results.add(new BreachReport.StepResult(step.step(), step.required(), status, start, end, detail));
      audit.record(new AuditRecord(end, "breach-runbook", incident.drill() ? "breach.drill.step" : "breach.step",
          incident.id(), status == BreachReport.StepResult.Status.DONE ? AuditOutcome.SUCCESS : AuditOutcome.FAILURE,
          null, Map.of("step", step.step().name(), "promise", step.step().promise(), "detail", detail)));
    }
    BreachReport report = new BreachReport(incident, results, notified, policy.notifyCustomersWithin());
    audit.record(new AuditRecord(clock.instant(), "breach-runbook", incident.drill() ? "breach.drill" : "breach.respond",
        incident.id(), report.complete() ? AuditOutcome.SUCCESS : AuditOutcome.FAILURE, null,
        Map.of("notifiedInTime", String.valueOf(report.notifiedInTime()))));
    return report;
  }

  /** Builds a {@link BreachRunbook}. Not thread-safe. */
  public static final class Builder {
    private final BreachPolicy policy;
    private final Map<StepKind, BreachAction> actions = new EnumMap<>(StepKind.class);
    private Clock clock = Clock.systemUTC();
    private AuditTrail audit = AuditTrail.inMemory();

    private Builder(BreachPolicy policy) {
      this.policy = Objects.requireNonNull(policy, "policy");
    }

    /** The action that carries out {@code step}. */
    public Builder action(StepKind step, BreachAction action) {
      actions.put(Objects.requireNonNull(step, "step"), Objects.requireNonNull(action, "action"));
      return this;
    }

    /** The clock (default: system UTC). */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** Where every step is recorded (default: in memory). */
    public Builder audit(AuditTrail audit) {
      this.audit = Objects.requireNonNull(audit, "audit");
      return this;
    }

    /** The runbook. */
    public BreachRunbook build() {
      return new BreachRunbook(this);
    }
  }
}
