package dev.pledge.spring.ratelimit;

import dev.pledge.core.time.Ticker;
import dev.pledge.security.ratelimit.KeyedLimiter;
import dev.pledge.security.ratelimit.KeyedRateLimiter;
import dev.pledge.security.ratelimit.RateLimitsPolicy;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * One per-client {@link KeyedLimiter} for each limit of the policy's {@code rateLimits} section (P13), so
 * that the servlet filter, the application's own code and the meters share the same state. {@link #from}
 * builds in-process {@link KeyedRateLimiter}s on the injected ticker and clock; {@link #of} takes any
 * other {@link KeyedLimiter} implementations (state shared by every node, for instance): declare a bean
 * of this type to use them. Immutable and thread-safe.
 *
 * <pre>{@code
 * KeyedLimiter<String> logins = limiters.keyed("login-source");
 * if (!logins.tryAcquire(request.getRemoteAddr())) { ... }
 * }</pre>
 */
public final class PledgeRateLimiters {
  private final Map<String, KeyedLimiter<String>> keyed;

  private PledgeRateLimiters(Map<String, KeyedLimiter<String>> keyed) {
    this.keyed = keyed;
  }

  /**
   * A limiter per limit of {@code section}.
   *
   * @param maximumKeys the most clients held at once per limit
   */
  public static PledgeRateLimiters from(RateLimitsPolicy section, Ticker ticker, Clock clock, long maximumKeys) {
    Objects.requireNonNull(section, "section");
    Objects.requireNonNull(ticker, "ticker");
    Objects.requireNonNull(clock, "clock");
    Map<String, KeyedLimiter<String>> m = new LinkedHashMap<>();
    for (String name : section.limits().keySet()) {
      m.put(name, KeyedRateLimiter.<String>builder(name).limits(section.limit(name)).ticker(ticker).clock(clock)
          .maximumKeys(maximumKeys).build());
    }
    return new PledgeRateLimiters(java.util.Collections.unmodifiableMap(m));
  }

  /**
   * The given limiters, each under its {@link KeyedLimiter#name() name}.
   *
   * @throws IllegalArgumentException when two limiters have the same name or there is none
   */
  public static PledgeRateLimiters of(java.util.Collection<? extends KeyedLimiter<String>> limiters) {
    Map<String, KeyedLimiter<String>> m = new LinkedHashMap<>();
    for (KeyedLimiter<String> l : limiters) {
      if (m.put(l.name(), l) != null) {
        throw new IllegalArgumentException("two rate limiters are named '" + l.name() + "'");
      }
    }
    if (m.isEmpty()) {
      throw new IllegalArgumentException("no rate limiter given");
    }
    return new PledgeRateLimiters(java.util.Collections.unmodifiableMap(m));
  }

  /** The names of the policy's limits, in the policy's order. */
  public Set<String> names() {
    return keyed.keySet();
  }

  /**
   * The per-client limiter for the limit named {@code name}.
   *
   * @throws IllegalArgumentException naming the limits the policy has, when it has none of that name
   */
  public KeyedLimiter<String> keyed(String name) {
    KeyedLimiter<String> l = keyed.get(name);
    if (l == null) {
      throw new IllegalArgumentException("the policy's rateLimits has no limit named '" + name + "'; it has "
          + keyed.keySet());
    }
    return l;
  }

  @Override
  public String toString() {
    return "PledgeRateLimiters" + keyed.keySet();
  }
}
