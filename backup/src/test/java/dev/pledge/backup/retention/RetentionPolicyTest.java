package dev.pledge.backup.retention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pledge.core.policy.PolicyDocument;
import dev.pledge.core.policy.PolicyException;
import dev.pledge.core.policy.PolicyLoader;
import java.io.InputStream;
import java.time.Duration;
import java.time.Period;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RetentionPolicyTest {
  private final PolicyLoader loader = PolicyLoader.create();

  @Test
  void theSectionBindsWithItsDefaults() {
    PolicyDocument doc = loader.load("p.yaml", """
        retention:
          keep:
            last: 7
            daily: 92
            within: 2 days
          semantics: restic
          zone: Europe/London
          coldStorageClass: DEEP_ARCHIVE
        """);
    RetentionPolicy p = doc.require(RetentionPolicy.class);
    assertThat(p.rules()).isEqualTo(RetentionRules.builder().last(7).daily(92).within(Duration.ofDays(2)).build());
    assertThat(p.semanticsValue()).isEqualTo(Semantics.RESTIC);
    assertThat(p.zoneId()).isEqualTo(ZoneId.of("Europe/London"));
    assertThat(p.hotPeriod()).isEqualTo(Period.ofMonths(3));
    assertThat(p.pitrWindow()).isEqualTo(Duration.ofDays(7));
    assertThat(p.dryRun()).isTrue();
    RetentionPlanner planner = RetentionPlanner.builder(p).build();
    assertThat(planner.coldStorageClass()).isEqualTo(ColdStorageClass.DEEP_ARCHIVE);
    assertThat(doc.warnings()).isEmpty();
    // the effective policy loads again to the same section
    assertThat(loader.load("e.yaml", doc.toYaml()).require(RetentionPolicy.class)).isEqualTo(p);
  }

  @Test
  void noKeepRulesIsAWarning() {
    PolicyDocument doc = loader.load("p.yaml", "retention:\n  semantics: borg\n");
    assertThat(doc.warnings()).anySatisfy(w -> assertThat(w.path()).isEqualTo("retention.keep"));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "bad-unknown-key.yaml|4|retention.keep.hourli|unknown key 'hourli'",
      "bad-zero-count.yaml|3|retention.keep|daily must be at least 1",
      "bad-semantics.yaml|2|retention|'rsync'",
      "bad-storage-class.yaml|2|retention.coldStorageClass|GLACIER",
      "bad-zone.yaml|2|retention|unknown zone 'Europe/Londn'",
      "bad-zero-within.yaml|3|retention.keep.within|greater than zero",
      "bad-minutes-as-period.yaml|2|retention.hotPeriod|minutes",
  })
  void malformedSectionsFailNamingLineAndPath(String file, int line, String path, String problem) throws Exception {
    try (InputStream in = getClass().getResourceAsStream("/policies/retention/" + file)) {
      assertThatThrownBy(() -> loader.load(file, in))
          .isInstanceOf(PolicyException.class)
          .satisfies(t -> {
            PolicyException e = (PolicyException) t;
            assertThat(e.line()).as(e.getMessage()).isEqualTo(line);
            assertThat(e.path()).as(e.getMessage()).isEqualTo(path);
            assertThat(e.problem()).as(e.getMessage()).contains(problem);
          });
    }
  }
}
