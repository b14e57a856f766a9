package dev.pledge.security.ratelimit;

import dev.pledge.core.event.EventListener;
import dev.pledge.core.event.EventPublisher;
import dev.pledge.core.event.PledgeEvent;
import dev.pledge.core.time.Ticker;
import dev.pledge.security.ratelimit.internal.KeyTable;
import dev.pledge.security.store.StoreProvider;
import dev.pledge.security.store.StoreUnavailableException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Login throttling against password guessing (P13): counts consecutive failed logins per account and
 * per source (an IP address, a device), imposes a growing back-off after a few free failures, and
 * blocks an account or source outright after {@code maxFailures} consecutive failures (default 100,
 * the ceiling NIST SP 800-63B sets) until a success, {@link #reset} or {@code lockout} passes.
 *
 * <p>Keys: accounts are normalised and IPv6 sources grouped by network ({@link LoginKeys}), so
 * {@code Alice}, {@code ALICE} and {@code alice } are one account and the addresses of one /64 one
 * source. Events name the keys as counted.
 *
 * <p>Use: {@link #check} before verifying the password (answer "try later" when not allowed, without
 * verifying), then {@link #recordFailure} or {@link #recordSuccess}. A success resets the account's and
 * the source's counts.
 *
 * <p>Configure it in code or from the policy document's {@code loginThrottle} section
 * ({@link #from(LoginThrottlePolicy)}). Lockouts and resets are published as events
 * ({@link #onLockedOut}, {@link #onReset}).
 *
 * <p>Flood resistance: counters live in two tables (accounts, sources) of at most
 * {@link Builder#maximumKeys} entries each (default 1,000,000). Failures are forgotten
 * {@code forgetAfter} after the last one. To make room for a new key, only entries that carry no
 * penalty are dropped: failures already forgotten, or no more than {@code freeFailures}. An account or
 * source in back-off or locked out is never dropped for a newcomer, so no flood of new accounts or
 * sources can lift a lockout; when a table holds only penalised entries, the newcomer is the one
 * throttled ({@link Metrics#refusedForFullTable()} counts it) until failures are forgotten. Memory per
 * tracked account or source: one {@code ConcurrentHashMap} node (32 bytes), its share of the bucket
 * array (4 to 8 bytes) and a 24-byte counter, about 64 bytes, plus the key string.
 *
 * <p>Thread-safe: a decision reads two tables without a lock; a failure updates each entry
 * atomically. Account names are keys only; the throttle never logs them.
 */
public final class LoginThrottle implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LoginThrottle.class);
  private final int maxAccountFailures;
  private final int maxSourceFailures;
  private final int freeFailures;
  private final long lockoutNanos;
  private final boolean resetOnSuccess;
  /** The back-off after n consecutive failures, for n up to the larger maximum (then the lockout applies). */
  private final long[] delays;
  private final Ticker ticker;
  private final Clock clock;
  private final long forgetNanos;
  private final long refusedRetryNanos;
  private final KeyTable<String, Failures> accounts;
  private final KeyTable<String, Failures> sources;
  private final LoginKeys keys;
  private final LoginFailureStore store;
  private final boolean ownsStore;
  private final RedisFailureMode failureMode;
  private final AtomicReference<Instant> downSince = new AtomicReference<>();
  private final EventPublisher<LoginStoreFallback> fallbacks = EventPublisher.create();
  private final EventPublisher<LoginStoreRecovered> recoveries = EventPublisher.create();
  private final EventPublisher<LoginLockedOut> lockouts = EventPublisher.create();
  private final EventPublisher<LoginThrottleReset> resets = EventPublisher.create();

  /** Who a count of failures belongs to. */
  public enum Subject {
    /** The account whose password was tried. */
    ACCOUNT,
    /** Where the attempts come from (an IP address, a device). */
    SOURCE
  }

  /** Why failures were cleared. */
  public enum ResetReason {
    /** A successful login ({@link #recordSuccess}). */
    SUCCESS,
    /** An administrator's {@link #reset}. */
    ADMINISTRATOR
  }

  /**
   * Published when an account or a source reaches its maximum of consecutive failures and is locked
   * out. The key is an account name or a source address, which are identifiers, not secrets.
   *
   * @param subject whether an account or a source is locked out
   * @param key the account name or the source
   * @param failures the consecutive failures reached
   * @param lockout how long the lockout lasts unless reset
   * @param occurredAt when, by the throttle's clock
   */
  public record LoginLockedOut(Subject subject, String key, int failures, Duration lockout, Instant occurredAt)
      implements PledgeEvent {
    /** Validates the event. */
    public LoginLockedOut {
      Objects.requireNonNull(subject, "subject");
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(lockout, "lockout");
      Objects.requireNonNull(occurredAt, "occurredAt");
    }
  }

  /**
   * Published when failures of an account or a source are cleared (a success or an administrator).
   *
   * @param subject whether an account's or a source's failures were cleared
   * @param key the account name or the source
   * @param failuresCleared the consecutive failures forgotten (at least 1)
   * @param reason why
   * @param occurredAt when, by the throttle's clock
   */
  public record LoginThrottleReset(Subject subject, String key, int failuresCleared, ResetReason reason,
      Instant occurredAt) implements PledgeEvent {
    /** Validates the event. */
    public LoginThrottleReset {
      Objects.requireNonNull(subject, "subject");
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(reason, "reason");
      Objects.requireNonNull(occurredAt, "occurredAt");
    }
  }

  /**
   * Published when the shared store first fails to answer (after answering before): the failure mode
   * decides until {@link LoginStoreRecovered}.
   *
   * @param failureMode what decides meanwhile
   * @param cause what failed, naming the store's host and port, never a password
   * @param occurredAt when, by the throttle's clock
   */
  public record LoginStoreFallback(RedisFailureMode failureMode, String cause, Instant occurredAt) implements PledgeEvent {
    /** Validates the event. */
    public LoginStoreFallback {
      Objects.requireNonNull(failureMode, "failureMode");
      Objects.requireNonNull(cause, "cause");
      Objects.requireNonNull(occurredAt, "occurredAt");
    }
  }

  /**
   * Published when the shared store answers again after a {@link LoginStoreFallback}.
   *
   * @param unavailableFor how long the failure mode decided, by the throttle's clock
   * @param occurredAt when, by the throttle's clock
   */
  public record LoginStoreRecovered(Duration unavailableFor, Instant occurredAt) implements PledgeEvent {
    /** Validates the event. */
    public LoginStoreRecovered {
      Objects.requireNonNull(unavailableFor, "unavailableFor");
      Objects.requireNonNull(occurredAt, "occurredAt");
    }
  }

  /** Consecutive failures and the ticker reading of the last one. */
  private record Failures(int count, long last) {}

  /** How long {@link KeyTable} waits between two sweeps of a full table that free little. */
  static final long SWEEP_INTERVAL_NANOS = 1_000_000_000L;

  /**
   * A snapshot of the throttle's tables.
   *
   * @param accounts accounts with failures held now
   * @param sources sources with failures held now
   * @param maximumKeys the most accounts, and separately sources, held at once
   * @param refusedForFullTable failures of new accounts or sources that found their table full of
   *     penalised entries and were throttled instead of counted
   */
  public record Metrics(long accounts, long sources, long maximumKeys, long refusedForFullTable) {}

  /**
   * The answer to "may this login be attempted now?".
   *
   * @param allowed whether to verify the password at all
   * @param retryAfter when not allowed, the time until it will be; zero otherwise
   * @param accountFailures consecutive failures of the account so far
   * @param sourceFailures consecutive failures from the source so far
   */
  public record LoginDecision(boolean allowed, Duration retryAfter, int accountFailures, int sourceFailures) {
    /** Validates the decision. */
    public LoginDecision {
      Objects.requireNonNull(retryAfter, "retryAfter");
    }
  }

  private final Builder settings;

  private LoginThrottle(Builder b) {
    this.settings = new Builder(b);
    int lowerMax = Math.min(b.maxAccountFailures, b.maxSourceFailures);
    if (b.freeFailures > lowerMax) {
      throw new IllegalArgumentException("freeFailures must not exceed "
          + (b.maxAccountFailures == b.maxSourceFailures ? "maxFailures "
              : b.maxAccountFailures < b.maxSourceFailures ? "maxFailuresPerAccount " : "maxFailuresPerSource ")
          + lowerMax + ", got " + b.freeFailures);
    }
    if (b.maxDelay.compareTo(b.baseDelay) < 0) {
      throw new IllegalArgumentException("maxDelay must be at least baseDelay " + b.baseDelay + ", got " + b.maxDelay);
    }
    this.maxAccountFailures = b.maxAccountFailures;
    this.maxSourceFailures = b.maxSourceFailures;
    this.freeFailures = b.freeFailures;
    this.lockoutNanos = saturatedNanos(b.lockout);
    this.resetOnSuccess = b.resetOnSuccess;
    this.delays = delays(b, Math.max(b.maxAccountFailures, b.maxSourceFailures));
    this.ticker = b.ticker;
    this.clock = b.clock;
    Duration forget = b.forgetAfter.compareTo(b.lockout) < 0 ? b.lockout : b.forgetAfter;
    this.forgetNanos = saturatedNanos(forget);
    this.keys = new LoginKeys(b.normalizeAccounts, b.ipv6SourcePrefix);
    this.store = b.store;
    this.ownsStore = b.ownsStore;
    this.failureMode = b.failureMode;
    this.refusedRetryNanos = Math.max(saturatedNanos(b.baseDelay), SWEEP_INTERVAL_NANOS);
    KeyTable.FreePredicate<Failures> free = (f, now) -> f.count() <= freeFailures || forgotten(f, now);
    this.accounts = new KeyTable<>(b.maximumKeys, free, SWEEP_INTERVAL_NANOS);
    this.sources = new KeyTable<>(b.maximumKeys, free, SWEEP_INTERVAL_NANOS);
  }

  /**
   * A throttle with the defaults: 100 failures per account and per source, 5 free, back-off from 1 s
   * doubling to 15 min, 24 h lockout, reset on success.
   */
  public static LoginThrottle defaults() {
    return builder().build();
  }

  /**
   * The same as {@link #defaults()}.
   *
   * @return the defaults
   * @deprecated Pledge spells it {@code defaults()} everywhere; this older spelling stays for source
   *     compatibility and will be removed.
   */
  @Deprecated
  public static LoginThrottle ofDefaults() {
    return defaults();
  }

  /** A builder with the defaults of {@link #defaults()}. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * A throttle configured by the policy document's {@code loginThrottle} section (P13), counting in
   * the section's {@code store} when it names one (the throttle closes it).
   *
   * @param policy the {@code loginThrottle} section
   * @return the throttle
   * @throws IllegalStateException when the store needs an artifact that is absent
   */
  public static LoginThrottle from(LoginThrottlePolicy policy) {
    return builder(policy).build();
  }

  /**
   * A builder pre-filled from the {@code loginThrottle} section, to change one thing (a ticker, a
   * clock, a table size, another store) before {@link Builder#build()}. The section's {@code store}
   * is opened by {@code build()}, not before, and not at all when {@link Builder#store} replaced it.
   *
   * @param policy the {@code loginThrottle} section
   * @return the builder
   */
  public static Builder builder(LoginThrottlePolicy policy) {
    Builder b = builder().maxFailuresPerAccount(policy.maxFailuresPerAccount())
        .maxFailuresPerSource(policy.maxFailuresPerSource()).freeFailures(policy.freeFailures())
        .baseDelay(policy.baseDelay()).backOffFactor(policy.backOffFactor()).maxDelay(policy.maxDelay())
        .lockout(policy.lockout()).forgetAfter(policy.forgetAfter()).resetOnSuccess(policy.resetOnSuccess())
        .normalizeAccounts(policy.normalizeAccounts()).ipv6SourcePrefix(policy.ipv6SourcePrefix());
    b.storeAddress = policy.storeAddress().orElse(null);
    return b;
  }

  /** The keys this throttle counts under. */
  public LoginKeys keys() {
    return keys;
  }

  /** Whether a login of {@code account} from {@code source} may be attempted now. Takes nothing. */
  public LoginDecision check(String account, String source) {
    String acct = keys.account(account);
    String src = keys.source(source);
    if (store != null) {
      try {
        LoginDecision d = decision(store.read(acct, src));
        storeAnswered();
        return d;
      } catch (StoreUnavailableException e) {
        return fallback(e, () -> localCheck(acct, src));
      }
    }
    return localCheck(acct, src);
  }

  private LoginDecision localCheck(String account, String source) {
    long now = ticker.read();
    Failures a = live(accounts.get(account), now);
    Failures s = live(sources.get(source), now);
    if ((a == null && !accounts.hasRoom(now)) || (s == null && !sources.hasRoom(now))) {
      // a failure of this newcomer could not be counted: throttle it rather than let it guess uncounted
      return refused(a, s, now);
    }
    return decision(a, s, now);
  }

  private Failures live(Failures f, long now) {
    return f == null || forgotten(f, now) ? null : f;
  }

  private boolean forgotten(Failures f, long now) {
    return now - f.last() >= forgetNanos;
  }

  private LoginDecision refused(Failures a, Failures s, long now) {
    long wait = Math.max(refusedRetryNanos, Math.max(waitNanos(a, now, maxAccountFailures),
        waitNanos(s, now, maxSourceFailures)));
    return new LoginDecision(false, Duration.ofNanos(wait), a == null ? 0 : a.count(), s == null ? 0 : s.count());
  }

  private LoginDecision decision(Failures a, Failures s, long now) {
    long wait = Math.max(waitNanos(a, now, maxAccountFailures), waitNanos(s, now, maxSourceFailures));
    return new LoginDecision(wait == 0, Duration.ofNanos(wait), a == null ? 0 : a.count(), s == null ? 0 : s.count());
  }

  private LoginDecision decision(LoginFailureStore.Counts c) {
    long wait = Math.max(waitNanos(c.accountFailures(), saturatedNanos(c.sinceAccountFailure()), maxAccountFailures),
        waitNanos(c.sourceFailures(), saturatedNanos(c.sinceSourceFailure()), maxSourceFailures));
    return new LoginDecision(wait == 0, Duration.ofNanos(wait), c.accountFailures(), c.sourceFailures());
  }

  /**
   * Records a failed login; returns the decision for the next attempt. Publishes {@link LoginLockedOut}
   * when this failure reaches the account's or the source's maximum.
   */
  public LoginDecision recordFailure(String account, String source) {
    String acct = keys.account(account);
    String src = keys.source(source);
    if (store != null) {
      try {
        LoginFailureStore.Counts c = store.recordFailure(acct, src, Duration.ofNanos(forgetNanos));
        storeAnswered();
        lockoutEvents(acct, c.accountFailures(), src, c.sourceFailures());
        return decision(c);
      } catch (StoreUnavailableException e) {
        return fallback(e, () -> localFailure(acct, src));
      }
    }
    return localFailure(acct, src);
  }

  private LoginDecision localFailure(String acct, String src) {
    long now = ticker.read();
    Failures a = accounts.update(acct, now, (k, old) -> next(old, now));
    Failures s = sources.update(src, now, (k, old) -> next(old, now));
    lockoutEvents(acct, a == null ? 0 : a.count(), src, s == null ? 0 : s.count());
    if (a == null || s == null) {
      return refused(a == null ? live(accounts.get(acct), now) : a, s == null ? live(sources.get(src), now) : s, now);
    }
    return decision(a, s, now);
  }

  private void lockoutEvents(String acct, int accountFailures, String src, int sourceFailures) {
    if (accountFailures == maxAccountFailures) {
      lockedOut(Subject.ACCOUNT, acct, accountFailures);
    }
    if (sourceFailures == maxSourceFailures) {
      lockedOut(Subject.SOURCE, src, sourceFailures);
    }
  }

  private Failures next(Failures old, long now) {
    return old == null || forgotten(old, now) ? new Failures(1, now) : new Failures(old.count() + 1, now);
  }

  /** The sizes of the in-process tables (those of the local fallback with a store) and how many newcomers found them full. */
  public Metrics metrics() {
    return new Metrics(accounts.size(), sources.size(), accounts.capacity(), accounts.refused() + sources.refused());
  }

  /**
   * Records a successful login: unless {@link Builder#resetOnSuccess} is off, the account's and the
   * source's consecutive failures start again at 0 (publishing {@link LoginThrottleReset} for each that
   * had failures). While the store is unavailable, a success clears the local fallback's counts (and,
   * when the request reached the store after all, the store's).
   */
  public void recordSuccess(String account, String source) {
    String acct = keys.account(account);
    String src = keys.source(source);
    if (!resetOnSuccess) {
      return;
    }
    if (store != null) {
      try {
        LoginFailureStore.Counts c = store.clear(acct, src);
        storeAnswered();
        cleared(Subject.ACCOUNT, acct, c.accountFailures(), ResetReason.SUCCESS);
        cleared(Subject.SOURCE, src, c.sourceFailures(), ResetReason.SUCCESS);
        return;
      } catch (StoreUnavailableException e) {
        fallback(e, () -> null);
      }
    }
    long now = ticker.read();
    cleared(Subject.ACCOUNT, acct, count(live(accounts.remove(acct), now)), ResetReason.SUCCESS);
    cleared(Subject.SOURCE, src, count(live(sources.remove(src), now)), ResetReason.SUCCESS);
  }

  private static int count(Failures f) {
    return f == null ? 0 : f.count();
  }

  /**
   * Clears an account's failures (an administrator unlocking it), in the store every node shares when
   * there is one.
   *
   * @throws StoreUnavailableException when the store does not answer in time; the reset may or may not
   *     have reached the store (a request already sent can still run there), so repeat it: clearing
   *     twice is the same as clearing once
   */
  public void reset(String account) {
    String acct = keys.account(account);
    int old = store != null ? store.clearAccount(acct) : count(live(accounts.remove(acct), ticker.read()));
    if (store != null) {
      accounts.remove(acct);
    }
    cleared(Subject.ACCOUNT, acct, old, ResetReason.ADMINISTRATOR);
  }

  /**
   * Clears a source's failures (an administrator unblocking an address).
   *
   * @throws StoreUnavailableException when the store does not answer in time; as with {@link #reset},
   *     repeat it
   */
  public void resetSource(String source) {
    String src = keys.source(source);
    int old = store != null ? store.clearSource(src) : count(live(sources.remove(src), ticker.read()));
    if (store != null) {
      sources.remove(src);
    }
    cleared(Subject.SOURCE, src, old, ResetReason.ADMINISTRATOR);
  }

  /** The failure mode's decision while the store does not answer; the first one of an outage is published. */
  private LoginDecision fallback(StoreUnavailableException cause, java.util.function.Supplier<LoginDecision> local) {
    Instant now = clock.instant();
    if (downSince.compareAndSet(null, now)) {
      LOG.warn("login throttle: store unavailable ({}), deciding {} until it answers again", cause.getMessage(),
          failureMode);
      if (fallbacks.hasListeners()) {
        fallbacks.publish(new LoginStoreFallback(failureMode, cause.getMessage(), now));
      }
    }
    switch (failureMode) {
      case FAIL_OPEN:
        return new LoginDecision(true, Duration.ZERO, 0, 0);
      case FAIL_CLOSED:
        return new LoginDecision(false, Duration.ofNanos(refusedRetryNanos), 0, 0);
      default:
        return local.get();
    }
  }

  private void storeAnswered() {
    if (downSince.get() != null) {
      Instant since = downSince.getAndSet(null);
      if (since != null) {
        Instant now = clock.instant();
        LOG.info("login throttle: the store answers again after {}", Duration.between(since, now));
        if (recoveries.hasListeners()) {
          recoveries.publish(new LoginStoreRecovered(Duration.between(since, now), now));
        }
      }
    }
  }

  /**
   * Registers a listener told once when the store stops answering and the failure mode takes over.
   *
   * @return a handle whose {@code close()} removes the listener
   */
  public dev.pledge.core.event.Subscription onStoreFallback(EventListener<? super LoginStoreFallback> listener) {
    return fallbacks.subscribe(listener);
  }

  /**
   * Registers a listener told once when the store answers again after a fallback.
   *
   * @return a handle whose {@code close()} removes the listener
   */
  public dev.pledge.core.event.Subscription onStoreRecovered(EventListener<? super LoginStoreRecovered> listener) {
    return recoveries.subscribe(listener);
  }

  /** Closes the store when this throttle opened it ({@link #from} with {@code loginThrottle.store}); otherwise nothing. */
  @Override
  public void close() {
    if (store != null && ownsStore) {
      store.close();
    }
  }

  /**
   * Registers a listener for lockouts. Listener failures are isolated from the caller.
   *
   * @return a handle whose {@code close()} removes the listener
   */
  public dev.pledge.core.event.Subscription onLockedOut(EventListener<? super LoginLockedOut> listener) {
    return lockouts.subscribe(listener);
  }

  /**
   * Registers a listener for cleared failures (success or administrator). Listener failures are isolated.
   *
   * @return a handle whose {@code close()} removes the listener
   */
  public dev.pledge.core.event.Subscription onReset(EventListener<? super LoginThrottleReset> listener) {
    return resets.subscribe(listener);
  }

  private void lockedOut(Subject subject, String key, int failures) {
    if (lockouts.hasListeners()) {
      lockouts.publish(new LoginLockedOut(subject, key, failures, Duration.ofNanos(lockoutNanos), clock.instant()));
    }
  }

  private void cleared(Subject subject, String key, int failures, ResetReason reason) {
    if (failures > 0 && resets.hasListeners()) {
      resets.publish(new LoginThrottleReset(subject, key, failures, reason, clock.instant()));
    }
  }

  private long waitNanos(Failures f, long now, int max) {
    return f == null ? 0 : waitNanos(f.count(), now - f.last(), max);
  }

  private long waitNanos(int count, long sinceLast, int max) {
    if (count <= freeFailures) {
      return 0;
    }
    long delay = count >= max ? lockoutNanos : delays[Math.min(count, delays.length - 1)];
    long left = delay - sinceLast;
    return left > 0 ? left : 0;
  }

  /**
   * delays[n]: the back-off after n failures, growing by the factor from baseDelay and capped at
   * maxDelay; the table ends where the delay stops growing, and its last entry holds for more failures.
   */
  private static long[] delays(Builder b, int max) {
    long cap = saturatedNanos(b.maxDelay);
    long[] d = new long[max + 1];
    long delay = saturatedNanos(b.baseDelay);
    int n = b.freeFailures + 1;
    for (; n <= max; n++) {
      d[n] = delay;
      long next = delay > cap / b.backOffFactor ? cap : Math.min(cap, delay * b.backOffFactor);
      if (next == delay) {
        break;
      }
      delay = next;
    }
    return java.util.Arrays.copyOf(d, Math.min(n + 1, max + 1));
  }

  private static long saturatedNanos(Duration d) {
    return d.compareTo(Duration.ofNanos(Long.MAX_VALUE)) >= 0 ? Long.MAX_VALUE : d.toNanos();
  }

  /**
   * A builder holding every setting of this throttle, to change one. A store the throttle opened (the
   * section's {@code store}, or {@link Builder#openStore}) is not shared: the copy's {@code build()}
   * opens its own at the same address; a store given with {@link Builder#store} is shared.
   */
  public Builder toBuilder() {
    return new Builder(settings);
  }

  /** Builds a {@link LoginThrottle}; not thread-safe. */
  public static final class Builder {
    private int maxAccountFailures = 100;
    private int maxSourceFailures = 100;
    private int freeFailures = 5;
    private int backOffFactor = 2;
    private boolean resetOnSuccess = true;
    private Clock clock = Clock.systemUTC();
    private Duration baseDelay = Duration.ofSeconds(1);
    private Duration maxDelay = Duration.ofMinutes(15);
    private Duration lockout = Duration.ofHours(24);
    private Duration forgetAfter = Duration.ofHours(24);
    private long maximumKeys = 1_000_000;
    private Ticker ticker = Ticker.system();
    private boolean normalizeAccounts = true;
    private int ipv6SourcePrefix = 64;
    private LoginFailureStore store;
    private boolean ownsStore;
    private String storeAddress; // a policy's store, opened by build() unless a store was set
    private String ownedAddress; // where the store this builder opened is, for toBuilder()
    private RedisFailureMode failureMode = RedisFailureMode.LOCAL;

    private Builder() {}

    /**
     * Counts failures in {@code store}, shared by every node that uses it, instead of this process's
     * tables; the caller closes the store. Default: none (in-process).
     */
    public Builder store(LoginFailureStore store) {
      this.store = Objects.requireNonNull(store, "store");
      this.ownsStore = false;
      this.storeAddress = null;
      this.ownedAddress = null;
      return this;
    }

    /**
     * Opens the store at {@code address} ({@code redis://host:port[/db]}) through the
     * {@link StoreProvider} on the class path; the throttle closes it.
     *
     * @throws IllegalStateException when no artifact on the class path opens such addresses
     * @throws StoreUnavailableException when the store cannot be reached
     */
    public Builder openStore(String address) {
      Objects.requireNonNull(address, "address");
      StoreProvider provider = StoreProvider.forAddress(address).orElseThrow(() -> new IllegalStateException(
          "loginThrottle.store " + LoginThrottlePolicy.redacted(address)
              + " needs pledge-security-redis on the class path"));
      this.store = provider.loginFailureStore(address).orElseThrow(() -> new IllegalStateException(
          "loginThrottle.store " + LoginThrottlePolicy.redacted(address) + " cannot hold login failures"));
      this.ownsStore = true;
      this.storeAddress = null;
      this.ownedAddress = address;
      return this;
    }

    /**
     * What decides while the store does not answer: {@link RedisFailureMode#LOCAL} (default: this
     * node's own tables, so each node still throttles), {@code FAIL_CLOSED} (every login waits) or
     * {@code FAIL_OPEN} (no throttling).
     */
    public Builder failureMode(RedisFailureMode failureMode) {
      this.failureMode = Objects.requireNonNull(failureMode, "failureMode");
      return this;
    }

    /**
     * Whether account names are normalised before they are counted (NFKC, default-ignorable code
     * points removed, trimmed, case folded: see {@link LoginKeys}); default {@code true}. Turn it off
     * only when the application already hands over canonical account ids.
     */
    public Builder normalizeAccounts(boolean normalizeAccounts) {
      this.normalizeAccounts = normalizeAccounts;
      return this;
    }

    /** How many leading bits of an IPv6 source make the key its failures count under; 1 to 128; default 64. */
    public Builder ipv6SourcePrefix(int ipv6SourcePrefix) {
      if (ipv6SourcePrefix < 1 || ipv6SourcePrefix > 128) {
        throw new IllegalArgumentException("ipv6SourcePrefix must be between 1 and 128, got " + ipv6SourcePrefix);
      }
      this.ipv6SourcePrefix = ipv6SourcePrefix;
      return this;
    }

    /**
     * Consecutive failures after which the account and, likewise, the source are locked out; 1 to 100
     * (NIST's ceiling). Sets both {@link #maxFailuresPerAccount} and {@link #maxFailuresPerSource}.
     */
    public Builder maxFailures(int maxFailures) {
      if (maxFailures < 1 || maxFailures > 100) {
        throw new IllegalArgumentException("maxFailures must be between 1 and 100, got " + maxFailures);
      }
      this.maxAccountFailures = maxFailures;
      this.maxSourceFailures = maxFailures;
      return this;
    }

    /** Consecutive failures after which an account is locked out; 1 to 100 (NIST's ceiling); default 100. */
    public Builder maxFailuresPerAccount(int maxFailures) {
      if (maxFailures < 1 || maxFailures > 100) {
        throw new IllegalArgumentException("maxFailuresPerAccount must be between 1 and 100, got " + maxFailures);
      }
      this.maxAccountFailures = maxFailures;
      return this;
    }

    /**
     * Consecutive failures after which a source is locked out; 1 to 100,000 (a source such as a NAT
     * address may serve many honest users); default 100.
     */
    public Builder maxFailuresPerSource(int maxFailures) {
      if (maxFailures < 1 || maxFailures > 100_000) {
        throw new IllegalArgumentException("maxFailuresPerSource must be between 1 and 100000, got " + maxFailures);
      }
      this.maxSourceFailures = maxFailures;
      return this;
    }

    /** How much each further failure multiplies the back-off; 1 (constant) to 10; default 2 (doubling). */
    public Builder backOffFactor(int backOffFactor) {
      if (backOffFactor < 1 || backOffFactor > 10) {
        throw new IllegalArgumentException("backOffFactor must be between 1 and 10, got " + backOffFactor);
      }
      this.backOffFactor = backOffFactor;
      return this;
    }

    /**
     * Whether a successful login clears the account's and the source's failures; default {@code true}.
     * When off, failures are forgotten only after {@code forgetAfter} or by {@link LoginThrottle#reset}.
     */
    public Builder resetOnSuccess(boolean resetOnSuccess) {
      this.resetOnSuccess = resetOnSuccess;
      return this;
    }

    /** The clock that stamps events; default {@link Clock#systemUTC()}. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** Failures allowed before any back-off; at least 0. */
    public Builder freeFailures(int freeFailures) {
      if (freeFailures < 0) {
        throw new IllegalArgumentException("freeFailures must not be negative, got " + freeFailures);
      }
      this.freeFailures = freeFailures;
      return this;
    }

    /** The first back-off, multiplied by {@link #backOffFactor} at each further failure; greater than zero. */
    public Builder baseDelay(Duration baseDelay) {
      this.baseDelay = positive("baseDelay", baseDelay);
      return this;
    }

    /** The longest back-off before the lockout; greater than zero. */
    public Builder maxDelay(Duration maxDelay) {
      this.maxDelay = positive("maxDelay", maxDelay);
      return this;
    }

    /** How long {@code maxFailures} consecutive failures lock out; greater than zero. */
    public Builder lockout(Duration lockout) {
      this.lockout = positive("lockout", lockout);
      return this;
    }

    /** How long failures are remembered after the last one; greater than zero. */
    public Builder forgetAfter(Duration forgetAfter) {
      this.forgetAfter = positive("forgetAfter", forgetAfter);
      return this;
    }

    /**
     * The most accounts (and, separately, sources) tracked at once; at least 1; default 1,000,000. When
     * a table is full of penalised entries, new accounts or sources are throttled, never a penalised
     * one forgotten.
     */
    public Builder maximumKeys(long maximumKeys) {
      if (maximumKeys < 1) {
        throw new IllegalArgumentException("maximumKeys must be at least 1, got " + maximumKeys);
      }
      this.maximumKeys = maximumKeys;
      return this;
    }

    /** The nanosecond source; default {@link Ticker#system()}. */
    public Builder ticker(Ticker ticker) {
      this.ticker = Objects.requireNonNull(ticker, "ticker");
      return this;
    }

    private static Duration positive(String field, Duration d) {
      if (d == null || d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(field + " must be greater than zero, got " + d);
      }
      return d;
    }

    /**
     * Builds the throttle.
     *
     * @throws IllegalArgumentException when freeFailures exceeds maxFailures or maxDelay is below baseDelay
     */
    public LoginThrottle build() {
      if (storeAddress != null) {
        openStore(storeAddress);
      }
      return new LoginThrottle(this);
    }

    /** A copy of {@code other}'s settings, for {@code toBuilder()}. */
    private Builder(Builder other) {
      this.maxAccountFailures = other.maxAccountFailures;
      this.maxSourceFailures = other.maxSourceFailures;
      this.freeFailures = other.freeFailures;
      this.backOffFactor = other.backOffFactor;
      this.resetOnSuccess = other.resetOnSuccess;
      this.clock = other.clock;
      this.baseDelay = other.baseDelay;
      this.maxDelay = other.maxDelay;
      this.lockout = other.lockout;
      this.forgetAfter = other.forgetAfter;
      this.maximumKeys = other.maximumKeys;
      this.ticker = other.ticker;
      this.normalizeAccounts = other.normalizeAccounts;
      this.ipv6SourcePrefix = other.ipv6SourcePrefix;
      this.failureMode = other.failureMode;
      if (other.ownsStore) {
        this.storeAddress = other.ownedAddress; // the copy opens and owns its own
      } else {
        this.store = other.store;
        this.storeAddress = other.storeAddress;
      }
    }
  }
}
