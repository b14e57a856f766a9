package dev.pledge.core.evidence;

/** What a {@link PromiseCheck} concluded about one promise over a period. */
public enum Verdict {
  /** The evidence shows the promise kept over the whole period. */
  KEPT,
  /** The evidence shows at least one violation; the judgement lists the first ones. */
  NOT_KEPT,
  /** There was nothing to read: the deployment holds no evidence either way. */
  NO_EVIDENCE,
  /** The check itself failed (it threw); the judgement names the exception. */
  ERROR
}
