package dev.pledge.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pledge.core.policy.PolicyDocument;
import dev.pledge.core.time.ManualTicker;
import dev.pledge.core.time.Ticker;
import dev.pledge.security.password.PasswordHasher;
import dev.pledge.security.password.PasswordRules;
import dev.pledge.security.password.PasswordValidator;
import dev.pledge.security.password.ViolationCode;
import dev.pledge.security.ratelimit.KeyedRateLimiter;
import dev.pledge.security.ratelimit.LoginThrottle;
import dev.pledge.security.ratelimit.RateLimit;
import dev.pledge.sla.oncall.OnCallSchedule;
import dev.pledge.sla.severity.Classifier;
import dev.pledge.spring.actuate.OnCallHealthIndicator;
import dev.pledge.spring.actuate.PledgeMeters;
import dev.pledge.spring.actuate.PolicyHealthIndicator;
import dev.pledge.spring.actuate.UptimeHealthIndicator;
import dev.pledge.core.SiteId;
import dev.pledge.core.notify.Notifier;
import dev.pledge.core.time.MutableClock;
import dev.pledge.sla.uptime.HealthCheck;
import dev.pledge.sla.uptime.ProbeSpec;
import dev.pledge.sla.uptime.UptimeMonitor;
import dev.pledge.sla.uptime.UptimeStore;
import java.net.URI;
import dev.pledge.spring.ratelimit.ClientKeyResolver;
import dev.pledge.spring.ratelimit.PledgeRateLimiters;
import dev.pledge.spring.ratelimit.RateLimitFilter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.Status;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.security.crypto.password.PasswordEncoder;

/** The auto-configuration in plain and servlet contexts, without a server: each runner starts in milliseconds. */
class PledgeAutoConfigurationTest {
  private static final AutoConfigurations PLEDGE = AutoConfigurations.of(PledgeAutoConfiguration.class,
      PledgeWebAutoConfiguration.class, PledgePasswordEncoderAutoConfiguration.class,
      PledgeActuatorAutoConfiguration.class);

  private final ApplicationContextRunner runner = new ApplicationContextRunner().withConfiguration(PLEDGE)
      .withPropertyValues("pledge.policy=classpath:test-policy.yaml");

  @Test
  void everySectionOfThePolicyBecomesItsBeans() {
    runner.run(context -> {
      assertThat(context).hasNotFailed();
      assertThat(context).hasSingleBean(PolicyDocument.class).hasSingleBean(PasswordRules.class)
          .hasSingleBean(PasswordValidator.class).hasSingleBean(PasswordHasher.class)
          .hasSingleBean(PasswordEncoder.class).hasSingleBean(PledgeRateLimiters.class)
          .hasSingleBean(LoginThrottle.class).hasSingleBean(OnCallSchedule.class)
          .hasSingleBean(PolicyHealthIndicator.class).hasSingleBean(OnCallHealthIndicator.class)
          .hasSingleBean(PledgeMeters.class);
      // no sla section in this policy, and no servlet context: no classifier, no filter
      assertThat(context).doesNotHaveBean(Classifier.class).doesNotHaveBean(FilterRegistrationBean.class);

      assertThat(context.getBean(PasswordValidator.class).validate("monkey123").has(ViolationCode.TOO_SHORT)).isTrue();
      assertThat(context.getBean(PasswordEncoder.class).encode("Correct-Horse-7-Battery")).startsWith("{bcrypt}$2b$05$");
      assertThat(context.getBean(PledgeRateLimiters.class).names()).containsExactly("api", "login-source");
    });
  }

  @Test
  void withoutTheOptionalLibrariesOnlyThePolicyPasswordsAndLimitersRemain() {
    runner.withClassLoader(new FilteredClassLoader("dev.pledge.sla.", "org.springframework.boot.actuate.",
        "org.springframework.security.", "io.micrometer.")).run(context -> {
          assertThat(context).hasNotFailed().hasSingleBean(PolicyDocument.class).hasSingleBean(PasswordHasher.class)
              .hasSingleBean(PledgeRateLimiters.class).hasSingleBean(LoginThrottle.class);
          assertThat(context).doesNotHaveBean("pledgeOnCallSchedule").doesNotHaveBean("pledgePasswordEncoder")
              .doesNotHaveBean("pledgePolicyHealthIndicator").doesNotHaveBean("pledgeOnCallHealthIndicator")
              .doesNotHaveBean("pledgeMeters");
        });
  }

  @Test
  void limitersRunOnTheApplicationsTicker() {
    ManualTicker ticker = ManualTicker.create();
    runner.withBean(Ticker.class, () -> ticker).run(context -> {
      var api = context.getBean(PledgeRateLimiters.class).keyed("api");
      for (int i = 0; i < 3; i++) {
        assertThat(api.tryAcquire("c")).isTrue();
      }
      assertThat(api.tryAcquire("c")).isFalse();
      ticker.advance(java.time.Duration.ofMillis(500));
      assertThat(api.tryAcquire("c")).isTrue();
    });
  }

  @Test
  void theApplicationsOwnBeansWin() {
    PasswordHasher own = PasswordHasher.bcrypt(4);
    runner.withBean(PasswordHasher.class, () -> own).run(context -> {
      assertThat(context.getBean(PasswordHasher.class)).isSameAs(own);
      assertThat(context.getBean(PasswordEncoder.class).encode("Correct-Horse-7-Battery")).startsWith("{bcrypt}$2b$04$");
    });
  }

  @Test
  void aPolicyWithoutASectionHasNoneOfItsBeans() {
    new WebApplicationContextRunner().withConfiguration(PLEDGE)
        .withPropertyValues("pledge.policy=classpath:passwords-only-policy.yaml", "pledge.rate-limit.paths=/api/**")
        .run(context -> {
          assertThat(context).hasNotFailed().hasSingleBean(PasswordHasher.class).hasSingleBean(PolicyHealthIndicator.class);
          assertThat(context).doesNotHaveBean(PledgeRateLimiters.class).doesNotHaveBean(LoginThrottle.class)
              .doesNotHaveBean(OnCallSchedule.class).doesNotHaveBean(OnCallHealthIndicator.class)
              .doesNotHaveBean(FilterRegistrationBean.class);
        });
  }

  @Test
  void inAServletApplicationTheFilterLimitsTheConfiguredPathsWithThePolicysLimit() {
    new WebApplicationContextRunner().withConfiguration(PLEDGE)
        .withPropertyValues("pledge.policy=classpath:test-policy.yaml", "pledge.rate-limit.paths=/api/**,/login",
            "pledge.rate-limit.limit=login-source")
        .run(context -> {
          assertThat(context).hasNotFailed().hasSingleBean(ClientKeyResolver.class);
          FilterRegistrationBean<?> registration = context.getBean(FilterRegistrationBean.class);
          RateLimitFilter filter = (RateLimitFilter) registration.getFilter();
          assertThat(filter.limiter()).isSameAs(context.getBean(PledgeRateLimiters.class).keyed("login-source"));
          assertThat(filter.headers().policy()).isEqualTo("\"login-source\";q=10;w=60");
          assertThat(registration.getOrder()).isEqualTo(-90);
        });
  }

  @Test
  void theFilterUsesTheApplicationsOwnLimitersSuchAsSharedOnes() {
    KeyedRateLimiter<String> shared = KeyedRateLimiter.<String>builder("partner")
        .limit(RateLimit.of(50, java.time.Duration.ofMinutes(1))).build();
    new WebApplicationContextRunner().withConfiguration(PLEDGE)
        .withBean(PledgeRateLimiters.class, () -> PledgeRateLimiters.of(java.util.List.of(shared)))
        .withPropertyValues("pledge.policy=classpath:test-policy.yaml", "pledge.rate-limit.paths=/partner/**",
            "pledge.rate-limit.limit=partner")
        .run(context -> {
          RateLimitFilter filter = (RateLimitFilter) context.getBean(FilterRegistrationBean.class).getFilter();
          assertThat(filter.limiter()).isSameAs(shared);
          assertThat(filter.headers().policy()).isEqualTo("\"partner\";q=50;w=60");
        });
  }

  @Test
  void aFilterWithoutPathsIsNotRegistered() {
    new WebApplicationContextRunner().withConfiguration(PLEDGE)
        .withPropertyValues("pledge.policy=classpath:test-policy.yaml")
        .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(FilterRegistrationBean.class));
  }

  @Test
  void aLimitThePolicyLacksStopsTheStartNamingTheSettingAndTheLimits() {
    new WebApplicationContextRunner().withConfiguration(PLEDGE)
        .withPropertyValues("pledge.policy=classpath:test-policy.yaml", "pledge.rate-limit.paths=/api/**",
            "pledge.rate-limit.limit=checkout")
        .run(context -> assertThat(context).getFailure()
            .hasStackTraceContaining("pledge.rate-limit: the policy's rateLimits has no limit named 'checkout'; it has [api, login-source]"));
  }

  @Test
  void aPolicyThatDoesNotLoadStopsTheStartWithFileLineAndKey() {
    runner.withPropertyValues("pledge.policy=classpath:broken-policy.yaml").run(context -> {
      Throwable failure = context.getStartupFailure();
      assertThat(failure).isNotNull();
      FailureAnalysis analysis = new PolicyFailureAnalyzer().analyze(failure);
      assertThat(analysis.getDescription())
          .contains("classpath:broken-policy.yaml:6:", "rateLimits.limits.api[0].burts")
          .doesNotContain("Exception");
    });
  }

  @Test
  void aPlainPathIsAFileAndAMissingOneIsNamed(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("policy.yaml");
    Files.writeString(file, "passwords:\n  minLength: 14\n");
    runner.withPropertyValues("pledge.policy=" + file).run(context ->
        assertThat(context.getBean(PasswordRules.class).minLength()).isEqualTo(14));
    Path prehash = dir.resolve("prehash.yaml");
    Files.writeString(prehash, "passwords:\n  hashing:\n    cost: 4\n    longPasswords: PREHASH\n");
    runner.withPropertyValues("pledge.policy=" + prehash).run(context ->
        assertThat(context).getFailure().hasStackTraceContaining("pledge.passwords.pepper")
            .hasStackTraceContaining("needs a pepper of at least 32 bytes"));
    runner.withPropertyValues("pledge.policy=" + prehash, "pledge.passwords.pepper=" + "p".repeat(32)).run(context ->
        assertThat(context.getBean(PasswordHasher.class).hash("x".repeat(100))).startsWith("$2b$04$"));
    runner.withPropertyValues("pledge.policy=classpath:nowhere.yaml").run(context ->
        assertThat(context).getFailure().rootCause().hasMessageContaining("classpath:nowhere.yaml", "no such resource"));
  }

  @Test
  void theOnCallIndicatorIsUpWhileTheComingWeeksAreCoveredAndReportsTheGap() {
    Clock covered = Clock.fixed(Instant.parse("2026-03-04T12:00:00Z"), ZoneOffset.UTC);
    runner.withBean(Clock.class, () -> covered).run(context -> {
      Health health = context.getBean(OnCallHealthIndicator.class).health();
      assertThat(health.getStatus()).isEqualTo(Status.UP);
      assertThat(health.getDetails()).containsEntry("covered", true).containsEntry("onCall", "alice")
          .containsEntry("coverWeeks", 1).containsKey("nextHandoff");
    });
    Clock beforeTheGap = Clock.fixed(Instant.parse("2027-06-01T12:00:00Z"), ZoneOffset.UTC);
    runner.withBean(Clock.class, () -> beforeTheGap).withPropertyValues("pledge.health.on-call-gap-status=COVERAGE_GAP")
        .run(context -> {
          Health health = context.getBean(OnCallHealthIndicator.class).health();
          assertThat(health.getStatus().getCode()).isEqualTo("COVERAGE_GAP");
          assertThat(health.getDetails()).containsEntry("covered", false);
          assertThat((String) health.getDetails().get("gap")).contains("dev");
        });
  }

  @Test
  void theUptimeIndicatorReadsTheApplicationsMonitorForEachProbedSite() {
    MutableClock clock = MutableClock.at("2026-03-04T12:00:00Z");
    UptimeMonitor monitor = UptimeMonitor.builder().clock(clock).store(UptimeStore.inMemory())
        .notifier(Notifier.recording()).destination("#ops").build()
        .add(new ProbeSpec(SiteId.of("shop"), URI.create("https://shop.example.com/health"), null, null, null, 1, null),
            () -> HealthCheck.Result.down("status 503, expected 200"))
        .add(ProbeSpec.of(SiteId.of("portal"), URI.create("https://portal.example.com/health")),
            () -> HealthCheck.Result.up("status 200"));
    runner.withBean(UptimeMonitor.class, () -> monitor).run(context -> {
      UptimeHealthIndicator indicator = context.getBean(UptimeHealthIndicator.class);
      assertThat(indicator.health().getStatus()).isEqualTo(Status.UP);

      monitor.runDue();

      Health health = indicator.health();
      assertThat(health.getStatus()).isEqualTo(Status.DOWN);
      assertThat(health.getDetails().get("sites")).isEqualTo(java.util.Map.of("shop", "DOWN", "portal", "UP"));
    });
    runner.run(context -> assertThat(context).doesNotHaveBean(UptimeHealthIndicator.class));
  }

  @Test
  void metersCountEachLimitsDecisionsAndTheThrottlesLockouts() {
    runner.run(context -> {
      SimpleMeterRegistry registry = new SimpleMeterRegistry();
      context.getBean(PledgeMeters.class).bindTo(registry);
      var api = context.getBean(PledgeRateLimiters.class).keyed("api");
      for (int i = 0; i < 5; i++) {
        api.tryAcquire("client");
      }
      LoginThrottle throttle = context.getBean(LoginThrottle.class);
      for (int i = 0; i < 3; i++) {
        throttle.recordFailure("ana", "10.0.0.1");
      }

      assertThat(registry.get("pledge.ratelimit.decisions").tags("limit", "api", "outcome", "allowed").functionCounter().count())
          .isEqualTo(3);
      assertThat(registry.get("pledge.ratelimit.decisions").tags("limit", "api", "outcome", "rejected").functionCounter().count())
          .isEqualTo(2);
      assertThat(registry.get("pledge.ratelimit.clients").tags("limit", "api").gauge().value()).isEqualTo(1);
      assertThat(registry.get("pledge.ratelimit.decisions").tags("limit", "login-source", "outcome", "allowed")
          .functionCounter().count()).isZero();
      assertThat(registry.get("pledge.login.lockouts").tags("subject", "account").counter().count()).isEqualTo(1);
      assertThat(registry.get("pledge.login.tracked").tags("subject", "source").gauge().value()).isEqualTo(1);
    });
  }
}
