package dev.pledge.security.access;

/** Where a grant stands in the store. A grant leaves {@link #ACTIVE} once, for one of the others. */
public enum GrantStatus {
  /** In force until its end (P15, P17). */
  ACTIVE,
  /** Ended early by a person (P17). */
  REVOKED,
  /** Ended because its time was up (P15, P17). */
  EXPIRED,
  /** Ended because its holder left (P18). */
  OFFBOARDED
}
