package dev.pledge.security.breach;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What a response (or a drill) did, step by step, measured against the policy (P28-P32).
 *
 * @param incident the incident
 * @param steps each step's result, in protocol order
 * @param customersNotifiedAt when customers were notified, if they were
 * @param notifyWithin the policy's limit for notifying customers
 */
public record BreachReport(
    BreachIncident incident, List<StepResult> steps, Instant customersNotifiedAt, Duration notifyWithin) {

  /** Copies the steps. */
  public BreachReport {
    steps = List.copyOf(steps);
  }

  /** How long after detection customers were notified, if they were. */
  public Optional<Duration> notifiedAfter() {
    return Optional.ofNullable(customersNotifiedAt).map(t -> Duration.between(incident.detectedAt(), t));
  }

  /** Whether customers were notified within the policy's limit (P28). */
  public boolean notifiedInTime() {
    return notifiedAfter().map(d -> d.compareTo(notifyWithin) <= 0).orElse(false);
  }

  /** Whether every required step was done and customers were notified in time. */
  public boolean complete() {
    return notifiedInTime() && steps.stream().allMatch(s -> s.status() == StepResult.Status.DONE || !s.required());
  }

  /**
   * One step's result.
   *
   * @param step the step
   * @param required whether the policy requires it
   * @param status how it ended
   * @param startedAt when it started
   * @param endedAt when it ended
   * @param detail what the action said it did, or why it failed
   */
  public record StepResult(StepKind step, boolean required, Status status, Instant startedAt, Instant endedAt,
      String detail) {

    /** How a step ended. */
    public enum Status {
      /** The action ran and said what it did. */
      DONE,
      /** The action threw. */
      FAILED,
      /** The host application registered no action for the step. */
      NOT_CONFIGURED,
      /** The step started and never finished: the process stopped in it; a resumed response runs it again. */
      STARTED
    }
  }
}
