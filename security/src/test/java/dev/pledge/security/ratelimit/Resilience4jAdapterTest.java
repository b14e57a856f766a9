package dev.pledge.security.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pledge.core.time.ManualTicker;
import io.github.resilience4j.ratelimiter.RequestNotPermitted;
import io.github.resilience4j.ratelimiter.event.RateLimiterEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class Resilience4jAdapterTest {
  private final ManualTicker ticker = ManualTicker.create();
  private final List<Long> slept = new ArrayList<>();
  private final RateLimiter pledge = RateLimiter.builder("api").limit(RateLimit.of(2, Duration.ofSeconds(1)))
      .ticker(ticker).sleeper(d -> {
        slept.add(d.toNanos());
        ticker.advance(d.toNanos());
      }).build();

  @Test
  void composesWithResilience4jDecorators() {
    io.github.resilience4j.ratelimiter.RateLimiter r4j = pledge.asResilience4j(Duration.ZERO);
    Supplier<String> call = io.github.resilience4j.ratelimiter.RateLimiter.decorateSupplier(r4j, () -> "ok");
    assertThat(call.get()).isEqualTo("ok");
    assertThat(call.get()).isEqualTo("ok");
    assertThatThrownBy(call::get).isInstanceOf(RequestNotPermitted.class);
    assertThat(pledge.metrics()).isEqualTo(new RateLimiterMetrics(2, 1, 1));
    assertThat(r4j.getName()).isEqualTo("api");
    assertThat(r4j.getRateLimiterConfig().getLimitForPeriod()).isEqualTo(2);
    assertThat(r4j.getRateLimiterConfig().getLimitRefreshPeriod()).isEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void theTimeoutIsABoundedWaitAndEventsArePublished() {
    io.github.resilience4j.ratelimiter.RateLimiter r4j = pledge.asResilience4j(Duration.ofMillis(500));
    List<RateLimiterEvent.Type> events = new ArrayList<>();
    r4j.getEventPublisher().onSuccess(e -> events.add(e.getEventType())).onFailure(e -> events.add(e.getEventType()));
    assertThat(r4j.acquirePermission(2)).isTrue();
    assertThat(r4j.acquirePermission()).as("due in 500 ms: waits").isTrue();
    assertThat(slept).containsExactly(500_000_000L);
    assertThat(r4j.reservePermission()).as("the next permit is due 500 ms after the last").isEqualTo(500_000_000L);
    assertThat(r4j.acquirePermission()).as("due in 1 s: too late").isFalse();
    assertThat(events).containsExactly(RateLimiterEvent.Type.SUCCESSFUL_ACQUIRE, RateLimiterEvent.Type.SUCCESSFUL_ACQUIRE,
        RateLimiterEvent.Type.SUCCESSFUL_ACQUIRE, RateLimiterEvent.Type.FAILED_ACQUIRE);
    assertThat(r4j.getMetrics().getNumberOfWaitingThreads()).isZero();
    r4j.changeTimeoutDuration(Duration.ofSeconds(5));
    assertThat(r4j.getRateLimiterConfig().getTimeoutDuration()).isEqualTo(Duration.ofSeconds(5));
    assertThatThrownBy(() -> r4j.changeLimitForPeriod(10)).isInstanceOf(UnsupportedOperationException.class);
    ticker.advance(Duration.ofSeconds(10));
    r4j.drainPermissions();
    assertThat(r4j.getMetrics().getAvailablePermissions()).isZero();
  }
}
