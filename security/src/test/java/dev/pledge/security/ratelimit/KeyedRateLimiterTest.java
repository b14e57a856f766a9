package dev.pledge.security.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pledge.core.time.ManualTicker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class KeyedRateLimiterTest {
  private final ManualTicker ticker = ManualTicker.create();
  private final KeyedRateLimiter<String> limiter = KeyedRateLimiter.<String>builder("per-client")
      .limit(RateLimit.builder().permits(10).per(Duration.ofSeconds(1)).burst(3).build())
      .ticker(ticker).maximumKeys(1000).build();

  @Test
  void eachKeyHasItsOwnBudget() {
    for (int i = 0; i < 3; i++) {
      assertThat(limiter.tryAcquire("alice")).isTrue();
    }
    assertThat(limiter.tryAcquire("alice")).isFalse();
    assertThat(limiter.tryAcquire("bob", 3)).isTrue();
    assertThat(limiter.availablePermits("carol")).as("an unseen key is full").isEqualTo(3);
    assertThat(limiter.metrics()).isEqualTo(new RateLimiterMetrics(4, 1, 2));
  }

  @Test
  void aKeyIsForgottenOnlyOnceItIsFullAgainWhichChangesNoDecision() {
    limiter.tryAcquire("alice", 3);
    ticker.advance(Duration.ofMillis(299));
    assertThat(limiter.metrics().keys()).as("not full yet: kept").isEqualTo(1);
    assertThat(limiter.availablePermits("alice")).isEqualTo(2);
    ticker.advance(Duration.ofMillis(1));
    assertThat(limiter.availablePermits("alice")).as("full again").isEqualTo(3);
    ticker.advance(KeyedRateLimiter.IDLE_GRACE);
    assertThat(limiter.metrics().keys()).as("idle long enough to be full, and a grace: forgotten").isZero();
    assertThat(limiter.decide("alice", 3).allowed()).isTrue();
    assertThat(limiter.tryAcquire("alice")).isFalse();
  }

  @Test
  void decisionsAndRejectionEventsNameTheKey() throws Exception {
    List<RateLimitRejected> events = new ArrayList<>();
    limiter.onRejected(events::add);
    limiter.tryAcquire("10.0.0.7", 3);
    RateLimitDecision d = limiter.decide("10.0.0.7", 2);
    assertThat(d.allowed()).isFalse();
    assertThat(d.retryAfter()).isEqualTo(Duration.ofMillis(200));
    assertThat(d.resetAfter()).isEqualTo(Duration.ofMillis(300));
    assertThat(events).singleElement().satisfies(e -> {
      assertThat(e.key()).isEqualTo("10.0.0.7");
      assertThat(e.limiter()).isEqualTo("per-client");
      assertThat(e.permits()).isEqualTo(2);
    });
  }

  @Test
  void tryAcquireNanosAnswersZeroOrTheExactWait() {
    assertThat(limiter.tryAcquireNanos("alice", 3)).isZero();
    assertThat(limiter.tryAcquireNanos("alice", 1)).isEqualTo(100_000_000L);
    assertThat(limiter.tryAcquireNanos("bob", 1)).isZero();
    assertThat(limiter.metrics()).isEqualTo(new RateLimiterMetrics(2, 1, 2));
  }

  @ParameterizedTest
  @ValueSource(longs = {Long.MAX_VALUE - 1_000_000_000L, -500_000_000L})
  void theTickerMayWrapAndKeysAreKeptUntilFull(long start) {
    ticker.set(start);
    KeyedRateLimiter<String> l = KeyedRateLimiter.<String>builder("wrap")
        .limit(RateLimit.builder().permits(1).per(Duration.ofSeconds(1)).burst(2).build())
        .ticker(ticker).build();
    assertThat(l.tryAcquire("k", 2)).isTrue();
    int granted = 0;
    for (int i = 0; i < 30; i++) { // 3 s, across the wrap for the first start
      ticker.advance(Duration.ofMillis(100));
      if (l.tryAcquire("k")) {
        granted++;
      }
    }
    assertThat(granted).isEqualTo(3);
    assertThat(l.metrics().keys()).as("a key in use is kept across the wrap").isEqualTo(1);
    ticker.advance(Duration.ofSeconds(2).plus(KeyedRateLimiter.IDLE_GRACE));
    assertThat(l.metrics().keys()).as("and forgotten once idle and full").isZero();
  }

  @Test
  void resetForgetsAKey() {
    limiter.tryAcquire("alice", 3);
    limiter.reset("alice");
    assertThat(limiter.tryAcquire("alice", 3)).isTrue();
  }

  @Test
  void theTableIsBoundedInSize() {
    KeyedRateLimiter<Integer> small = KeyedRateLimiter.<Integer>builder("small")
        .limit(RateLimit.of(1, Duration.ofHours(1))).ticker(ticker).maximumKeys(100).build();
    for (int i = 0; i < 1000; i++) {
      small.tryAcquire(i);
    }
    assertThat(small.metrics().keys()).isLessThanOrEqualTo(100);
  }

  @Test
  void oneKeyComposesWithResilience4j() {
    io.github.resilience4j.ratelimiter.RateLimiter alice = limiter.asResilience4j("alice");
    List<String> events = new ArrayList<>();
    alice.getEventPublisher().onEvent(e -> events.add(e.getEventType().name()));
    assertThat(alice.getName()).isEqualTo("per-client:alice");
    java.util.function.Supplier<String> call = io.github.resilience4j.ratelimiter.RateLimiter.decorateSupplier(alice, () -> "ok");
    for (int i = 0; i < 3; i++) {
      assertThat(call.get()).isEqualTo("ok");
    }
    assertThatThrownBy(call::get).isInstanceOf(io.github.resilience4j.ratelimiter.RequestNotPermitted.class);
    assertThat(limiter.availablePermits("alice")).as("the keyed limiter's own budget was used").isZero();
    assertThat(limiter.asResilience4j("bob").acquirePermission()).as("other keys are independent").isTrue();
    assertThat(events).containsExactly("SUCCESSFUL_ACQUIRE", "SUCCESSFUL_ACQUIRE", "SUCCESSFUL_ACQUIRE", "FAILED_ACQUIRE");
    assertThat(alice.getMetrics().getAvailablePermissions()).isZero();
  }

  @Test
  void misuseIsRejectedNamingTheField() {
    assertThatThrownBy(() -> KeyedRateLimiter.builder("x").maximumKeys(0))
        .hasMessage("maximumKeys must be at least 1, got 0");
    assertThatThrownBy(() -> KeyedRateLimiter.builder("x").build()).hasMessageContaining("at least one limit");
    assertThatThrownBy(() -> limiter.tryAcquire(null)).isInstanceOf(NullPointerException.class).hasMessage("key");
    assertThatThrownBy(() -> limiter.tryAcquire("a", 4)).hasMessageContaining("can never be granted");
  }
}
