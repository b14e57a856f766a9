package dev.pledge.examples.report;

/** Where a promise stands in a compliance report. */
public enum PromiseStatus {
  /** Kept, with the evidence the run measured. */
  KEPT,
  /** Not kept, with the reason. */
  NOT_KEPT,
  /** Not something software can keep or prove here, with the reason. */
  NOT_APPLICABLE
}
