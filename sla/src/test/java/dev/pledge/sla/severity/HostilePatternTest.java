package dev.pledge.sla.severity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Report text is untrusted and a policy's patterns may be careless (issue 19): the patterns run on a
 * linear-time engine, and what that engine cannot run is refused when the rule is made.
 */
class HostilePatternTest {
  /** Expressions that take exponential or high-polynomial time on a backtracking engine. */
  private static final List<String> HOSTILE = List.of(
      "(\\w+\\s?){1,100}$", "(a+)+$", "(a|aa)+$", "(.*a){20}#", "([a-z]+)*[0-9]$", "(x+x+)+y");

  private static SlaPolicy policyWith(String... patterns) {
    Rule hostile = Rule.builder("hostile", "outage").patterns(patterns).build();
    return new SlaPolicy(
        List.of(new Tier(1, "Gold", Duration.ofHours(2), null, List.of("outage")),
            new Tier(3, "Bronze", Duration.ofHours(48), null, List.of("other"))),
        List.of(hostile), null, 3, null);
  }

  private static String adversarial(int length) {
    StringBuilder b = new StringBuilder(length);
    String unit = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa x";
    while (b.length() < length - 1) {
      b.append(unit);
    }
    b.setLength(length - 1);
    return b.append('!').toString();
  }

  @Test
  void policyPatternsRunOnTheLinearTimeEngine() {
    // the type is the promise: RE2/J guarantees time linear in the text's length
    com.google.re2j.Pattern p = Rule.compile("hostile", "(\\w+\\s?){1,100}$");
    assertThat(p.programSize()).isLessThanOrEqualTo(Rule.MAX_PROGRAM_SIZE);
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS) // generous for a loaded machine: a backtracking engine needs days
  void aOneMegabyteAdversarialReportClassifiesUnderHostileRules() {
    Classifier c = Classifier.from(policyWith(HOSTILE.toArray(String[]::new)));
    Classification result = c.classify(Report.of(adversarial(1 << 20)));
    assertThat(result.defaulted()).isTrue();
    assertThat(result.tier().rank()).isEqualTo(3);
    // the 26-character report of the issue that took 32 s
    assertThat(c.classify(Report.of("aaaaaaaaaaaaaaaaaaaaaaaaa!")).defaulted()).isTrue();
  }

  @Test
  void patternsSeeTheHeadOfAVeryLongReportAndKeywordsAllOfIt() {
    Rule pattern = Rule.builder("pattern", "outage").patterns("\\bfailover\\b").build();
    Rule keyword = Rule.builder("keyword", "other").keywords("failover").build();
    Classifier c = Classifier.from(new SlaPolicy(
        List.of(new Tier(1, "Gold", Duration.ofHours(2), null, List.of("outage")),
            new Tier(3, "Bronze", Duration.ofHours(48), null, List.of("other"))),
        List.of(pattern, keyword), null, 3, null));
    String head = "x ".repeat(Rule.PATTERN_TEXT_LIMIT / 2);
    assertThat(c.classify(Report.of(head + "failover")).matchedNames()).containsExactly("keyword");
    assertThat(c.classify(Report.of("failover " + head)).matchedNames()).containsExactly("pattern", "keyword");
  }

  @Test
  void aPolicyWhosePatternsTogetherAreTooLargeIsRefusedNamingTheRule() {
    String big = "(\\w+\\s?){1,100}x"; // about 700 instructions each
    assertThatThrownBy(() -> policyWith(big, big + "y", big + "z", big + "w", big + "v", big + "u"))
        .hasMessageContaining("rule 'hostile'").hasMessageContaining("instructions in all");
  }

  @ParameterizedTest
  @ValueSource(strings = {"down(?=time)", "(?<!not )down", "(down)\\1", "down++", "(?>down)"})
  void whatTheLinearEngineCannotRunIsRefusedNamingTheRule(String regex) {
    assertThatThrownBy(() -> Rule.builder("my rule", "outage").patterns(regex).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("rule 'my rule'")
        .hasMessageContaining("linear time");
  }

  @Test
  void patternsTooLargeToRunCheaplyAreRefused() {
    assertThatThrownBy(() -> Rule.builder("big", "outage").patterns("((a{100}){100}){100}").build())
        .hasMessageContaining("rule 'big'").hasMessageMatching("(?s).*(too large|too complex|repetition).*");
    // refused before compiling: RE2/J would expand it to a billion instructions and exhaust memory
    assertThatThrownBy(() -> Rule.builder("huge", "outage").patterns("((a{1000}){1000}){1000}").build())
        .hasMessageContaining("rule 'huge'").hasMessageContaining("too large");
    assertThatThrownBy(() -> Rule.builder("huge", "outage").patterns("(?:".repeat(140) + "a" + "){2}".repeat(140)).build())
        .hasMessageContaining("rule 'huge'").hasMessageContaining("too large");
    assertThat(Rule.estimatedSize("(\\w+\\s?){1,100}$"))
        .isGreaterThanOrEqualTo(Rule.compile("r", "(\\w+\\s?){1,100}$").programSize());
    assertThatThrownBy(() -> Rule.builder("long", "outage").patterns("a".repeat(1001)).build())
        .hasMessageContaining("rule 'long'").hasMessageContaining("1001 characters");
  }

  @Test
  void thePrefilterKeepsWordBoundariesBeforeTheLiteral() {
    Classifier c = Classifier.from(policyWith("\\berror-\\d{3}\\b"));
    assertThat(c.classify(Report.of("we see xerror-512 then error-51")).defaulted()).isTrue();
    assertThat(c.classify(Report.of("we see xerror-512 then error-513 now")).defaulted()).isFalse();
    assertThat(c.classify(Report.of("ERROR-513 on login")).defaulted()).isFalse();
  }

  @Test
  void thePrefilterNeverHidesAMatchTheEngineWouldFind() {
    // RE2/J folds the long s to 's' when ignoring case; the literal prefilter must not skip it
    Classifier c = Classifier.from(policyWith("status page"));
    assertThat(c.classify(Report.of("the \u017ftatus page is blank")).defaulted()).isFalse();
  }
}
