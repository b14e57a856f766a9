package dev.pledge.security.totp;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Remembers which time steps an account has used, so that a TOTP code accepted once is never
 * accepted again (P26). Implementations must be thread-safe and atomic per account; back it with a
 * shared store when several servers verify codes.
 */
public interface ReplayGuard {

  /**
   * Records that {@code account} used the code of {@code timeStep}. Answers {@code false}, and records
   * nothing, when that step or a later one was already used by the account.
   */
  boolean tryUse(String account, long timeStep);

  /** In-memory: keeps the last used step per account, lost when the process ends. */
  static ReplayGuard inMemory() {
    ConcurrentHashMap<String, Long> last = new ConcurrentHashMap<>();
    return (account, step) -> {
      boolean[] ok = new boolean[1];
      last.compute(account, (k, prev) -> {
        if (prev == null || step > prev) {
          ok[0] = true;
          return step;
        }
        return prev;
      });
      return ok[0];
    };
  }
}
