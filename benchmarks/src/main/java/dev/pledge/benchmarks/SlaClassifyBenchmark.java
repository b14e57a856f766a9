package dev.pledge.benchmarks;

import dev.pledge.sla.clock.CalendarSpec;
import dev.pledge.sla.severity.Classification;
import dev.pledge.sla.severity.Classifier;
import dev.pledge.sla.severity.CustomerTailoring;
import dev.pledge.sla.severity.Report;
import dev.pledge.sla.severity.Rule;
import dev.pledge.sla.severity.SlaPolicy;
import dev.pledge.sla.severity.Tier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Classifying a 2 KB report against 200 rules (P33-P36). The rules: 150 with three keywords each,
 * 40 with two phrases each, 10 with a regular expression; the report is ordinary support prose that
 * matches three of them. Goal: at least 100,000 per second.
 *
 * <p>{@code naive}: for each rule in turn, each keyword and phrase is searched with a precompiled
 * case-insensitive word-boundary regular expression and each pattern run, on the same text: the
 * straightforward way to evaluate rules one by one.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class SlaClassifyBenchmark {

  @Param({"pledge", "naive"})
  public String impl;

  private Classifier classifier;
  private Report report;
  private Pattern[][] naiveRules;
  private int[] naiveRank;

  @Setup
  public void setUp() {
    List<Rule> rules = new ArrayList<>();
    for (int k = 0; k < 150; k++) {
      rules.add(Rule.builder("kw" + k, "c" + (k % 3)).keywords("alpha" + k, "beta" + k, "gamma" + k).build());
    }
    for (int k = 0; k < 40; k++) {
      rules.add(Rule.builder("ph" + k, "c" + (k % 3)).phrases("cannot reach " + k, "very odd " + k).build());
    }
    for (int k = 0; k < 10; k++) {
      rules.add(Rule.builder("rx" + k, "c" + (k % 3)).patterns("err(or)?-" + k + "\\d{3}\\b").build());
    }
    // three rules match: a keyword, a phrase and a pattern
    String seed = "Hello team, since this morning our staff report that the dashboard behaves strangely. "
        + "When a user opens the orders page the totals differ from the export and beta17 shows up in the log. "
        + "We cannot reach 12 of the warehouse printers and the screen shows error-5123 after a refresh. "
        + "Nothing changed on our side as far as we know; the network team checked the firewall and DNS. ";
    StringBuilder text = new StringBuilder();
    while (text.length() < 2048) {
      text.append(seed);
    }
    text.setLength(2048);
    report = Report.of(text.toString());
    SlaPolicy policy = new SlaPolicy(List.of(
        new Tier(1, "Gold", Duration.ofMinutes(120), null, List.of("c0")),
        new Tier(2, "Silver", Duration.ofHours(6), null, List.of("c1")),
        new Tier(3, "Bronze", Duration.ofHours(48), null, List.of("c2"))),
        rules, Map.<String, CalendarSpec>of(), null, Map.<String, CustomerTailoring>of());
    classifier = Classifier.from(policy);
    naiveRules = new Pattern[rules.size()][];
    naiveRank = new int[rules.size()];
    for (int k = 0; k < rules.size(); k++) {
      Rule r = rules.get(k);
      List<Pattern> ps = new ArrayList<>();
      for (String w : r.keywords()) {
        ps.add(Pattern.compile("\\b" + Pattern.quote(w) + "\\b", Pattern.CASE_INSENSITIVE));
      }
      for (String w : r.phrases()) {
        ps.add(Pattern.compile("\\b" + Pattern.quote(w).replace(" ", "\\E\\W+\\Q") + "\\b", Pattern.CASE_INSENSITIVE));
      }
      for (String p : r.patterns()) {
        ps.add(Pattern.compile(p, Pattern.CASE_INSENSITIVE));
      }
      naiveRules[k] = ps.toArray(new Pattern[0]);
      naiveRank[k] = Integer.parseInt(r.category().substring(1)) + 1;
    }
    int check = impl.equals("pledge") ? pledge() : naive();
    if (check != 1) {
      throw new IllegalStateException("benchmark setup: expected tier 1, got " + check);
    }
    if (classifier.classify(report).matched().size() != 3) {
      throw new IllegalStateException("benchmark setup: expected 3 matches, got "
          + classifier.classify(report).matchedNames());
    }
  }

  @Benchmark
  public int classify() {
    return impl.equals("pledge") ? pledge() : naive();
  }

  private int pledge() {
    Classification c = classifier.classify(report);
    return c.tier().rank();
  }

  private int naive() {
    String text = report.text().toLowerCase(Locale.ROOT);
    int best = 3;
    for (int k = 0; k < naiveRules.length; k++) {
      for (Pattern p : naiveRules[k]) {
        if (p.matcher(text).find()) {
          best = Math.min(best, naiveRank[k]);
          break;
        }
      }
    }
    return best;
  }
}
