package dev.pledge.sla.severity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pledge.sla.SlaPolicies;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ClassifierTest {
  private final Classifier classifier = Classifier.from(SlaPolicies.bundled());

  @ParameterizedTest(name = "{0} -> tier {1}")
  @CsvSource(delimiter = '|', value = {
      "The shop is down for everyone since 10am|1|outage or downtime",
      "Checkout returns 503 errors on every request|1|outage or downtime",
      "Order confirmation emails are not being sent to customers|1|messages not sending",
      "We think our account was hacked last night|1|security breach",
      "The regulator asked for our GDPR subject access request log|1|compliance",
      "Several invoices have corrupted line items|2|data malformed, corrupted or missing",
      "Search is very slow this morning, pages take ages|2|performance",
      "This is business critical for our launch|2|high impact",
      "The export button does not work as described in the manual|3|not operating as designed",
  })
  void thePoliciesRulesPutEachPromisedCategoryInItsTier(String text, int tier, String rule) {
    Classification c = classifier.classify(Report.of(text));
    assertThat(c.tier().rank()).isEqualTo(tier);
    assertThat(c.matchedNames()).first().isEqualTo(rule);
    assertThat(c.defaulted()).isFalse();
  }

  @Test
  void theMostSevereTierWinsAndEveryMatchIsReportedMostSevereFirst() {
    Classification c = classifier.classify(Report.of(
        "Reports load slowly and some totals look wrong; also the admin site is down"));
    assertThat(c.tier().rank()).isEqualTo(1);
    assertThat(c.tier().name()).isEqualTo("Gold");
    assertThat(c.respondWithin()).isEqualTo(Duration.ofMinutes(120));
    assertThat(c.matchedNames()).containsExactly(
        "outage or downtime", "performance", "not operating as designed");
  }

  @Test
  void keywordsMatchWholeWordsOnlyAndIgnoreCase() {
    // "breach" is a keyword; "breaches" is not the word, "BREACH" is
    assertThat(classifier.classify(Report.of("Possible BREACH of the admin panel")).tier().rank()).isEqualTo(1);
    assertThat(classifier.classify(Report.of("Our slowdown feature flag needs renaming")).defaulted()).isTrue();
  }

  @Test
  void structuredSignalsClassifyWithoutWords() {
    Report down = Report.builder("Customer phoned in").siteDown(true).build();
    assertThat(classifier.classify(down).matchedNames()).containsExactly("site down (signal)");
    Report many = Report.builder("Customer phoned in").affectedUsers(250).build();
    assertThat(classifier.classify(many).tier().rank()).isEqualTo(2);
    Report few = Report.builder("Customer phoned in").affectedUsers(99).build();
    assertThat(classifier.classify(few).defaulted()).isTrue();
    Report security = Report.builder("Customer phoned in").security(true).build();
    assertThat(classifier.classify(security).tier().rank()).isEqualTo(1);
  }

  @Test
  void aReportNoRuleMatchesGetsTheDefaultTier() {
    Classification c = classifier.classify(Report.of("Please could you tell me about your pricing"));
    assertThat(c.tier().rank()).isEqualTo(3);
    assertThat(c.matched()).isEmpty();
    assertThat(c.defaulted()).isTrue();
  }

  @Test
  void customersTailoringChangesTheTarget() {
    Classification c = classifier.classify(Report.of("The site is down"), "acme");
    assertThat(c.tier().rank()).isEqualTo(1);
    assertThat(c.respondWithin()).isEqualTo(Duration.ofMinutes(60));
    assertThatThrownBy(() -> classifier.classify(Report.of("The site is down"), "nobody"))
        .hasMessageContaining("unknown customer 'nobody'");
  }

  @Test
  void aSuggesterRaisesTheTierButNeverLowersIt() {
    SeverityClassifier saysGold = r -> Optional.of(new SeverityClassifier.Suggestion(1, 0.95, "model says outage"));
    SeverityClassifier saysBronze = r -> Optional.of(new SeverityClassifier.Suggestion(3, 0.99, "model says minor"));
    SeverityClassifier unsure = r -> Optional.of(new SeverityClassifier.Suggestion(1, 0.5, "model guesses"));
    SlaPolicy p = SlaPolicies.bundled();

    Classification raised = Classifier.builder(p).suggester(saysGold, 0.8).build()
        .classify(Report.of("Search is slow"));
    assertThat(raised.tier().rank()).isEqualTo(1);
    assertThat(raised.matchedNames()).containsExactly("classifier: model says outage (confidence 0.95)", "performance");

    Classification kept = Classifier.builder(p).suggester(saysBronze, 0.8).build()
        .classify(Report.of("The site is down"));
    assertThat(kept.tier().rank()).isEqualTo(1);
    assertThat(kept.matchedNames()).containsExactly("outage or downtime");

    assertThat(Classifier.builder(p).suggester(unsure, 0.8).build().classify(Report.of("Search is slow"))
        .tier().rank()).isEqualTo(2);
  }

  @Test
  void rulesWrittenInCodeTakePartLikePolicyRules() {
    SeverityRule vip = new SeverityRule() {
      @Override
      public String name() {
        return "vip customer";
      }

      @Override
      public String category() {
        return "highImpact";
      }

      @Override
      public boolean matches(Report report) {
        return report.field("customer").filter("bigbank"::equals).isPresent();
      }
    };
    Classifier c = Classifier.builder(SlaPolicies.bundled()).rule(vip).build();
    Classification r = c.classify(Report.builder("The export has a bug").field("customer", "bigbank").build());
    assertThat(r.tier().rank()).isEqualTo(2);
    assertThat(r.matchedNames()).containsExactly("vip customer", "not operating as designed");
  }

  @Test
  void emptyTextIsRejectedWithAClearMessage() {
    assertThatThrownBy(() -> Report.of("  \n"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("report text must not be empty; describe the issue");
  }

  @Test
  void rulesBuiltInCodeValidateTheirParts() {
    assertThatThrownBy(() -> Rule.builder("r", "outage").build()).hasMessageContaining("has nothing to match");
    assertThatThrownBy(() -> Rule.builder("r", "outage").patterns("[a").build())
        .hasMessageContaining("pattern '[a' is not a regular expression");
    assertThatThrownBy(() -> Rule.builder("r", "outage").when("affectedUsers", ">=").build())
        .hasMessageContaining("has no value");
    Rule r = Rule.builder("r", "Outage").phrases("Site   DOWN!").when("x", "!= no").build();
    assertThat(r.category()).isEqualTo("outage");
    assertThat(r.phrases()).containsExactly("site down");
  }

  @Test
  void wordsMatchIgnoringCaseInAnyScriptWhateverPathTheScanTakes() {
    SlaPolicy p = new SlaPolicy(java.util.List.of(
        new Tier(1, "Gold", Duration.ofHours(2), null, java.util.List.of("a")),
        new Tier(2, "Silver", Duration.ofHours(6), null, java.util.List.of("b")),
        new Tier(3, "Bronze", Duration.ofHours(48), null, java.util.List.of("c"))),
        java.util.List.of(
            Rule.builder("greek road", "a").keywords("ΟΔΟΣ").build(),
            Rule.builder("german street", "b").phrases("STRASSE gesperrt", "Straße GESPERRT").build(),
            Rule.builder("plain", "c").keywords("Outage").build()),
        java.util.Map.of(), null, java.util.Map.of());
    Classifier c = Classifier.from(p);
    // upper-case Greek: String.toLowerCase gives a final sigma, which the keyword has too
    assertThat(c.classify(Report.of("Η ΟΔΟΣ είναι κλειστή")).matchedNames()).containsExactly("greek road");
    assertThat(c.classify(Report.of("die STRASSE GESPERRT, seit heute")).matchedNames()).containsExactly("german street");
    assertThat(c.classify(Report.of("Die Straße: gesperrt!")).matchedNames()).containsExactly("german street");
    // surrogate pairs (an emoji) and a dotted capital I take the general path and still find words
    assertThat(c.classify(Report.of("\uD83D\uDD25 OUTAGE \uD83D\uDD25")).matchedNames()).containsExactly("plain");
    assertThat(c.classify(Report.of("\u0130stanbul office: outage, Straße gesperrt")).matchedNames())
        .containsExactly("german street", "plain");
    assertThat(c.classify(Report.of("outages are not an outage-free week")).matchedNames()).containsExactly("plain");
    assertThat(c.classify(Report.of("no match here")).defaulted()).isTrue();
  }
}
