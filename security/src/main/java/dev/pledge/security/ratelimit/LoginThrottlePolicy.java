package dev.pledge.security.ratelimit;

import java.time.Duration;

/**
 * The {@code loginThrottle} section of the policy document (P13): how many consecutive failed logins
 * an account and a source may have, how the back-off grows, and whether a success resets the counts.
 * Every key is optional; an absent key takes the default of {@link LoginThrottle#ofDefaults()}. Turn it
 * into a throttle with {@link LoginThrottle#from(LoginThrottlePolicy)}. Immutable and thread-safe.
 *
 * <pre>{@code lang=yaml :
 * loginThrottle:
 *   maxFailuresPerAccount: 100   # NIST SP 800-63B's ceiling
 *   maxFailuresPerSource: 100
 *   freeFailures: 5
 *   baseDelay: 1s                # the first back-off
 *   backOffFactor: 2             # each further failure multiplies it
 *   maxDelay: 15 minutes
 *   lockout: 24 hours            # after the maximum, until a success or a reset
 *   forgetAfter: 24 hours        # failures older than this are forgotten
 *   resetOnSuccess: true
 * }</pre>
 *
 * @param maxFailuresPerAccount consecutive failures that lock an account out; 1 to 100
 * @param maxFailuresPerSource consecutive failures that lock a source out; 1 to 100,000
 * @param freeFailures failures before any back-off; 0 up to the smaller maximum
 * @param baseDelay the first back-off
 * @param backOffFactor how much each further failure multiplies the back-off; 1 to 10
 * @param maxDelay the longest back-off before the lockout; at least {@code baseDelay}
 * @param lockout how long the maximum locks out
 * @param forgetAfter how long failures are remembered after the last one
 * @param resetOnSuccess whether a successful login clears the account's and the source's failures
 */
public record LoginThrottlePolicy(
    Integer maxFailuresPerAccount,
    Integer maxFailuresPerSource,
    Integer freeFailures,
    Duration baseDelay,
    Integer backOffFactor,
    Duration maxDelay,
    Duration lockout,
    Duration forgetAfter,
    Boolean resetOnSuccess) {

  /** Fills absent keys with the defaults and validates every value, naming the key. */
  public LoginThrottlePolicy {
    maxFailuresPerAccount = maxFailuresPerAccount == null ? 100 : maxFailuresPerAccount;
    maxFailuresPerSource = maxFailuresPerSource == null ? 100 : maxFailuresPerSource;
    freeFailures = freeFailures == null ? 5 : freeFailures;
    baseDelay = baseDelay == null ? Duration.ofSeconds(1) : baseDelay;
    backOffFactor = backOffFactor == null ? 2 : backOffFactor;
    maxDelay = maxDelay == null ? Duration.ofMinutes(15) : maxDelay;
    lockout = lockout == null ? Duration.ofHours(24) : lockout;
    forgetAfter = forgetAfter == null ? Duration.ofHours(24) : forgetAfter;
    resetOnSuccess = resetOnSuccess == null || resetOnSuccess;
    // the builder validates every value with a message that names the key, as spelled here
    builder(maxFailuresPerAccount, maxFailuresPerSource, freeFailures, baseDelay, backOffFactor, maxDelay, lockout,
        forgetAfter, resetOnSuccess).build();
  }

  /** The section with every default. */
  public static LoginThrottlePolicy ofDefaults() {
    return new LoginThrottlePolicy(null, null, null, null, null, null, null, null, null);
  }

  /** A throttle builder holding this section's values, for adding a ticker, a clock or a table size. */
  public LoginThrottle.Builder toBuilder() {
    return builder(maxFailuresPerAccount, maxFailuresPerSource, freeFailures, baseDelay, backOffFactor, maxDelay,
        lockout, forgetAfter, resetOnSuccess);
  }

  private static LoginThrottle.Builder builder(int perAccount, int perSource, int free, Duration base, int factor,
      Duration max, Duration lockout, Duration forget, boolean resetOnSuccess) {
    return LoginThrottle.builder().maxFailuresPerAccount(perAccount).maxFailuresPerSource(perSource)
        .freeFailures(free).baseDelay(base).backOffFactor(factor).maxDelay(max).lockout(lockout)
        .forgetAfter(forget).resetOnSuccess(resetOnSuccess);
  }
}
