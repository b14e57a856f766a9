package dev.pledge.security.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pledge.core.testing.Requirements;
import dev.pledge.core.time.MutableClock;
import dev.pledge.security.ratelimit.LoginThrottle;
import dev.pledge.security.ratelimit.RateLimit;
import dev.pledge.security.ratelimit.RedisFailureMode;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 13: every Redis builder has {@code toBuilder()}, and builder, build, {@code toBuilder()}, build
 * gives the same configuration; each build opens its own connection to the machine's Redis.
 */
class ToBuilderTest {
  private static final String URI = "redis://127.0.0.1:6379";
  private static final MutableClock CLOCK = MutableClock.at("2026-11-02T09:00:00Z");
  private final String prefix = "{pledge-tobuilder:" + UUID.randomUUID() + "}:";
  private final List<AutoCloseable> opened = new ArrayList<>();

  @BeforeEach
  void redis() {
    Requirements.requireRedis();
  }

  @AfterEach
  void cleanUp() throws Exception {
    for (AutoCloseable c : opened) {
      c.close();
    }
    try (RedisClient client = RedisClient.create(URI); StatefulRedisConnection<String, String> c = client.connect()) {
      var keys = c.sync().keys(prefix + "*");
      if (!keys.isEmpty()) {
        c.sync().del(keys.toArray(new String[0]));
      }
    }
  }

  static Stream<Arguments> builders() {
    return Stream.of(
        of("RedisLoginFailureStore", p -> RedisLoginFailureStore.builder(URI).keyPrefix(p)
            .timeout(Duration.ofSeconds(2)).connectTimeout(Duration.ofSeconds(3))),
        of("RedisRateLimiter", p -> RedisRateLimiter.builder("api", URI)
            .limit(RateLimit.builder().permits(100).per(Duration.ofMinutes(1)).build()).keyPrefix(p)
            .timeout(Duration.ofSeconds(2)).connectTimeout(Duration.ofSeconds(3))
            .failureMode(RedisFailureMode.FAIL_OPEN).clock(CLOCK)),
        of("RedisReplayGuard", p -> RedisReplayGuard.builder(URI).keyPrefix(p).window(Duration.ofMinutes(3))
            .timeout(Duration.ofSeconds(2)).connectTimeout(Duration.ofSeconds(3))));
  }

  private static Arguments of(String name, Function<String, Object> builder) {
    return Arguments.of(name, builder);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("builders")
  void builderBuildToBuilderBuildKeepsEverySetting(String name, Function<String, Object> builder) throws Exception {
    Object given = builder.apply(prefix);
    Object copy = call(build(given), "toBuilder");
    assertThat(copy).as(name).usingRecursiveComparison().ignoringExpectedNullFields().isEqualTo(given);
    Object again = call(build(copy), "toBuilder");
    assertThat(again).as(name).usingRecursiveComparison().isEqualTo(copy);
  }

  @Test
  void aThrottlesOwnStoreIsReopenedByItsCopySoClosingOneLeavesTheOtherWorking() {
    LoginThrottle first = LoginThrottle.builder().openStore(URI).maxFailures(10).build();
    LoginThrottle copy = first.toBuilder().build();
    opened.add(copy);
    first.close();
    assertThat(copy.recordFailure("ada-" + UUID.randomUUID(), "203.0.113.7").accountFailures()).isEqualTo(1);
  }

  private Object build(Object builder) throws Exception {
    Object built = call(builder, "build");
    opened.add((AutoCloseable) built);
    return built;
  }

  static Object call(Object target, String method) throws Exception {
    Method m = target.getClass().getMethod(method);
    return m.invoke(target);
  }
}
