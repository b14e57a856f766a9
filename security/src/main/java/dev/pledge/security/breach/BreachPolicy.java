package dev.pledge.security.breach;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Duration;
import java.time.Period;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The {@code breach} section of the policy document: the response protocol and its rehearsal
 * (P28-P32). Immutable.
 *
 * <pre>{@code
 * breach:
 *   notifyCustomersWithin: 24h      # P28: all customers, as soon as the breach is known
 *   notifyRegulatorWithin: 72h      # GDPR Art. 33: the supervisory authority within 72 hours
 *   drillEvery: 3 months            # P32: rehearsed every quarter
 *   steps:                          # in order
 *     - step: NOTIFY_CUSTOMERS
 *     - step: REVOKE_EXTERNAL_KEYS
 *     - step: FORCE_PASSWORD_RESET
 *       required: false             # P30: clients "may be required" to reset
 *     - step: RESET_CLOUD_CREDENTIALS
 *     - step: ROTATE_DATASTORE_CREDENTIALS
 *   journal: file:breach            # where responses and drills are journaled; the report reads it
 * }</pre>
 *
 * @param notifyCustomersWithin how soon after detection every customer must be notified (P28)
 * @param notifyRegulatorWithin how soon after detection the supervisory authority must be notified
 *     (GDPR Art. 33: 72 hours, the default)
 * @param drillEvery how often the response is rehearsed (P32); a calendar period
 * @param steps the protocol's steps in order; defaults to the five of the document
 */
public record BreachPolicy(Duration notifyCustomersWithin, Period drillEvery, List<Step> steps,
    Duration notifyRegulatorWithin, String journal) {

  /** Validates the section and applies the document's defaults. */
  public BreachPolicy {
    notifyCustomersWithin = notifyCustomersWithin == null ? Duration.ofHours(24) : notifyCustomersWithin;
    drillEvery = drillEvery == null ? Period.ofMonths(3) : drillEvery;
    notifyRegulatorWithin = notifyRegulatorWithin == null ? Duration.ofHours(72) : notifyRegulatorWithin;
    if (notifyRegulatorWithin.isNegative() || notifyRegulatorWithin.isZero()) {
      throw new IllegalArgumentException("notifyRegulatorWithin must be greater than zero, got " + notifyRegulatorWithin);
    }
    steps = steps == null ? defaultSteps() : List.copyOf(steps);
    if (steps.isEmpty()) {
      throw new IllegalArgumentException("steps must list at least one step");
    }
    Set<StepKind> seen = EnumSet.noneOf(StepKind.class);
    for (Step s : steps) {
      if (!seen.add(s.step())) {
        throw new IllegalArgumentException("steps: " + s.step() + " is listed twice");
      }
    }
    if (!seen.contains(StepKind.NOTIFY_CUSTOMERS)) {
      throw new IllegalArgumentException("steps must include NOTIFY_CUSTOMERS (P28)");
    }
    if (journal != null && !(journal.startsWith("file:") && journal.length() > 5) && !journal.startsWith("jdbc:")) {
      throw new IllegalArgumentException("journal must be file:DIR or a jdbc: URL, got '"
          + (journal.startsWith("jdbc") ? "jdbc..." : journal) + "'");
    }
  }

  /** The section without a journal named for the report. */
  public BreachPolicy(Duration notifyCustomersWithin, Period drillEvery, List<Step> steps,
      Duration notifyRegulatorWithin) {
    this(notifyCustomersWithin, drillEvery, steps, notifyRegulatorWithin, null);
  }

  /** The section without a regulator deadline of its own (72 hours). */
  public BreachPolicy(Duration notifyCustomersWithin, Period drillEvery, List<Step> steps) {
    this(notifyCustomersWithin, drillEvery, steps, null, null);
  }

  /** The document's protocol. */
  public static BreachPolicy defaults() {
    return new BreachPolicy(null, null, null, null, null);
  }

  private static List<Step> defaultSteps() {
    return List.of(new Step(StepKind.NOTIFY_CUSTOMERS, true), new Step(StepKind.REVOKE_EXTERNAL_KEYS, true),
        new Step(StepKind.FORCE_PASSWORD_RESET, false), new Step(StepKind.RESET_CLOUD_CREDENTIALS, true),
        new Step(StepKind.ROTATE_DATASTORE_CREDENTIALS, true));
  }

  /**
   * One step of the protocol.
   *
   * @param step what the step does
   * @param required whether the response is incomplete without it (default true)
   */
  public record Step(@JsonProperty(required = true) StepKind step, Boolean required) {

    /** Validates the step. */
    public Step {
      Objects.requireNonNull(step, "step");
      required = required == null || required;
    }
  }
}
