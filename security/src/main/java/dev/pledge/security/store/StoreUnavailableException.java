package dev.pledge.security.store;

import dev.pledge.core.PledgeException;

/**
 * A shared store (Redis, a database) did not answer within the caller's timeout, or is unreachable.
 * The message names the store's host and port, never a password. Callers that hold a failure mode
 * (fail open, fail closed, decide locally) apply it; others report exit status 3.
 */
public class StoreUnavailableException extends PledgeException {
  private static final long serialVersionUID = 1L;

  /** An exception naming what was unavailable and why. */
  public StoreUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }

  /** An exception naming what was unavailable. */
  public StoreUnavailableException(String message) {
    super(message);
  }
}
