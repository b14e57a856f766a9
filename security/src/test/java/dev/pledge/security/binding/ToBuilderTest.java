package dev.pledge.security.binding;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pledge.core.Secret;
import dev.pledge.core.audit.AuditTrail;
import dev.pledge.core.audit.InMemoryAuditTrail;
import dev.pledge.core.policy.PolicyLoader;
import dev.pledge.core.time.ManualTicker;
import dev.pledge.core.time.MutableClock;
import dev.pledge.security.access.AccessBroker;
import dev.pledge.security.access.AccessPolicy;
import dev.pledge.security.apikey.ApiKeyStore;
import dev.pledge.security.apikey.ApiKeys;
import dev.pledge.security.breach.BreachPolicy;
import dev.pledge.security.breach.BreachRunbook;
import dev.pledge.security.breach.EmailNotification;
import dev.pledge.security.breach.StepKind;
import dev.pledge.security.password.PwnedPasswords;
import dev.pledge.security.ratelimit.LoginThrottle;
import java.lang.reflect.Method;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 13: every config builder of the module has {@code toBuilder()}, and builder, build,
 * {@code toBuilder()}, build gives the same configuration. Each builder sets non-default values, so a
 * setting that {@code toBuilder()} forgot would come back as its default and fail the comparison.
 */
class ToBuilderTest {
  private static final MutableClock CLOCK = MutableClock.at("2026-11-02T09:00:00Z");
  private static final InMemoryAuditTrail AUDIT = AuditTrail.inMemory();
  private static final AccessPolicy ACCESS = PolicyLoader.create().load("policy.yaml", """
      access:
        administrator: mark
        maxGrant: 8h
        roles:
          - name: engineer
            permissions: [deploy]
      """).require(AccessPolicy.class);

  static Stream<Arguments> builders() {
    return Stream.of(
        of("LoginThrottle", () -> LoginThrottle.builder().maxFailuresPerAccount(7).maxFailuresPerSource(40)
            .freeFailures(2).backOffFactor(3).resetOnSuccess(false).clock(CLOCK).baseDelay(Duration.ofSeconds(2))
            .maxDelay(Duration.ofMinutes(5)).lockout(Duration.ofHours(2)).forgetAfter(Duration.ofHours(3))
            .maximumKeys(1000).ticker(ManualTicker.create()).normalizeAccounts(false)),
        of("ApiKeys", () -> ApiKeys.builder(ApiKeyStore.inMemory()).prefix("sk").clock(CLOCK).audit(AUDIT)),
        of("EmailNotification", () -> EmailNotification.builder("smtp.example.com", 2525, "security@example.com")
            .requireTls(false).login("mailer", Secret.ofUtf8("hunter2hunter2")).subject("Incident").body("Body")
            .customers(List::of).log(Path.of("mail-log"))),
        of("PwnedPasswords", () -> PwnedPasswords.builder().baseUrl(URI.create("http://127.0.0.1:9/"))
            .timeout(Duration.ofMillis(300)).cacheTtl(Duration.ofMinutes(5)).maximumRanges(10).clock(CLOCK)
            .ticker(ManualTicker.create()).circuitBreaker(3, Duration.ofSeconds(7))),
        of("AccessBroker", () -> AccessBroker.builder(ACCESS).clock(CLOCK).audit(AUDIT).node("node-a")
            .cleanupLease(Duration.ofMinutes(2))),
        of("BreachRunbook", () -> BreachRunbook.builder(BreachPolicy.defaults()).clock(CLOCK).audit(AUDIT)
            .action(StepKind.NOTIFY_CUSTOMERS, incident -> "notified")));
  }

  private static Arguments of(String name, Supplier<Object> builder) {
    return Arguments.of(name, builder);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("builders")
  void builderBuildToBuilderBuildKeepsEverySetting(String name, Supplier<Object> builder) throws Exception {
    Object given = builder.get();
    Object copy = call(call(given, "build"), "toBuilder");
    assertThat(copy).as(name).usingRecursiveComparison().ignoringExpectedNullFields().isEqualTo(given);
    Object again = call(call(copy, "build"), "toBuilder");
    assertThat(again).as(name).usingRecursiveComparison().isEqualTo(copy);
  }

  static Object call(Object target, String method) throws Exception {
    Method m = target.getClass().getMethod(method);
    return m.invoke(target);
  }
}
