package dev.pledge.examples.quickstart;

import dev.pledge.core.time.ManualTicker;
import dev.pledge.security.ratelimit.KeyedRateLimiter;
import dev.pledge.security.ratelimit.RateLimit;
import dev.pledge.security.ratelimit.RateLimitDecision;
import java.time.Duration;
import java.util.List;

/** security: two limits on each API client (a burst and an hourly budget), with HTTP-ready decisions. */
public final class RateLimitExample {
  private RateLimitExample() {}

  public static void main(String[] args) {
    ManualTicker ticker = ManualTicker.create(); // a real service leaves the ticker out (System.nanoTime)
    List<RateLimit> limits = List.of(
        RateLimit.builder().name("burst").permits(20).per(Duration.ofSeconds(1)).build(),
        RateLimit.builder().name("hourly").permits(1000).per(Duration.ofHours(1)).build());
    KeyedRateLimiter<String> api = KeyedRateLimiter.<String>builder("api").limits(limits).ticker(ticker).build();
    int allowed = 0;
    RateLimitDecision last = null;
    for (int i = 0; i < 50; i++) {
      last = api.decide("client-acme", 1);
      allowed += last.allowed() ? 1 : 0;
    }
    System.out.println("50 requests at once: " + allowed + " allowed; last decision " + last);
    System.out.println("Retry-After: " + last.retryAfterSeconds() + " s; another client allowed: "
        + api.tryAcquire("client-globex"));
    ticker.advance(Duration.ofMillis(500));
    System.out.println("half a second later: " + api.decide("client-acme", 1));
  }
}
