package dev.pledge.security.ratelimit;

import java.time.Duration;
import java.util.Objects;

/**
 * Where a {@link LoginThrottle} counts consecutive failed logins when the counts must be shared by
 * every node and survive restarts (P13): {@code RedisLoginFailureStore} in
 * {@code pledge-security-redis}, chosen by {@code loginThrottle.store}. Without one the throttle counts
 * in its own bounded tables. Keys arrive already normalised ({@link LoginKeys}).
 *
 * <p>Each call is one atomic step on the store, on the store's own clock (nodes' clocks may differ),
 * within the implementation's timeout; a store that cannot answer in time throws
 * {@link dev.pledge.security.store.StoreUnavailableException} and the throttle applies its failure
 * mode. Implementations are thread-safe.
 */
public interface LoginFailureStore extends AutoCloseable {

  /**
   * Consecutive failures of an account and of a source, and how long ago each one's last failure was.
   *
   * @param accountFailures the account's consecutive failures (0 when none are remembered)
   * @param sinceAccountFailure time since the account's last failure (zero when none)
   * @param sourceFailures the source's consecutive failures
   * @param sinceSourceFailure time since the source's last failure
   */
  record Counts(int accountFailures, Duration sinceAccountFailure, int sourceFailures, Duration sinceSourceFailure) {
    /** Validates the counts. */
    public Counts {
      Objects.requireNonNull(sinceAccountFailure, "sinceAccountFailure");
      Objects.requireNonNull(sinceSourceFailure, "sinceSourceFailure");
    }
  }

  /** Adds one failure to the account and to the source, remembered for {@code forgetAfter}; the counts after it. */
  Counts recordFailure(String account, String source, Duration forgetAfter);

  /** The counts now, changing nothing. */
  Counts read(String account, String source);

  /** Forgets the account's and the source's failures; the counts forgotten. */
  Counts clear(String account, String source);

  /** Forgets an account's failures; how many there were. */
  int clearAccount(String account);

  /** Forgets a source's failures; how many there were. */
  int clearSource(String source);

  /** Releases the connection; the store's data stays. */
  @Override
  void close();
}
