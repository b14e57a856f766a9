package dev.pledge.examples.report;

/** Where a promise stands in a compliance report. */
public enum PromiseStatus {
  /** Kept, with the evidence that proves it. */
  KEPT,
  /** Not kept, with the reason and the evidence that shows it. */
  NOT_KEPT,
  /** Nothing measured it: the report cannot claim it is kept. */
  NO_EVIDENCE,
  /** The measurement itself failed (it threw), naming the exception: the promise could not be judged. */
  ERROR,
  /** Not something software can keep or prove here, with the reason. */
  NOT_APPLICABLE;

  /** True for every status but {@link #KEPT}: the promises a report lists as failing. */
  public boolean failing() {
    return this != KEPT;
  }
}
