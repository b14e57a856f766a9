package dev.pledge.security.access;

import java.time.Instant;

/**
 * Says who is on call, so that the access policy may approve the on-call operations engineer's
 * request for production access without a second person (P15 with P38). The host backs it with its
 * on-call schedule (for example the {@code sla} module's rotation); security depends on no schedule.
 * Implementations must be thread-safe.
 */
@FunctionalInterface
public interface OnCall {

  /** Whether {@code account} is the operations engineer on call at {@code at}. */
  boolean isOnCall(String account, Instant at);

  /** Nobody is ever on call: every production request needs an approver. */
  static OnCall nobody() {
    return (account, at) -> false;
  }
}
