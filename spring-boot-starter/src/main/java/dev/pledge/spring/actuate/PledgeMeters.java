package dev.pledge.spring.actuate;

import dev.pledge.security.ratelimit.KeyedLimiter;
import dev.pledge.security.ratelimit.LoginThrottle;
import dev.pledge.spring.ratelimit.PledgeRateLimiters;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.Objects;

/**
 * Micrometer meters for Pledge's limiters (P13), read from the limiters' own counters, so nothing is
 * counted twice and the hot path gains no work:
 *
 * <ul>
 *   <li>{@code pledge.ratelimit.decisions} (function counter; tags {@code limit}, {@code outcome} =
 *       {@code allowed} or {@code rejected}): decisions since start;</li>
 *   <li>{@code pledge.ratelimit.clients} (gauge; tag {@code limit}): clients whose state is held;</li>
 *   <li>{@code pledge.login.lockouts} (counter; tag {@code subject} = {@code account} or {@code source}):
 *       lockouts by the login throttle, counted from its events;</li>
 *   <li>{@code pledge.login.tracked} (gauge; tag {@code subject}): accounts and sources with failures held.</li>
 * </ul>
 *
 * <p>Thread-safe; bind once per registry.
 */
public final class PledgeMeters implements MeterBinder {
  private final PledgeRateLimiters limiters;
  private final LoginThrottle throttle;

  /**
   * Meters for {@code limiters} and, when not {@code null}, {@code throttle}.
   */
  public PledgeMeters(PledgeRateLimiters limiters, LoginThrottle throttle) {
    this.limiters = limiters;
    this.throttle = throttle;
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    Objects.requireNonNull(registry, "registry");
    if (limiters != null) {
      for (String name : limiters.names()) {
        KeyedLimiter<String> l = limiters.keyed(name);
        FunctionCounter.builder("pledge.ratelimit.decisions", l, x -> x.metrics().permitted())
            .tag("limit", name).tag("outcome", "allowed")
            .description("requests a Pledge rate limit allowed").register(registry);
        FunctionCounter.builder("pledge.ratelimit.decisions", l, x -> x.metrics().rejected())
            .tag("limit", name).tag("outcome", "rejected")
            .description("requests a Pledge rate limit rejected").register(registry);
        Gauge.builder("pledge.ratelimit.clients", l, x -> x.metrics().keys())
            .tag("limit", name).description("clients whose rate-limit state is held").register(registry);
      }
    }
    if (throttle != null) {
      Counter accounts = lockouts(registry, "account");
      Counter sources = lockouts(registry, "source");
      throttle.onLockedOut(e -> (e.subject() == LoginThrottle.Subject.ACCOUNT ? accounts : sources).increment());
      Gauge.builder("pledge.login.tracked", throttle, t -> t.metrics().accounts()).tag("subject", "account")
          .description("accounts with failed logins held by the throttle").register(registry);
      Gauge.builder("pledge.login.tracked", throttle, t -> t.metrics().sources()).tag("subject", "source")
          .description("sources with failed logins held by the throttle").register(registry);
    }
  }

  private static Counter lockouts(MeterRegistry registry, String subject) {
    return Counter.builder("pledge.login.lockouts").tag("subject", subject)
        .description("accounts or sources the login throttle locked out").register(registry);
  }
}
