package dev.pledge.core.audit;

/** How an audited action ended. */
public enum AuditOutcome {
  /** The action was carried out. */
  SUCCESS,
  /** The action was attempted and failed. */
  FAILURE,
  /** The action was refused by policy (an access rule, the environment guard, a rate limit). */
  DENIED
}
