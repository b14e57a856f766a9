package dev.pledge.security.store;

import java.util.Optional;

/**
 * Opens shared stores named by an address in the policy ({@code loginThrottle.store},
 * {@code rateLimits.store}, {@code twoFactor.replayStore}) or on the command line, so that
 * pledge-security names no store client: an artifact that carries one (such as
 * {@code pledge-security-redis} for {@code redis://}) registers a provider through
 * {@link java.util.ServiceLoader}. Implementations are thread-safe and stateless.
 */
public interface StoreProvider {

  /** Whether this provider opens addresses like {@code address} (by its scheme). */
  boolean supports(String address);

  /**
   * A login-failure store at {@code address}, connected now; empty when this provider has none.
   *
   * @throws StoreUnavailableException when the store cannot be reached
   */
  default Optional<dev.pledge.security.ratelimit.LoginFailureStore> loginFailureStore(String address) {
    return Optional.empty();
  }

  /**
   * A replay guard at {@code address} that remembers used codes for {@code window}, connected now;
   * empty when this provider has none.
   *
   * @throws StoreUnavailableException when the store cannot be reached
   */
  default Optional<dev.pledge.security.totp.ReplayGuard> replayGuard(String address, java.time.Duration window) {
    return Optional.empty();
  }

  /**
   * A keyed limiter named {@code name} enforcing {@code limits} at {@code address}, connected now;
   * empty when this provider has none. The caller closes it (it is {@link AutoCloseable}).
   *
   * @throws StoreUnavailableException when the store cannot be reached
   */
  default Optional<dev.pledge.security.ratelimit.KeyedLimiter<String>> keyedLimiter(String address, String name,
      java.util.List<dev.pledge.security.ratelimit.RateLimit> limits) {
    return Optional.empty();
  }

  /** The provider for {@code address} on the class path, if any. */
  static Optional<StoreProvider> forAddress(String address) {
    for (StoreProvider p : java.util.ServiceLoader.load(StoreProvider.class, StoreProvider.class.getClassLoader())) {
      if (p.supports(address)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }
}
