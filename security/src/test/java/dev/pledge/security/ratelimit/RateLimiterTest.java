package dev.pledge.security.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pledge.core.time.ManualTicker;
import dev.pledge.core.time.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RateLimiterTest {
  private static final long SECOND = 1_000_000_000L;

  private final ManualTicker ticker = ManualTicker.create();

  private RateLimiter limiter(RateLimit... limits) {
    return RateLimiter.builder("api").limits(List.of(limits)).ticker(ticker).build();
  }

  private static int drain(RateLimiter l) {
    int n = 0;
    while (l.tryAcquire()) {
      n++;
    }
    return n;
  }

  @Test
  void grantsTheBurstAtOnceThenOnePermitPerEmissionInterval() {
    RateLimiter l = limiter(RateLimit.builder().permits(10).per(Duration.ofSeconds(1)).burst(5).build());
    assertThat(drain(l)).isEqualTo(5);
    ticker.advance(Duration.ofMillis(99));
    assertThat(l.tryAcquire()).isFalse();
    ticker.advance(Duration.ofMillis(1));
    assertThat(l.tryAcquire()).isTrue();
    assertThat(l.tryAcquire()).isFalse();
    ticker.advance(Duration.ofSeconds(10));
    assertThat(drain(l)).as("the bucket holds no more than its burst").isEqualTo(5);
  }

  @Test
  void periodEdgesAreExactToTheNanosecond() {
    RateLimiter l = limiter(RateLimit.of(1, Duration.ofSeconds(1)));
    assertThat(l.tryAcquire()).isTrue();
    ticker.advance(SECOND - 1);
    assertThat(l.tryAcquire()).as("one nanosecond early").isFalse();
    ticker.advance(1);
    assertThat(l.tryAcquire()).as("exactly one period later").isTrue();
  }

  @Test
  void anUnevenPeriodRoundsTheIntervalUpSoItNeverGrantsMore() {
    RateLimit threePerSecond = RateLimit.of(3, Duration.ofSeconds(1));
    assertThat(threePerSecond.emissionIntervalNanos()).isEqualTo(333_333_334L);
    RateLimiter l = limiter(threePerSecond);
    int granted = drain(l);
    for (int i = 0; i < 3_000; i++) {
      ticker.advance(Duration.ofMillis(100));
      granted += drain(l);
    }
    // 300 seconds: at most 3 (burst) + 900; the rounding loses less than one permit
    assertThat(granted).isBetween(902, 903);
  }

  @Test
  void everyLimitMustAdmitARequest() {
    RateLimiter l = limiter(RateLimit.builder().permits(20).per(Duration.ofSeconds(1)).build(),
        RateLimit.of(30, Duration.ofHours(1)));
    assertThat(drain(l)).isEqualTo(20);
    ticker.advance(Duration.ofSeconds(1));
    assertThat(drain(l)).as("the hourly limit has 10 left").isEqualTo(10);
    ticker.advance(Duration.ofSeconds(1));
    assertThat(l.tryAcquire()).isFalse();
    ticker.advance(Duration.ofMinutes(2));
    assertThat(drain(l)).as("one hourly permit per 2 minutes").isEqualTo(1);
  }

  @Test
  void aRejectionByALaterLimitGivesBackWhatTheEarlierOnesTook() {
    RateLimiter l = limiter(RateLimit.of(10, Duration.ofSeconds(1)), RateLimit.of(2, Duration.ofHours(1)));
    assertThat(drain(l)).isEqualTo(2);
    assertThat(l.limits()).hasSize(2);
    // rejected attempts must not drain the per-second limit
    for (int i = 0; i < 50; i++) {
      assertThat(l.tryAcquire()).isFalse();
    }
    RateLimitDecision d = l.decide(1);
    assertThat(d.allowed()).isFalse();
    assertThat(d.remaining()).isZero();
    assertThat(d.retryAfter()).isEqualTo(Duration.ofMinutes(30));
    ticker.advance(Duration.ofMinutes(30));
    assertThat(l.tryAcquire()).isTrue();
  }

  @Test
  void weightedRequestsTakeSeveralPermits() {
    RateLimiter l = limiter(RateLimit.of(10, Duration.ofSeconds(1)));
    assertThat(l.tryAcquire(7)).isTrue();
    assertThat(l.tryAcquire(4)).isFalse();
    assertThat(l.availablePermits()).isEqualTo(3);
    assertThat(l.tryAcquire(3)).isTrue();
    ticker.advance(Duration.ofMillis(400));
    assertThat(l.tryAcquire(4)).isTrue();
  }

  @Test
  void aWeightAboveTheBurstIsRejectedClearlyBecauseItCouldNeverBeGranted() {
    RateLimiter l = limiter(RateLimit.builder().permits(100).per(Duration.ofMinutes(1)).burst(10).build());
    assertThatThrownBy(() -> l.tryAcquire(11)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("permits 11 exceed the burst").hasMessageContaining("can never be granted");
    assertThatThrownBy(() -> l.tryAcquire(0)).hasMessage("permits must be at least 1, got 0");
    assertThatThrownBy(() -> l.decide(-1)).hasMessage("permits must be at least 1, got -1");
    assertThat(l.tryAcquire(10)).as("the full burst is fine").isTrue();
  }

  @Test
  void theDecisionCarriesWhatAnHttpApiNeeds() {
    RateLimiter l = limiter(RateLimit.of(10, Duration.ofSeconds(10)));
    RateLimitDecision first = l.decide(1);
    assertThat(first).isEqualTo(new RateLimitDecision(true, 9, Duration.ZERO, Duration.ofSeconds(1)));
    l.decide(8);
    RateLimitDecision last = l.decide(1);
    assertThat(last.allowed()).isTrue();
    assertThat(last.remaining()).isZero();
    assertThat(last.retryAfter()).as("time to the next permit").isEqualTo(Duration.ofSeconds(1));
    assertThat(last.resetAfter()).isEqualTo(Duration.ofSeconds(10));
    ticker.advance(Duration.ofMillis(500));
    RateLimitDecision rejected = l.decide(3);
    assertThat(rejected.allowed()).isFalse();
    assertThat(rejected.remaining()).isZero();
    assertThat(rejected.retryAfter()).isEqualTo(Duration.ofMillis(2500));
    assertThat(rejected.retryAfterSeconds()).isEqualTo(3);
    assertThat(rejected.resetAfter()).isEqualTo(Duration.ofMillis(9500));
    assertThat(rejected.resetAfterSeconds()).isEqualTo(10);
  }

  @ParameterizedTest
  @ValueSource(longs = {Long.MAX_VALUE - 1_500_000_000L, -1L, Long.MIN_VALUE + 5})
  void theTickerMayWrapPastLongMaxValue(long start) {
    ticker.set(start);
    RateLimiter l = limiter(RateLimit.of(2, Duration.ofSeconds(1)));
    assertThat(drain(l)).isEqualTo(2);
    int granted = 0;
    for (int i = 0; i < 40; i++) { // 4 seconds, across the wrap for the first start
      ticker.advance(Duration.ofMillis(100));
      granted += drain(l);
    }
    assertThat(granted).isEqualTo(8);
  }

  @Test
  void aKeyIdleForCenturiesOfTickerStillDecidesRight() {
    RateLimiter l = limiter(RateLimit.of(2, Duration.ofSeconds(1)));
    drain(l);
    ticker.advance(Long.MAX_VALUE / 2);
    assertThat(drain(l)).isEqualTo(2);
  }

  @Test
  void theBoundedWaitReservesAndWaitsOnlyWhenThePermitIsDueInTime() throws Exception {
    List<Long> waits = new ArrayList<>();
    RateLimiter l = RateLimiter.builder("api").limit(RateLimit.of(1, Duration.ofSeconds(1))).ticker(ticker)
        .sleeper(d -> {
          waits.add(d.toNanos());
          ticker.advance(d.toNanos());
        }).build();
    assertThat(l.tryAcquire(1, Duration.ZERO)).isTrue();
    assertThat(l.tryAcquire(1, Duration.ofMillis(999))).as("due in 1 s, too late").isFalse();
    assertThat(waits).isEmpty();
    assertThat(l.tryAcquire(1, Duration.ofSeconds(2))).isTrue();
    assertThat(waits).containsExactly(SECOND);
    assertThat(l.tryAcquire()).as("tryAcquire never waits").isFalse();
    assertThatThrownBy(() -> l.tryAcquire(1, Duration.ofSeconds(-1))).hasMessageContaining("maxWait must not be negative");
  }

  @Test
  void reservationsQueueOneBehindAnother() throws Exception {
    List<Long> waits = new ArrayList<>();
    RateLimiter l = RateLimiter.builder("api").limit(RateLimit.of(1, Duration.ofSeconds(1))).ticker(ticker)
        .sleeper(d -> waits.add(d.toNanos())).build();
    for (int i = 0; i < 4; i++) {
      assertThat(l.tryAcquire(1, Duration.ofSeconds(3))).isTrue();
    }
    assertThat(l.tryAcquire(1, Duration.ofSeconds(3))).isFalse();
    assertThat(waits).containsExactly(SECOND, 2 * SECOND, 3 * SECOND);
  }

  @Test
  void tryAcquireNanosAnswersZeroOrTheExactWaitWithoutADecision() {
    RateLimiter l = limiter(RateLimit.builder().permits(10).per(Duration.ofSeconds(1)).burst(2).build());
    assertThat(l.tryAcquireNanos(2)).isZero();
    assertThat(l.tryAcquireNanos(1)).isEqualTo(100_000_000L);
    ticker.advance(Duration.ofMillis(40));
    assertThat(l.tryAcquireNanos(2)).as("two permits: 200 ms after the drain").isEqualTo(160_000_000L);
    ticker.advance(Duration.ofMillis(60));
    assertThat(l.tryAcquireNanos(1)).isZero();
    assertThat(l.metrics()).isEqualTo(new RateLimiterMetrics(2, 2, 1));
    assertThatThrownBy(() -> l.tryAcquireNanos(3)).hasMessageContaining("can never be granted");
  }

  @Test
  void decoratorsTakeAPermitPerCallOrThrowWithRetryAfter() throws Exception {
    RateLimiter l = limiter(RateLimit.of(2, Duration.ofSeconds(1)));
    AtomicInteger calls = new AtomicInteger();
    Supplier<Integer> s = l.decorateSupplier(calls::incrementAndGet);
    Runnable r = l.decorateRunnable(calls::incrementAndGet);
    assertThat(s.get()).isEqualTo(1);
    r.run();
    assertThatThrownBy(() -> l.decorateCallable(calls::incrementAndGet).call())
        .isInstanceOf(RequestNotPermittedException.class)
        .hasMessage("rate limit 'api' exceeded; retry after PT0.5S")
        .satisfies(e -> assertThat(((RequestNotPermittedException) e).retryAfter()).isEqualTo(Duration.ofMillis(500)));
    assertThat(calls).hasValue(2);
  }

  @Test
  void rejectionsArePublishedAndCounted() throws Exception {
    MutableClock clock = MutableClock.at("2026-11-21T00:00:00Z");
    RateLimiter l = RateLimiter.builder("login").limit(RateLimit.of(1, Duration.ofMinutes(1))).ticker(ticker)
        .clock(clock).build();
    List<RateLimitRejected> events = new ArrayList<>();
    try (AutoCloseable sub = l.onRejected(events::add)) {
      l.onRejected(e -> {
        throw new IllegalStateException("a broken listener");
      });
      assertThat(l.tryAcquire()).isTrue();
      assertThat(l.tryAcquire()).isFalse();
    }
    assertThat(l.tryAcquire()).isFalse();
    assertThat(events).containsExactly(new RateLimitRejected("login", "", 1, Duration.ofMinutes(1),
        Instant.parse("2026-11-21T00:00:00Z")));
    assertThat(l.metrics()).isEqualTo(new RateLimiterMetrics(1, 2, 1));
  }

  @Test
  void theSystemSleeperHonoursInterruptionWithoutWaiting() {
    Thread.currentThread().interrupt();
    assertThatThrownBy(() -> dev.pledge.core.time.Sleeper.system().sleep(Duration.ofHours(1)))
        .isInstanceOf(InterruptedException.class);
    assertThat(Thread.interrupted()).as("the flag is consumed by the exception").isFalse();
  }

  @Test
  void drainTakesEveryPermit() {
    RateLimiter l = limiter(RateLimit.of(5, Duration.ofSeconds(1)));
    l.drain();
    assertThat(l.availablePermits()).isZero();
    ticker.advance(Duration.ofMillis(200));
    assertThat(l.availablePermits()).isOne();
  }

  @Test
  void aLimiterNeedsANameAndALimit() {
    assertThatThrownBy(() -> RateLimiter.builder(" ")).hasMessage("name must not be blank, got ' '");
    assertThatThrownBy(() -> RateLimiter.builder("api").build())
        .hasMessage("limits must hold at least one limit for rate limiter 'api'");
    assertThat(RateLimiter.of("x", RateLimit.of(1, Duration.ofSeconds(1))).toString()).contains("x", "1 per PT1S");
  }
}
