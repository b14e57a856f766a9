package dev.pledge.sla.severity;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Puts a report in one tier (P33-P37). Every rule is tried, in order: the policy's declarative
 * {@link Rule}s, then any {@link SeverityRule}s added in code. The most severe tier among the matches
 * wins and every match is reported, most severe first. When no rule matches, the policy's
 * {@code defaultTier} applies. An optional {@link SeverityClassifier} may raise the tier, never lower
 * it.
 *
 * <p>Text is split into words once; keywords are found through a hash index and phrases through an
 * index of their first word, so the cost grows with the text's length, not with the number of rules
 * (regular expressions excepted: each runs, in time linear in the text, on its first
 * {@value Rule#PATTERN_TEXT_LIMIT} characters). Immutable and thread-safe.
 *
 * <pre>{@code
 * Classifier classifier = Classifier.from(policy);
 * Classification c = classifier.classify(Report.of("The shop is down for everyone"));
 * c.tier().rank();      // 1
 * c.matchedNames();     // ["outage"]
 * }</pre>
 */
public final class Classifier {
  /** For each ASCII character, its lower case when it is a letter or digit, else 0. */
  private static final char[] ASCII_WORD = new char[128];

  static {
    for (char c = 0; c < 128; c++) {
      if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
        ASCII_WORD[c] = c;
      } else if (c >= 'A' && c <= 'Z') {
        ASCII_WORD[c] = (char) (c + 32);
      }
    }
  }

  private final SlaPolicy policy;
  private final Rule[] rules;
  private final int[] ruleRank;
  private final boolean[] hasText;
  private final Condition[][] conditions;
  private final WordIndex index;
  private final int[] regexRules;
  private final PrefilteredPattern[][] regexes;
  private final List<SeverityRule> custom;
  private final int[] customRank;
  private final SeverityClassifier suggester;
  private final double minConfidence;
  private final boolean hasPhrases;
  private final Tier[] standardTiers;

  private Classifier(Builder b) {
    this.policy = b.policy;
    List<Rule> rs = policy.rules();
    int n = rs.size();
    this.rules = rs.toArray(new Rule[0]);
    this.ruleRank = new int[n];
    this.hasText = new boolean[n];
    this.conditions = new Condition[n][];
    Map<String, List<Integer>> kw = new HashMap<>();
    Map<String, List<Object[]>> ph = new HashMap<>();
    List<Integer> rx = new ArrayList<>();
    List<PrefilteredPattern[]> rxp = new ArrayList<>();
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
          ph.computeIfAbsent(words[0], x -> new ArrayList<>()).add(new Object[] {idx, words});
        }
      }
      for (String p : r.phrases()) {
        String[] words = p.split(" ");
        ph.computeIfAbsent(words[0], x -> new ArrayList<>()).add(new Object[] {idx, words});
      }
      if (!r.patterns().isEmpty()) {
        rx.add(idx);
        rxp.add(r.patterns().stream().map(p -> new PrefilteredPattern(Rule.compile(r.name(), p)))
            .toArray(PrefilteredPattern[]::new));
      }
    }
    this.index = new WordIndex(kw, ph);
    this.regexRules = rx.stream().mapToInt(Integer::intValue).toArray();
    this.regexes = rxp.toArray(new PrefilteredPattern[0][]);
    this.custom = List.copyOf(b.custom);
    this.customRank = new int[custom.size()];
    for (int i = 0; i < custom.size(); i++) {
      SeverityRule r = custom.get(i);
      customRank[i] = policy.tierOf(r.category()).orElseThrow(() -> new IllegalArgumentException(
          "rule '" + r.name() + "': category '" + r.category() + "' is in no tier")).rank();
    }
    this.suggester = b.suggester;
    this.minConfidence = b.minConfidence;
    this.hasPhrases = !ph.isEmpty();
    int maxRank = policy.tiers().stream().mapToInt(Tier::rank).max().orElse(0);
    this.standardTiers = new Tier[Math.min(maxRank, 1024) + 1];
    for (Tier t : policy.tiers()) {
      if (t.rank() < standardTiers.length) {
        standardTiers[t.rank()] = t;
      }
    }
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
    String text = report.text();
    char[] lowerChars = scan(text, textHit);
    if (regexRules.length > 0) {
      String lower = null;
      if (lowerChars != null) {
        lower = new String(lowerChars, 0, text.length());
      } else {
        String l = text.toLowerCase(java.util.Locale.ROOT);
        // indices would not line up, or the long s (which case-insensitive matching folds to 's')
        // would hide a literal from the prefilter: run expressions over the whole text
        lower = l.length() == text.length() && text.indexOf('\u017f') < 0 ? l : null;
      }
      if (text.length() > Rule.PATTERN_TEXT_LIMIT) {
        // the stated bound on pattern time: patterns see the head of a very long report, followed by
        // a non-character so that '$' and '\z' do not match where the text was cut
        text = text.substring(0, Rule.PATTERN_TEXT_LIMIT) + '\uffff';
        lower = lower == null ? null : lower.substring(0, Rule.PATTERN_TEXT_LIMIT) + '\uffff';
      }
      for (int j = 0; j < regexRules.length; j++) {
        int i = regexRules[j];
        if (textHit[i]) {
          continue;
        }
        for (PrefilteredPattern p : regexes[j]) {
          if (p.find(text, lower)) {
            textHit[i] = true;
            break;
          }
        }
      }
    }
    List<Classification.Match> matches = new ArrayList<>();
    Map<String, String> fields = report.fields();
    int rank = Integer.MAX_VALUE;
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
        rank = Math.min(rank, ruleRank[i]);
      }
    }
    for (int i = 0; i < custom.size(); i++) {
      SeverityRule r = custom.get(i);
      if (r.matches(report)) {
        matches.add(new Classification.Match(r.name(), r.category(), customRank[i]));
        rank = Math.min(rank, customRank[i]);
      }
    }
    boolean defaulted = matches.isEmpty();
    if (defaulted) {
      rank = policy.defaultTier();
    }
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
    if (!sorted(matches)) {
      // stable sort: most severe first, rule order within a tier
      matches.sort((a, b) -> Integer.compare(a.rank(), b.rank()));
    }
    Tier tier = customer == null && rank < standardTiers.length && standardTiers[rank] != null
        ? standardTiers[rank] : policy.tier(rank, customer);
    return new Classification(tier, matches, defaulted);
  }

  private static boolean sorted(List<Classification.Match> matches) {
    for (int i = 1; i < matches.size(); i++) {
      if (matches.get(i - 1).rank() > matches.get(i).rank()) {
        return false;
      }
    }
    return true;
  }

  /**
   * One pass over the text: words are lower-cased into a buffer and hashed as they are read, and
   * each is looked up once in the keyword index. Returns the lower-cased buffer (same length as the
   * text), or null when the text holds characters whose lower case is not one character, in which
   * case the words were taken from {@code String.toLowerCase} instead.
   */
  private char[] scan(String text, boolean[] hit) {
    int n = text.length();
    char[] buf = new char[n];
    text.getChars(0, n, buf, 0);
    int[] starts = new int[64];
    int[] ends = new int[64];
    WordIndex.Entry[] found = new WordIndex.Entry[64];
    int count = 0;
    int i = 0;
    while (i < n) {
      char c = buf[i];
      char l;
      if (c < 128) {
        l = ASCII_WORD[c];
        if (l == 0) {
          i++;
          continue;
        }
      } else {
        if (Character.isSurrogate(c) || c == '\u0130' || c == '\u03a3' || c == '\u017f') {
          return scanSlow(text, hit);
        }
        l = Character.toLowerCase(c);
        if (!Character.isLetterOrDigit(l)) {
          buf[i++] = l;
          continue;
        }
      }
      buf[i] = l;
      int start = i;
      int h = l;
      i++;
      while (i < n) {
        c = buf[i];
        if (c < 128) {
          l = ASCII_WORD[c];
          if (l == 0) {
            break;
          }
        } else {
          if (Character.isSurrogate(c) || c == '\u0130' || c == '\u03a3' || c == '\u017f') {
            return scanSlow(text, hit);
          }
          l = Character.toLowerCase(c);
          if (!Character.isLetterOrDigit(l)) {
            break; // stored lower-cased when the outer loop reads it
          }
        }
        buf[i] = l;
        h = 31 * h + l;
        i++;
      }
      if (count == starts.length) {
        starts = Arrays.copyOf(starts, count * 2);
        ends = Arrays.copyOf(ends, count * 2);
        found = Arrays.copyOf(found, count * 2);
      }
      WordIndex.Entry e = index.get(buf, start, i, h);
      starts[count] = start;
      ends[count] = i;
      found[count] = e;
      count++;
      if (e != null) {
        for (int k : e.keywordRules) {
          hit[k] = true;
        }
      }
    }
    phrases(buf, starts, ends, found, count, hit);
    return buf;
  }

  /** Phrases need the following words, so they are checked once every word is known. */
  private void phrases(char[] buf, int[] starts, int[] ends, WordIndex.Entry[] found, int count, boolean[] hit) {
    if (!hasPhrases) {
      return;
    }
    for (int t = 0; t < count; t++) {
      WordIndex.Entry e = found[t];
      if (e == null || e.phraseRules.length == 0) {
        continue;
      }
      for (int p = 0; p < e.phraseRules.length; p++) {
        int rule = e.phraseRules[p];
        if (!hit[rule] && phraseAt(buf, starts, ends, count, t, e.phrases[p])) {
          hit[rule] = true;
        }
      }
    }
  }

  /**
   * The general path for text with surrogate pairs or characters whose lower case is longer: the
   * words of {@code String.toLowerCase(Locale.ROOT)}.
   */
  private char[] scanSlow(String text, boolean[] hit) {
    char[] lower = text.toLowerCase(java.util.Locale.ROOT).toCharArray();
    int n = lower.length;
    int[] starts = new int[64];
    int[] ends = new int[64];
    WordIndex.Entry[] found = new WordIndex.Entry[64];
    int count = 0;
    int i = 0;
    while (i < n) {
      while (i < n && !Character.isLetterOrDigit(lower[i])) {
        i++;
      }
      int start = i;
      int h = 0;
      while (i < n && Character.isLetterOrDigit(lower[i])) {
        h = 31 * h + lower[i];
        i++;
      }
      if (i > start) {
        if (count == starts.length) {
          starts = Arrays.copyOf(starts, count * 2);
          ends = Arrays.copyOf(ends, count * 2);
          found = Arrays.copyOf(found, count * 2);
        }
        WordIndex.Entry e = index.get(lower, start, i, h);
        starts[count] = start;
        ends[count] = i;
        found[count] = e;
        count++;
        if (e != null) {
          for (int k : e.keywordRules) {
            hit[k] = true;
          }
        }
      }
    }
    phrases(lower, starts, ends, found, count, hit);
    return null;
  }

  private static boolean phraseAt(char[] buf, int[] starts, int[] ends, int count, int at, char[][] words) {
    if (at + words.length > count) {
      return false;
    }
    for (int w = 1; w < words.length; w++) {
      int s = starts[at + w];
      if (!Arrays.equals(words[w], 0, words[w].length, buf, s, ends[at + w])) {
        return false;
      }
    }
    return true;
  }

  /**
   * A builder holding every setting of this classifier (the section, custom rules, suggester and its
   * minimum confidence), to change one.
   */
  public Builder toBuilder() {
    Builder b = builder(policy);
    custom.forEach(b::rule);
    if (suggester != null) {
      b.suggester(suggester, minConfidence);
    }
    return b;
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
