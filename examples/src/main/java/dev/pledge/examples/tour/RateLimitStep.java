package dev.pledge.examples.tour;

import dev.pledge.core.time.ManualTicker;
import dev.pledge.security.ratelimit.KeyedRateLimiter;
import dev.pledge.security.ratelimit.RateLimitDecision;
import dev.pledge.security.ratelimit.RateLimitsPolicy;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** A burst of API calls against the policy's {@code api} limits, in the in-memory limiter (P13). */
final class RateLimitStep implements TourStep {

  @Override
  public List<Integer> promises() {
    return List.of(13);
  }

  @Override
  public String tag() {
    return "rate-limit";
  }

  @Override
  public void run(TourContext ctx) {
    RateLimitsPolicy policy = ctx.policy().require(RateLimitsPolicy.class);
    ManualTicker ticker = ManualTicker.create();
    KeyedRateLimiter<String> api = KeyedRateLimiter.<String>builder("api").limits(policy.limit("api"))
        .ticker(ticker).clock(ctx.clock()).build();
    int allowed = 0;
    RateLimitDecision lastRejected = null;
    for (int i = 0; i < 100; i++) {
      RateLimitDecision d = api.decide("client-acme", 1);
      if (d.allowed()) {
        allowed++;
      } else {
        lastRejected = d;
      }
    }
    boolean otherClientServed = api.tryAcquire("client-globex");
    ticker.advance(Duration.ofSeconds(1));
    int afterOneSecond = 0;
    while (api.tryAcquire("client-acme")) {
      afterOneSecond++;
    }
    ctx.say(tag(), "100 calls at once from one client: " + allowed + " allowed, " + (100 - allowed)
        + " rejected" + (lastRejected == null ? "" : " (Retry-After " + lastRejected.retryAfterSeconds() + " s)")
        + "; another client still served: " + otherClientServed + "; one second later " + afterOneSecond
        + " more allowed (P13)");
    boolean kept = allowed < 100 && lastRejected != null && otherClientServed && afterOneSecond > 0;
    ctx.report().judged(13, kept, "a burst from one client was cut at its limit while other clients were served",
        "the limiter let a burst through", Map.of("limits", String.valueOf(policy.limit("api")),
            "burst of 100", allowed + " allowed, " + (100 - allowed) + " rejected",
            "refill after 1 s", afterOneSecond + " permits"));
  }
}
