package dev.pledge.security.breach;

import dev.pledge.core.audit.AuditOutcome;
import dev.pledge.core.audit.AuditRecord;
import dev.pledge.core.audit.AuditTrail;
import dev.pledge.core.internal.Redaction;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
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
 * <p>Each response is written down in a {@link BreachJournal} as it goes: a step is journaled as
 * started before its action runs and as done once it returns. A response interrupted by a crash is
 * resumed by calling {@link #respond} (or {@link #resume}) again with the same incident id: steps
 * journaled as done are never run again, and only the step the process died in runs a second time,
 * so actions must be idempotent per incident (rotating to a new secret twice is harmless; the
 * built-in actions key their effects by the incident id). Drills are journaled too, so the next
 * drill due survives restarts.
 *
 * <p>Steps run in the policy's order; a failing step is recorded and the next one still runs,
 * because a breach response must not stop at the first broken action. Thread-safe; two processes
 * responding to the same incident at once may both run a step that neither has finished.
 */
public final class BreachRunbook {
  private final BreachPolicy policy;
  private final Clock clock;
  private final AuditTrail audit;
  private final BreachJournal journal;
  private final Map<StepKind, BreachAction> actions;

  private BreachRunbook(Builder b) {
    this.policy = b.policy;
    this.clock = b.clock;
    this.audit = b.audit;
    this.journal = b.journal;
    this.actions = new EnumMap<>(b.actions);
  }

  /**
   * A builder for a runbook that follows the {@code breach} section {@code policy}, to change one
   * thing (a clock, a journal, the actions) before {@link Builder#build()}; the audit trail is required.
   */
  public static Builder builder(BreachPolicy policy) {
    return new Builder(policy);
  }

  /**
   * The runbook the {@code breach} section describes, recording every step in {@code audit}: the
   * policy's trail ({@code AuditTrail.from(document.require(AuditPolicy.class))}), shared by every
   * component, or {@code AuditTrail.inMemory()}/{@code AuditTrail.discarding()} only when meant. It
   * journals in memory and has no actions; use {@link #builder(BreachPolicy)} to add them.
   */
  public static BreachRunbook from(BreachPolicy section, AuditTrail audit) {
    return builder(section).audit(audit).build();
  }

  /**
   * A builder holding every setting of this runbook (policy, clock, audit trail, journal, actions), to
   * change one; the copy shares this runbook's journal.
   */
  public Builder toBuilder() {
    Builder b = builder(policy).clock(clock).audit(audit).journal(journal);
    actions.forEach(b::action);
    return b;
  }

  /** The journal this runbook writes to. */
  public BreachJournal journal() {
    return journal;
  }

  /**
   * Responds to a real breach: runs every step not yet done for this incident and reports. Calling
   * it again for the same incident id resumes the response; a complete response is not run again.
   */
  public BreachReport respond(BreachIncident incident) {
    Objects.requireNonNull(incident, "incident");
    if (incident.drill()) {
      throw new IllegalArgumentException("incident " + incident.id() + " is a drill; use drill()");
    }
    return run(incident);
  }

  /** Resumes the journaled response or drill {@code id} where it stood. */
  public BreachReport resume(String id) {
    BreachJournal.Entry e = journal.entry(id)
        .orElseThrow(() -> new IllegalArgumentException("no response or drill '" + id + "' in the journal"));
    return run(e.incident());
  }

  /** Rehearses the protocol (P32): runs every step in drill mode and journals the drill. */
  public BreachReport drill(String id) {
    return run(new BreachIncident(id, now(), "quarterly breach-response drill", true));
  }

  /** The finished drills, oldest first, from the journal. */
  public List<BreachReport> drills() {
    return journal.entries().stream().filter(e -> e.incident().drill() && e.finished()).map(this::report).toList();
  }

  /** The responses and drills not finished yet (interrupted), oldest first. */
  public List<BreachJournal.Entry> open() {
    return journal.entries().stream().filter(e -> !e.finished()).toList();
  }

  /** When the last complete drill ran, if any, from the journal. */
  public Optional<Instant> lastDrill() {
    return journal.entries().stream().filter(e -> e.incident().drill() && e.finished() && e.complete())
        .map(e -> e.incident().detectedAt()).max(Instant::compareTo);
  }

  /**
   * When the next drill is due: {@code drillEvery} after the last complete one (calendar
   * arithmetic in UTC), or now if there has been none.
   */
  public Instant nextDrillDue() {
    return lastDrill().map(t -> t.atZone(ZoneOffset.UTC).plus(policy.drillEvery()).toInstant())
        .orElse(now());
  }

  /**
   * When the supervisory authority must have been notified of {@code incident}: its detection plus
   * the policy's {@code notifyRegulatorWithin} (GDPR Art. 33: 72 hours).
   */
  public Instant regulatorDeadline(BreachIncident incident) {
    return incident.detectedAt().plus(policy.notifyRegulatorWithin());
  }

  /** Whether a drill is overdue now (P32). */
  public boolean drillOverdue() {
    Instant now = now();
    return lastDrill().isEmpty() || now.isAfter(nextDrillDue());
  }

  private BreachReport report(BreachJournal.Entry e) {
    List<BreachReport.StepResult> ordered = new ArrayList<>();
    for (BreachPolicy.Step step : policy.steps()) {
      e.step(step.step()).ifPresent(ordered::add);
    }
    return new BreachReport(e.incident(), ordered, e.customersNotifiedAt(), policy.notifyCustomersWithin());
  }

  private BreachReport run(BreachIncident asked) {
    BreachJournal.Entry entry = journal.begin(asked, now());
    BreachIncident incident = entry.incident();
    if (entry.finished() && entry.complete()) {
      return report(entry);
    }
    List<BreachReport.StepResult> results = new ArrayList<>();
    Instant notified = entry.customersNotifiedAt();
    for (BreachPolicy.Step step : policy.steps()) {
      Optional<BreachReport.StepResult> before = entry.step(step.step());
      if (before.isPresent() && before.get().status() == BreachReport.StepResult.Status.DONE) {
        results.add(before.get());
        if (step.step() == StepKind.NOTIFY_CUSTOMERS) {
          notified = before.get().endedAt();
        }
        continue;
      }
      Instant start = now();
      journal.stepStarted(incident.id(), step.step(), start);
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
          detail = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        }
      }
      detail = Redaction.message(detail); // a failing action may quote a URL with its password: never journaled or audited
      Instant end = now();
      if (step.step() == StepKind.NOTIFY_CUSTOMERS && status == BreachReport.StepResult.Status.DONE) {
        notified = end;
      }
      BreachReport.StepResult r = new BreachReport.StepResult(step.step(), step.required(), status, start, end, detail);
      journal.stepFinished(incident.id(), r);
      results.add(r);
      audit.record(new AuditRecord(end, "breach-runbook", incident.drill() ? "breach.drill.step" : "breach.step",
          incident.id(), status == BreachReport.StepResult.Status.DONE ? AuditOutcome.SUCCESS : AuditOutcome.FAILURE,
          null, Map.of("step", step.step().name(), "promise", step.step().promise(), "detail", detail,
              "resumed", String.valueOf(before.isPresent()))));
    }
    BreachReport report = new BreachReport(incident, results, notified, policy.notifyCustomersWithin());
    journal.finish(incident.id(), now(), report.complete(), notified);
    audit.record(new AuditRecord(now(), "breach-runbook", incident.drill() ? "breach.drill" : "breach.respond",
        incident.id(), report.complete() ? AuditOutcome.SUCCESS : AuditOutcome.FAILURE, null,
        Map.of("notifiedInTime", String.valueOf(report.notifiedInTime()))));
    return report;
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MILLIS);
  }

  /** Builds a {@link BreachRunbook}. Not thread-safe. */
  public static final class Builder {
    private final BreachPolicy policy;
    private final Map<StepKind, BreachAction> actions = new EnumMap<>(StepKind.class);
    private Clock clock = Clock.systemUTC();
    private AuditTrail audit;
    private BreachJournal journal;

    private Builder(BreachPolicy policy) {
      this.policy = Objects.requireNonNull(policy, "policy");
    }

    /** The action that carries out {@code step}; it must be idempotent per incident id. */
    public Builder action(StepKind step, BreachAction action) {
      actions.put(Objects.requireNonNull(step, "step"), Objects.requireNonNull(action, "action"));
      return this;
    }

    /** The clock (default: system UTC). */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Where every step is recorded; required (P14, P20). Normally the policy's trail; {@code
     * AuditTrail.inMemory()} or {@code AuditTrail.discarding()} only when the caller means it.
     */
    public Builder audit(AuditTrail audit) {
      this.audit = Objects.requireNonNull(audit, "audit");
      return this;
    }

    /** Where responses and drills are journaled (default: {@link BreachJournal#inMemory()}). */
    public Builder journal(BreachJournal journal) {
      this.journal = Objects.requireNonNull(journal, "journal");
      return this;
    }

    /**
     * The runbook.
     *
     * @throws IllegalStateException when no audit trail was set
     */
    public BreachRunbook build() {
      if (audit == null) {
        throw new IllegalStateException("breach runbook has no audit trail: set audit(...) to the policy's trail "
            + "(AuditTrail.from(policy's audit section)), or name AuditTrail.inMemory() or AuditTrail.discarding() "
            + "explicitly");
      }
      if (journal == null) {
        journal = BreachJournal.inMemory();
      }
      return new BreachRunbook(this);
    }
  }
}
