package dev.pledge.sla.severity;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Puts a report in one tier (P33-P37). Every rule is tried, in order: the policy's declarative
 * {@link Rule}s, then any {@link SeverityRule}s added in code. The most severe tier among the matches
 * wins and every match is reported, most severe first. When no rule matches, the policy's
 * {@code defaultTier} applies. An optional {@link SeverityClassifier} may raise the tier, never lower
 * it.
 *
 * <p>Text is split into words once; keywords are found through a hash index and phrases through an
 * index of their first word, so the cost grows with the text's length, not with the number of rules
 * (regular expressions excepted: each runs on the text). Immutable and thread-safe.
 *
 * {@snippet :
 * Classifier classifier = Classifier.from(policy);
 * Classification c = classifier.classify(Report.of("The shop is down for everyone"));
 * c.tier().rank();      // 1
 * c.matchedNames();     // ["outage"]
 * }
 */
public final class Classifier {
  private final SlaPolicy policy;
  private final Rule[] rules;
  private final int[] ruleRank;
  private final boolean[] hasText;
  private final Condition[][] conditions;
  private final Map<String, int[]> keywordIndex;
  private final Map<String, List<PhraseEntry>> phraseIndex;
  private final int[] regexRules;
  private final Pattern[][] regexes;
  private final List<SeverityRule> custom;
  private final int[] customRank;
  private final SeverityClassifier suggester;
  private final double minConfidence;

  private record PhraseEntry(int rule, String[] words) {}

  private Classifier(Builder b) {
    this.policy = b.policy;
    List<Rule> rs = policy.rules();
    int n = rs.size();
    this.rules = rs.toArray(new Rule[0]);
    this.ruleRank = new int[n];
    this.hasText = new boolean[n];
    this.conditions = new Condition[n][];
    Map<String, List<Integer>> kw = new HashMap<>();
    Map<String, List<PhraseEntry>> ph = new HashMap<>();
    List<Integer> rx = new ArrayList<>();
    List<Pattern[]> rxp = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Rule r = rules[i];
      ruleRank[i] = policy.tierOf(r.category()).orElseThrow().rank();
      hasText[i] = !(r.keywords().isEmpty() && r.phrases().isEmpty() && r.patterns().isEmpty());
      final int idx = i;
      conditions[i] = r.when().entrySet().stream()
          .map(e -> Condition.parse(r.name(), e.getKey(), e.getValue())).toArray(Condition[]::new);
      for (String k : r.keywords()) {
        String[] words = k.split(" ");
        if (words.length == 1) {
          kw.computeIfAbsent(k, x -> new ArrayList<>()).add(idx);
        } else {
          ph.computeIfAbsent(words[0], x -> new ArrayList<>()).add(new PhraseEntry(idx, words));
        }
      }
      for (String p : r.phrases()) {
        String[] words = p.split(" ");
        ph.computeIfAbsent(words[0], x -> new ArrayList<>()).add(new PhraseEntry(idx, words));
      }
      if (!r.patterns().isEmpty()) {
        rx.add(idx);
        rxp.add(r.patterns().stream().map(p -> Rule.compile(r.name(), p)).toArray(Pattern[]::new));
      }
    }
    this.keywordIndex = new HashMap<>();
    kw.forEach((k, v) -> keywordIndex.put(k, v.stream().mapToInt(Integer::intValue).distinct().toArray()));
    this.phraseIndex = Map.copyOf(ph);
    this.regexRules = rx.stream().mapToInt(Integer::intValue).toArray();
    this.regexes = rxp.toArray(new Pattern[0][]);
    this.custom = List.copyOf(b.custom);
    this.customRank = new int[custom.size()];
    for (int i = 0; i < custom.size(); i++) {
      SeverityRule r = custom.get(i);
      customRank[i] = policy.tierOf(r.category()).orElseThrow(() -> new IllegalArgumentException(
          "rule '" + r.name() + "': category '" + r.category() + "' is in no tier")).rank();
    }
    this.suggester = b.suggester;
    this.minConfidence = b.minConfidence;
  }

  /** A classifier for the policy's rules, with no custom rules and no suggester. */
  public static Classifier from(SlaPolicy policy) {
    return builder(policy).build();
  }

  /** A builder over {@code policy}'s tiers and rules. */
  public static Builder builder(SlaPolicy policy) {
    return new Builder(policy);
  }

  /** The policy this classifier applies. */
  public SlaPolicy policy() {
    return policy;
  }

  /** Classifies {@code report} on standard terms. */
  public Classification classify(Report report) {
    return classify(report, null);
  }

  /**
   * Classifies {@code report} and applies {@code customer}'s tailoring to the tier ({@code null}:
   * standard terms).
   *
   * @throws IllegalArgumentException when the customer is unknown
   */
  public Classification classify(Report report, String customer) {
    Objects.requireNonNull(report, "report");
    boolean[] textHit = new boolean[rules.length];
    scan(report.text(), textHit);
    for (int j = 0; j < regexRules.length; j++) {
      int i = regexRules[j];
      if (textHit[i]) {
        continue;
      }
      for (Pattern p : regexes[j]) {
        if (p.matcher(report.text()).find()) {
          textHit[i] = true;
          break;
        }
      }
    }
    List<Classification.Match> matches = new ArrayList<>();
    Map<String, String> fields = report.fields();
    for (int i = 0; i < rules.length; i++) {
      if (hasText[i] && !textHit[i]) {
        continue;
      }
      boolean ok = true;
      for (Condition c : conditions[i]) {
        if (!c.holds(fields)) {
          ok = false;
          break;
        }
      }
      if (ok) {
        matches.add(new Classification.Match(rules[i].name(), rules[i].category(), ruleRank[i]));
      }
    }
    for (int i = 0; i < custom.size(); i++) {
      SeverityRule r = custom.get(i);
      if (r.matches(report)) {
        matches.add(new Classification.Match(r.name(), r.category(), customRank[i]));
      }
    }
    boolean defaulted = matches.isEmpty();
    int rank = defaulted ? policy.defaultTier() : matches.stream().mapToInt(Classification.Match::rank).min().getAsInt();
    if (suggester != null) {
      Optional<SeverityClassifier.Suggestion> s = suggester.suggest(report);
      if (s.isPresent() && s.get().rank() < rank && s.get().confidence() >= minConfidence) {
        policy.tier(s.get().rank()); // an unknown rank is the suggester's bug: fail loudly
        rank = s.get().rank();
        matches.add(new Classification.Match("classifier: " + s.get().reason()
            + " (confidence " + s.get().confidence() + ")", null, rank));
        defaulted = false;
      }
    }
    // stable sort: most severe first, rule order within a tier
    matches.sort((a, b) -> Integer.compare(a.rank(), b.rank()));
    return new Classification(policy.tier(rank, customer), matches, defaulted);
  }

  private void scan(String text, boolean[] hit) {
    String[] tokens = Text.tokens(text).toArray(new String[0]);
    for (int t = 0; t < tokens.length; t++) {
      int[] ks = keywordIndex.get(tokens[t]);
      if (ks != null) {
        for (int k : ks) {
          hit[k] = true;
        }
      }
      List<PhraseEntry> ps = phraseIndex.get(tokens[t]);
      if (ps != null) {
        for (PhraseEntry p : ps) {
          if (!hit[p.rule()] && startsAt(tokens, t, p.words())) {
            hit[p.rule()] = true;
          }
        }
      }
    }
  }

  private static boolean startsAt(String[] tokens, int at, String[] words) {
    if (at + words.length > tokens.length) {
      return false;
    }
    return Arrays.equals(tokens, at, at + words.length, words, 0, words.length);
  }

  /** Builds a {@link Classifier}. Not thread-safe. */
  public static final class Builder {
    private final SlaPolicy policy;
    private final List<SeverityRule> custom = new ArrayList<>();
    private SeverityClassifier suggester;
    private double minConfidence = 0.8;

    private Builder(SlaPolicy policy) {
      this.policy = Objects.requireNonNull(policy, "policy");
    }

    /** Adds a rule written in code, tried after the policy's rules. */
    public Builder rule(SeverityRule rule) {
      custom.add(Objects.requireNonNull(rule, "rule"));
      return this;
    }

    /**
     * Adds a suggester whose suggestion is taken when more severe than the rules' and at least
     * {@code minConfidence} sure (0 to 1).
     */
    public Builder suggester(SeverityClassifier suggester, double minConfidence) {
      if (!(minConfidence >= 0 && minConfidence <= 1)) {
        throw new IllegalArgumentException("minConfidence must be between 0 and 1, got " + minConfidence);
      }
      this.suggester = Objects.requireNonNull(suggester, "suggester");
      this.minConfidence = minConfidence;
      return this;
    }

    /** The classifier. */
    public Classifier build() {
      return new Classifier(this);
    }
  }
}
