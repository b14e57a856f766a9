package dev.pledge.security.ratelimit;

import java.time.Duration;

/**
 * The {@code loginThrottle} section of the policy document (P13): how many consecutive failed logins
 * an account and a source may have, how the back-off grows, and whether a success resets the counts.
 * Every key is optional; an absent key takes the default of {@link LoginThrottle#defaults()}. Turn it
 * into a throttle with {@link LoginThrottle#from(LoginThrottlePolicy)}. Immutable and thread-safe.
 *
 * <pre>{@code
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
 *   normalizeAccounts: true      # NFKC, case fold, trim, invisible characters removed
 *   ipv6SourcePrefix: 64         # an IPv6 source counts by its /64
 *   store: redis://10.0.0.5:6379 # shared by every node; absent: in-process
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
 * @param normalizeAccounts whether account names are normalised before counting ({@link LoginKeys}); default true
 * @param ipv6SourcePrefix the leading bits of an IPv6 source that make its key; 1 to 128; default 64
 * @param store where failures are counted: {@code redis://host:port[/db]} to share them between nodes
 *     ({@code pledge-security-redis}); absent means in this process, the embedded default
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
    Boolean resetOnSuccess,
    Boolean normalizeAccounts,
    Integer ipv6SourcePrefix,
    String store) {

  /** The section without the keying and store settings (their defaults apply). */
  public LoginThrottlePolicy(Integer maxFailuresPerAccount, Integer maxFailuresPerSource, Integer freeFailures,
      Duration baseDelay, Integer backOffFactor, Duration maxDelay, Duration lockout, Duration forgetAfter,
      Boolean resetOnSuccess) {
    this(maxFailuresPerAccount, maxFailuresPerSource, freeFailures, baseDelay, backOffFactor, maxDelay, lockout,
        forgetAfter, resetOnSuccess, null, null, null);
  }

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
    normalizeAccounts = normalizeAccounts == null || normalizeAccounts;
    ipv6SourcePrefix = ipv6SourcePrefix == null ? 64 : ipv6SourcePrefix;
    if (store != null && !store.startsWith("redis://") && !store.startsWith("rediss://")) {
      throw new IllegalArgumentException("store must be a Redis address (redis://host:port[/db]), got '"
          + redacted(store) + "'");
    }
    // the builder validates every value with a message that names the key, as spelled here
    builder(maxFailuresPerAccount, maxFailuresPerSource, freeFailures, baseDelay, backOffFactor, maxDelay, lockout,
        forgetAfter, resetOnSuccess).normalizeAccounts(normalizeAccounts).ipv6SourcePrefix(ipv6SourcePrefix).build();
  }

  /**
   * The section with every default.
   *
   * @return the defaults
   */
  public static LoginThrottlePolicy defaults() {
    return new LoginThrottlePolicy(null, null, null, null, null, null, null, null, null, null, null, null);
  }

  /**
   * The same as {@link #defaults()}.
   *
   * @return the defaults
   * @deprecated Pledge spells it {@code defaults()} everywhere; this older spelling stays for source
   *     compatibility and will be removed.
   */
  @Deprecated
  public static LoginThrottlePolicy ofDefaults() {
    return defaults();
  }

  /** The store address with any password replaced by {@code ***}. */
  static String redacted(String uri) {
    return uri.replaceAll("//[^/@]*@", "//***@");
  }

  @Override
  public String toString() {
    return "LoginThrottlePolicy[maxFailuresPerAccount=" + maxFailuresPerAccount + ", maxFailuresPerSource="
        + maxFailuresPerSource + ", freeFailures=" + freeFailures + ", baseDelay=" + baseDelay + ", backOffFactor="
        + backOffFactor + ", maxDelay=" + maxDelay + ", lockout=" + lockout + ", forgetAfter=" + forgetAfter
        + ", resetOnSuccess=" + resetOnSuccess + ", normalizeAccounts=" + normalizeAccounts + ", ipv6SourcePrefix="
        + ipv6SourcePrefix + ", store=" + (store == null ? null : redacted(store)) + "]";
  }

  /** Where failures are counted; empty means in this process. */
  public java.util.Optional<String> storeAddress() {
    return java.util.Optional.ofNullable(store);
  }

  /**
   * A throttle builder holding this section's values but not its store.
   *
   * @return the builder
   * @deprecated a section does not build components, and this builder leaves the section's {@code
   *     store} out: use {@link LoginThrottle#builder(LoginThrottlePolicy)}
   */
  @Deprecated(since = "0.2.0")
  public LoginThrottle.Builder toBuilder() {
    return builder(maxFailuresPerAccount, maxFailuresPerSource, freeFailures, baseDelay, backOffFactor, maxDelay,
        lockout, forgetAfter, resetOnSuccess).normalizeAccounts(normalizeAccounts).ipv6SourcePrefix(ipv6SourcePrefix);
  }

  private static LoginThrottle.Builder builder(int perAccount, int perSource, int free, Duration base, int factor,
      Duration max, Duration lockout, Duration forget, boolean resetOnSuccess) {
    return LoginThrottle.builder().maxFailuresPerAccount(perAccount).maxFailuresPerSource(perSource)
        .freeFailures(free).baseDelay(base).backOffFactor(factor).maxDelay(max).lockout(lockout)
        .forgetAfter(forget).resetOnSuccess(resetOnSuccess);
  }
}
