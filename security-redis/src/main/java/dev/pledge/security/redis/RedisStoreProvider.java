package dev.pledge.security.redis;

import dev.pledge.security.ratelimit.KeyedLimiter;
import dev.pledge.security.ratelimit.LoginFailureStore;
import dev.pledge.security.ratelimit.RateLimit;
import dev.pledge.security.store.StoreProvider;
import dev.pledge.security.totp.ReplayGuard;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Opens {@code redis://} and {@code rediss://} addresses named by the policy or the command line
 * ({@code rateLimits.store}, {@code loginThrottle.store}, {@code twoFactor.replayStore}); registered through
 * {@link java.util.ServiceLoader}. Thread-safe and stateless.
 */
public final class RedisStoreProvider implements StoreProvider {

  /** The provider; found by {@link StoreProvider#forAddress}. */
  public RedisStoreProvider() {}

  @Override
  public boolean supports(String address) {
    return address.startsWith("redis://") || address.startsWith("rediss://");
  }

  @Override
  public Optional<LoginFailureStore> loginFailureStore(String address) {
    return Optional.of(RedisLoginFailureStore.builder(address).build());
  }

  @Override
  public Optional<KeyedLimiter<String>> keyedLimiter(String address, String name, List<RateLimit> limits) {
    return Optional.of(RedisRateLimiter.builder(name, address).limits(limits).build());
  }

  @Override
  public Optional<ReplayGuard> replayGuard(String address, Duration window) {
    return Optional.of(RedisReplayGuard.builder(address).window(window).build());
  }
}
