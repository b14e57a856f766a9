package dev.pledge.sla.severity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pledge.core.policy.PolicyException;
import dev.pledge.core.policy.PolicyLoader;
import dev.pledge.sla.SlaPolicies;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class SlaPolicySectionTest {

  @Test
  void theBundledSectionEncodesP34ToP36() {
    SlaPolicy p = SlaPolicies.bundled();
    assertThat(p.tiers()).extracting(Tier::rank, Tier::name, Tier::respondWithin).containsExactly(
        org.assertj.core.groups.Tuple.tuple(1, "Gold", Duration.ofMinutes(120)),
        org.assertj.core.groups.Tuple.tuple(2, "Silver", Duration.ofHours(6)),
        org.assertj.core.groups.Tuple.tuple(3, "Bronze", Duration.ofHours(48)));
    assertThat(p.tier(1).categories())
        .containsExactly("outage", "messagesnotsending", "securitybreach", "compliance");
    assertThat(p.tier(2).categories()).containsExactly("dataproblem", "performance", "highimpact");
    assertThat(p.tier(3).categories()).containsExactly("notasdesigned");
    assertThat(p.defaultTier()).isEqualTo(3);
    assertThat(p.rules()).hasSizeGreaterThanOrEqualTo(10);
  }

  @Test
  void customersTailorTargetsAndCalendars() {
    SlaPolicy p = SlaPolicies.bundled();
    assertThat(p.tier(1, "acme").respondWithin()).isEqualTo(Duration.ofMinutes(60));
    assertThat(p.tier(2, "acme").calendar()).isEqualTo("londonOffice");
    assertThat(p.tier(3, "acme")).isEqualTo(p.tier(3));
    assertThat(p.tier(1, null).respondWithin()).isEqualTo(Duration.ofMinutes(120));
    assertThatThrownBy(() -> p.tier(1, "acmee")).hasMessage("unknown customer 'acmee'; the policy tailors [acme]");
    assertThatThrownBy(() -> p.tier(4)).hasMessage("unknown tier 4; the policy has tiers 1, 2, 3");
  }

  @Test
  void theEffectivePolicyLoadsAgainToTheSameSection() {
    String yaml = SlaPolicies.load("sla-good.yaml").toYaml();
    assertThat(PolicyLoader.create().load("effective.yaml", yaml).require(SlaPolicy.class))
        .isEqualTo(SlaPolicies.bundled());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      // file | line | path | problem
      "sla-unknown-key.yaml|5|sla.tiers[0].respondWithn|unknown key 'respondWithn'",
      "sla-zero-target.yaml|5|sla.tiers[0].respondWithin|must be greater than zero",
      "sla-bad-zone.yaml|8|sla.calendars.office|unknown zone 'Europe/Londn'",
      "sla-bad-hours.yaml|8|sla.calendars.office|must close after they open",
      "sla-bad-regex.yaml|7|sla.rules[0]|is not a regular expression",
      "sla-uncovered-category.yaml|2|sla|category 'outages' is in no tier",
      "sla-duplicate-rank.yaml|2|sla|rank 1 appears twice",
      "sla-bad-condition.yaml|7|sla.rules[0]|which is not a number",
      "sla-missing-target.yaml|3|sla.tiers[0].respondWithin|missing required key 'respondWithin'",
      "sla-unknown-calendar.yaml|2|sla|calendar 'ofice' is not defined",
      "sla-bad-holiday.yaml|10|sla.calendars.office.holidays[0]|2026-13-25",
  })
  void malformedSectionsFailNamingLineAndPath(String file, int line, String path, String problem) {
    assertThatThrownBy(() -> SlaPolicies.load(file))
        .isInstanceOf(PolicyException.class)
        .satisfies(t -> {
          PolicyException e = (PolicyException) t;
          assertThat(e.line()).as(e.getMessage()).isEqualTo(line);
          assertThat(e.path()).as(e.getMessage()).startsWith(path);
          assertThat(e.problem()).as(e.getMessage()).contains(problem);
          assertThat(e.getMessage()).startsWith(file + ":" + line + ":");
        });
  }
}
