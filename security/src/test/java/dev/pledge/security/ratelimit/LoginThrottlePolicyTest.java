package dev.pledge.security.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pledge.core.policy.PolicyDocument;
import dev.pledge.core.policy.PolicyException;
import dev.pledge.core.policy.PolicyLoader;
import dev.pledge.core.time.ManualTicker;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class LoginThrottlePolicyTest {
  private final PolicyLoader loader = PolicyLoader.create();

  @Test
  void theSectionBindsAndConfiguresTheThrottle() {
    PolicyDocument doc = loader.load("p.yaml", """
        loginThrottle:
          maxFailuresPerAccount: 4
          maxFailuresPerSource: 50
          freeFailures: 1
          baseDelay: 2s
          backOffFactor: 3
          maxDelay: 1 minute
          lockout: 1 hour
        """);
    LoginThrottlePolicy p = doc.require(LoginThrottlePolicy.class);
    assertThat(p).isEqualTo(new LoginThrottlePolicy(4, 50, 1, Duration.ofSeconds(2), 3, Duration.ofMinutes(1),
        Duration.ofHours(1), Duration.ofHours(24), true));
    assertThat(doc.warnings()).isEmpty();

    ManualTicker ticker = ManualTicker.create();
    LoginThrottle t = LoginThrottle.builder(p).ticker(ticker).build();
    assertThat(t.recordFailure("alice", "s1").allowed()).as("one free failure").isTrue();
    assertThat(t.recordFailure("alice", "s2").retryAfter()).isEqualTo(Duration.ofSeconds(2));
    assertThat(t.recordFailure("alice", "s3").retryAfter()).isEqualTo(Duration.ofSeconds(6));
    assertThat(t.recordFailure("alice", "s4").retryAfter()).as("the 4th failure locks the account")
        .isEqualTo(Duration.ofHours(1));
    t.recordSuccess("alice", "s4");
    assertThat(t.check("alice", "s4").allowed()).as("reset on success by default").isTrue();
  }

  @Test
  void anEmptySectionMeansTheDefaults() {
    LoginThrottlePolicy p = loader.load("p.yaml", "loginThrottle: {}\n").require(LoginThrottlePolicy.class);
    assertThat(p).isEqualTo(LoginThrottlePolicy.defaults());
    assertThat(p.maxFailuresPerAccount()).as("NIST's ceiling").isEqualTo(100);
    assertThat(p.maxFailuresPerSource()).isEqualTo(100);
    assertThat(p.resetOnSuccess()).isTrue();
  }

  @Test
  void keyingAndTheStoreAreConfigurable() {
    LoginThrottlePolicy p = loader.load("p.yaml", """
        loginThrottle:
          normalizeAccounts: false
          ipv6SourcePrefix: 48
          store: redis://:s3cret@10.0.0.5:6379/2
        """).require(LoginThrottlePolicy.class);
    assertThat(p.normalizeAccounts()).isFalse();
    assertThat(p.storeAddress()).contains("redis://:s3cret@10.0.0.5:6379/2");
    assertThat(p.toString()).contains("store=redis://***@10.0.0.5:6379/2").doesNotContain("s3cret");
    assertThatThrownBy(() -> LoginThrottle.builder(p).ticker(ManualTicker.create()).build())
        .as("the section's store is part of the binding, opened by build()")
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("needs pledge-security-redis")
        .hasMessageNotContaining("s3cret");
    LoginThrottlePolicy inProcess = new LoginThrottlePolicy(null, null, null, null, null, null, null, null, null,
        p.normalizeAccounts(), p.ipv6SourcePrefix(), null);
    LoginThrottle t = LoginThrottle.builder(inProcess).ticker(ManualTicker.create()).build();
    assertThat(t.keys()).isEqualTo(new LoginKeys(false, 48));
    assertThat(LoginThrottle.builder(LoginThrottlePolicy.defaults()).build().keys()).as("normalised by default")
        .isEqualTo(LoginKeys.defaults());
    assertThat(LoginThrottlePolicy.defaults().storeAddress()).as("in-process by default").isEmpty();
    assertThatThrownBy(() -> loader.load("p.yaml", "loginThrottle:\n  ipv6SourcePrefix: 129\n"))
        .hasMessageContaining("ipv6SourcePrefix must be between 1 and 128, got 129");
    assertThatThrownBy(() -> loader.load("p.yaml", "loginThrottle:\n  store: memcached://x\n"))
        .hasMessageContaining("store must be a Redis address");
  }

  @Test
  void theEffectivePolicyRoundTrips() {
    PolicyDocument doc = loader.load("p.yaml", "loginThrottle:\n  maxFailuresPerSource: 500\n  backOffFactor: 1\n");
    assertThat(loader.load("effective.yaml", doc.toYaml()).require(LoginThrottlePolicy.class))
        .isEqualTo(doc.require(LoginThrottlePolicy.class));
  }

  @Test
  void riskyChoicesAreWarnedAbout() {
    PolicyDocument doc = loader.load("p.yaml", "loginThrottle:\n  resetOnSuccess: false\n  lockout: 2 days\n");
    assertThat(doc.warnings()).extracting(w -> w.path() + " " + w.rule()).containsExactlyInAnyOrder(
        "loginThrottle.resetOnSuccess p13/reset-on-success", "loginThrottle.forgetAfter p13/forget-after");
  }

  @ParameterizedTest(name = "{0}: {2}")
  @CsvSource(delimiter = '|', value = {
      "maxFailuresPerAccount: 101|maxFailuresPerAccount|maxFailuresPerAccount must be between 1 and 100, got 101",
      "maxFailuresPerAccount: 0|maxFailuresPerAccount|maxFailuresPerAccount must be between 1 and 100, got 0",
      "maxFailuresPerSource: -3|maxFailuresPerSource|maxFailuresPerSource must be between 1 and 100000, got -3",
      "freeFailures: -1|freeFailures|freeFailures must not be negative, got -1",
      "freeFailures: 101|freeFailures|freeFailures must not exceed maxFailures 100, got 101",
      "backOffFactor: 0|backOffFactor|backOffFactor must be between 1 and 10, got 0",
      "backOffFactor: 11|backOffFactor|backOffFactor must be between 1 and 10, got 11",
      "baseDelay: 0s|baseDelay|must be greater than zero",
      "maxDelay: 0s|maxDelay|must be greater than zero",
      "lockout: -5m|lockout|lockout",
      "maxDelay: 100ms|maxDelay|maxDelay must be at least baseDelay PT1S, got PT0.1S",
      "resetOnSucess: true|resetOnSucess|unknown key 'resetOnSucess'",
      "maxFailuresPerAccount: many|maxFailuresPerAccount|expected a whole number",
  })
  void badValuesFailTheLoadNamingTheField(String line, String field, String problem) {
    String yaml = "loginThrottle:\n  " + line + "\n";
    assertThatThrownBy(() -> loader.load("p.yaml", yaml))
        .isInstanceOf(PolicyException.class)
        .satisfies(t -> {
          PolicyException e = (PolicyException) t;
          assertThat(e.path()).as(e.getMessage()).startsWith("loginThrottle");
          assertThat(e.getMessage()).contains(field).contains(problem);
        });
  }
}
