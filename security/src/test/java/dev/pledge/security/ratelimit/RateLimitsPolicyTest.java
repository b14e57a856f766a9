package dev.pledge.security.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pledge.core.policy.PolicyDocument;
import dev.pledge.core.policy.PolicyException;
import dev.pledge.core.policy.PolicyLoader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RateLimitsPolicyTest {
  private final PolicyLoader loader = PolicyLoader.create();

  private static Path policy(String name) throws Exception {
    return Path.of(RateLimitsPolicyTest.class.getResource("/policies/ratelimit/" + name).toURI());
  }

  @Test
  void namedLimitsBindAndBuildLimiters() throws Exception {
    PolicyDocument doc = loader.load(policy("good.yaml"));
    RateLimitsPolicy p = doc.require(RateLimitsPolicy.class);
    assertThat(p.limits()).containsOnlyKeys("api", "login-source");
    List<RateLimit> api = p.limit("api");
    assertThat(api).containsExactly(
        RateLimit.builder().name("api").permits(20).per(Duration.ofSeconds(1)).burst(40).build(),
        RateLimit.builder().name("api").permits(1000).per(Duration.ofHours(1)).build());
    assertThat(p.limit("login-source").get(0).burst()).as("burst defaults to permits").isEqualTo(10);
    assertThat(RateLimiter.from(p, "api").limits()).isEqualTo(api);
    assertThat(KeyedRateLimiter.<String>from(p, "login-source").tryAcquire("10.0.0.1")).isTrue();
    assertThatThrownBy(() -> p.limit("apu")).hasMessage("rateLimits has no limit named 'apu'; it has [api, login-source]");
    assertThat(doc.warnings()).isEmpty();
  }

  @Test
  void theEffectivePolicyRoundTrips() throws Exception {
    PolicyDocument doc = loader.load(policy("good.yaml"));
    String yaml = doc.toYaml();
    assertThat(loader.load("effective.yaml", yaml).require(RateLimitsPolicy.class))
        .isEqualTo(doc.require(RateLimitsPolicy.class));
  }

  @Test
  void aBurstOfOneIsWarnedAbout() {
    PolicyDocument doc = loader.load("p.yaml", "rateLimits:\n  limits:\n    api:\n      - permits: 5\n        per: 1s\n        burst: 1\n");
    assertThat(doc.warnings()).singleElement().satisfies(w -> {
      assertThat(w.path()).isEqualTo("rateLimits.limits.api[0].burst");
      assertThat(w.rule()).isEqualTo("p13/burst");
    });
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "zero-permits.yaml|4|permits must be at least 1, got 0",
      "zero-period.yaml|5|must be greater than zero",
      "missing-per.yaml|4|missing required key 'per'",
      "unknown-key.yaml|6|unknown key 'bust'",
      "empty-rates.yaml|2|needs at least one rate",
      "negative-burst.yaml|4|burst must be at least 1, got -1",
      "words-for-permits.yaml|4|expected a whole number",
  })
  void malformedSectionsFailNamingLineAndKeyPath(String file, int line, String problem) throws Exception {
    Path path = policy(file);
    assertThatThrownBy(() -> loader.load(path))
        .isInstanceOf(PolicyException.class)
        .satisfies(t -> {
          PolicyException e = (PolicyException) t;
          assertThat(e.line()).as(e.getMessage()).isEqualTo(line);
          assertThat(e.path()).as(e.getMessage()).startsWith("rateLimits");
          assertThat(e.getMessage()).startsWith(path + ":" + line + ":").contains(problem);
        });
  }
}
