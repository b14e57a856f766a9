package dev.pledge.security.breach;

/** The steps of the breach protocol, with the promise each keeps. */
public enum StepKind {
  /** All customers are notified as soon as the breach is known (P28). */
  NOTIFY_CUSTOMERS("P28"),
  /** External access keys are revoked and regenerated (P29). */
  REVOKE_EXTERNAL_KEYS("P29"),
  /** Clients are required to reset their passwords (P30). */
  FORCE_PASSWORD_RESET("P30"),
  /** All cloud credentials are reset (P31). */
  RESET_CLOUD_CREDENTIALS("P31"),
  /** Data-store credentials are changed (P31). */
  ROTATE_DATASTORE_CREDENTIALS("P31");

  private final String promise;

  StepKind(String promise) {
    this.promise = promise;
  }

  /** The promise this step keeps, such as {@code P28}. */
  public String promise() {
    return promise;
  }
}
