package dev.pledge.sla.severity;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;

/**
 * A declarative classification rule of the policy document (P33-P36): when a report's text contains
 * one of the {@code keywords} (whole words), one of the {@code phrases} (word sequences) or matches one
 * of the {@code patterns} (regular expressions, case-insensitive), and every condition of {@code when}
 * holds on its structured fields, the report falls in {@code category}, and so in the tier that covers
 * that category. Text matching ignores case. Immutable.
 *
 * <p>A rule with no text matchers matches on its conditions alone; a rule with no conditions on its
 * text alone; a rule must have at least one of the two.
 *
 * <p>Conditions are written {@code field: value} and read {@code "true"}, {@code "outage"} (equal,
 * ignoring case), {@code ">= 100"}, {@code "> 100"}, {@code "<= 5"}, {@code "< 5"} (numeric) or
 * {@code "!= x"}. A condition on a field the report lacks does not hold.
 *
 * @param name the rule's name, shown in every classification it takes part in
 * @param category the category the rule assigns, lower-case
 * @param keywords whole words, any of which matches
 * @param phrases sequences of words, any of which matches; punctuation and spacing are ignored
 * @param patterns regular expressions, any of which matches somewhere in the text. They run on RE2/J,
 *     whose time is linear in the text's length whatever the expression, because report text is
 *     untrusted: RE2 syntax, so look-around, back-references and possessive quantifiers are refused
 *     when the rule is made, naming the rule; an expression longer than {@value #MAX_PATTERN_LENGTH}
 *     characters or compiling to more than {@value #MAX_PROGRAM_SIZE} instructions is refused too. Patterns see the
 *     first {@value #PATTERN_TEXT_LIMIT} characters of a report
 * @param when conditions on structured fields, all of which must hold
 */
public record Rule(
    @JsonProperty(required = true) String name,
    @JsonProperty(required = true) String category,
    List<String> keywords,
    List<String> phrases,
    List<String> patterns,
    Map<String, String> when) {

  /** Validates the rule: patterns compile, conditions parse, and at least one matcher exists. */
  public Rule {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("rule name must not be blank");
    }
    if (category == null || category.isBlank()) {
      throw new IllegalArgumentException("rule '" + name + "': category must not be blank");
    }
    category = category.strip().toLowerCase(Locale.ROOT);
    keywords = words(name, "keywords", keywords);
    phrases = words(name, "phrases", phrases);
    patterns = patterns == null ? List.of() : List.copyOf(patterns);
    for (String p : patterns) {
      compile(name, p);
    }
    when = when == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(when));
    for (Map.Entry<String, String> c : when.entrySet()) {
      Condition.parse(name, c.getKey(), c.getValue());
    }
    if (keywords.isEmpty() && phrases.isEmpty() && patterns.isEmpty() && when.isEmpty()) {
      throw new IllegalArgumentException("rule '" + name
          + "' has nothing to match: give keywords, phrases, patterns or when");
    }
  }

  /** The longest regular expression a rule may hold, in characters. */
  public static final int MAX_PATTERN_LENGTH = 1_000;

  /**
   * The largest compiled program a rule's expression may have, in RE2/J instructions: matching costs
   * at most this many steps per character of text, so this bounds the time per report.
   */
  public static final int MAX_PROGRAM_SIZE = 1_000;

  /**
   * The most characters of a report's text that patterns see: its first {@value} characters
   * (keywords and phrases see all of it); where a longer text is cut, {@code $} does not match. With {@link #MAX_PROGRAM_SIZE} and
   * {@link SlaPolicy#MAX_TOTAL_PROGRAM_SIZE} this bounds the time patterns take on any report.
   */
  public static final int PATTERN_TEXT_LIMIT = 65_536;

  /** A builder for a rule named {@code name} assigning {@code category}. */
  public static Builder builder(String name, String category) {
    return new Builder(name, category);
  }

  static Pattern compile(String rule, String regex) {
    if (regex == null) {
      throw new IllegalArgumentException("rule '" + rule + "': a pattern is empty (null)");
    }
    if (regex.length() > MAX_PATTERN_LENGTH) {
      throw new IllegalArgumentException("rule '" + rule + "': a pattern has " + regex.length()
          + " characters, more than the " + MAX_PATTERN_LENGTH + " allowed");
    }
    if (estimatedSize(regex) > 20L * MAX_PROGRAM_SIZE) {
      // RE2/J expands counted repetitions when compiling: ((a{1000}){1000}){1000} would exhaust memory
      throw new IllegalArgumentException("rule '" + rule + "': pattern '" + regex
          + "' is too large: its nested repetition counts expand to more than " + MAX_PROGRAM_SIZE
          + " instructions (lower its repetition counts)");
    }
    Pattern compiled;
    try {
      compiled = Pattern.compile(regex, Pattern.CASE_INSENSITIVE);
    } catch (PatternSyntaxException e) {
      throw new IllegalArgumentException("rule '" + rule + "': pattern '" + regex
          + "' is not a regular expression Pledge can run in linear time (RE2 syntax: no look-around,"
          + " back-references or possessive quantifiers): " + e.getDescription());
    } catch (RuntimeException | StackOverflowError e) {
      // RE2/J refuses some pathological inputs with unchecked exceptions of its own
      throw new IllegalArgumentException("rule '" + rule + "': pattern '" + regex
          + "' is too complex to compile");
    }
    if (compiled.programSize() > MAX_PROGRAM_SIZE) {
      throw new IllegalArgumentException("rule '" + rule + "': pattern '" + regex
          + "' is too large: it compiles to " + compiled.programSize()
          + " instructions, more than the " + MAX_PROGRAM_SIZE + " allowed (lower its repetition counts)");
    }
    return compiled;
  }

  /**
   * An over-estimate of the instructions {@code regex} compiles to, read from its text without
   * compiling it: each counted repetition multiplies what it repeats. Saturates far above any limit.
   */
  static long estimatedSize(String regex) {
    final long cap = 1L << 40;
    long[] total = new long[regex.length() + 2];
    int depth = 0;
    long last = 0;
    int i = 0;
    int n = regex.length();
    while (i < n) {
      char c = regex.charAt(i);
      if (c == '(') {
        total[++depth] = 0;
        last = 0;
        i++;
        continue;
      }
      if (c == ')') {
        long atom = depth > 0 ? Math.min(cap, total[depth] + 2) : 1;
        depth = Math.max(0, depth - 1);
        total[depth] = Math.min(cap, total[depth] + atom);
        last = atom;
        i++;
        continue;
      }
      if (c == '{') {
        int close = regex.indexOf('}', i);
        long count = close < 0 ? -1 : maxCount(regex.substring(i + 1, close));
        if (count >= 0) {
          long grown = Math.min(cap, (last + 1) * (count + 1));
          total[depth] = Math.min(cap, total[depth] + grown - last);
          last = grown;
          i = close + 1;
          continue;
        }
      }
      if (c == '*' || c == '+' || c == '?') {
        total[depth] = Math.min(cap, total[depth] + 1);
        last++;
        i++;
        continue;
      }
      long atom = 1;
      if (c == '\\') {
        i += 2;
      } else if (c == '[') {
        i = classEnd(regex, i);
      } else {
        i++;
      }
      total[depth] = Math.min(cap, total[depth] + atom);
      last = atom;
    }
    long sum = 0;
    for (int d = 0; d <= depth; d++) {
      sum = Math.min(cap, sum + total[d]);
    }
    return sum;
  }

  /** The larger bound of a repetition's body ({@code n}, {@code n,} or {@code n,m}), or -1. */
  private static long maxCount(String body) {
    long max = -1;
    for (String part : body.split(",", -1)) {
      if (part.isEmpty()) {
        continue;
      }
      if (part.length() > 9 || !part.chars().allMatch(ch -> ch >= '0' && ch <= '9')) {
        return -1;
      }
      max = Math.max(max, Long.parseLong(part));
    }
    return max;
  }

  /** The index just past the character class that opens at {@code start}. */
  private static int classEnd(String regex, int start) {
    int i = start + 1;
    if (i < regex.length() && regex.charAt(i) == '^') {
      i++;
    }
    if (i < regex.length() && regex.charAt(i) == ']') {
      i++;
    }
    while (i < regex.length() && regex.charAt(i) != ']') {
      if (regex.charAt(i) == '\\') {
        i++;
      } else if (regex.startsWith("[:", i)) {
        int end = regex.indexOf(":]", i + 2);
        i = end < 0 ? i : end + 1;
      }
      i++;
    }
    return i + 1;
  }

  private static List<String> words(String rule, String field, List<String> in) {
    if (in == null) {
      return List.of();
    }
    return in.stream().map(w -> {
      if (w == null || Text.tokens(w).isEmpty()) {
        throw new IllegalArgumentException("rule '" + rule + "': " + field
            + " must contain letters or digits, got '" + w + "'");
      }
      return String.join(" ", Text.tokens(w));
    }).toList();
  }

  /** A builder holding every field of this rule, to change one. */
  public Builder toBuilder() {
    Builder b = builder(name, category).keywords(keywords.toArray(String[]::new))
        .phrases(phrases.toArray(String[]::new)).patterns(patterns.toArray(String[]::new));
    when.forEach(b::when);
    return b;
  }

  /** Builds a {@link Rule}. Not thread-safe. */
  public static final class Builder {
    private final String name;
    private final String category;
    private final java.util.ArrayList<String> keywords = new java.util.ArrayList<>();
    private final java.util.ArrayList<String> phrases = new java.util.ArrayList<>();
    private final java.util.ArrayList<String> patterns = new java.util.ArrayList<>();
    private final Map<String, String> when = new LinkedHashMap<>();

    private Builder(String name, String category) {
      this.name = name;
      this.category = category;
    }

    /** Adds whole-word keywords. */
    public Builder keywords(String... words) {
      keywords.addAll(List.of(words));
      return this;
    }

    /** Adds phrases. */
    public Builder phrases(String... ps) {
      phrases.addAll(List.of(ps));
      return this;
    }

    /** Adds regular expressions. */
    public Builder patterns(String... regexes) {
      patterns.addAll(List.of(regexes));
      return this;
    }

    /** Adds a condition on a structured field, such as {@code when("affectedUsers", ">= 100")}. */
    public Builder when(String field, String condition) {
      when.put(Objects.requireNonNull(field, "field"), Objects.requireNonNull(condition, "condition"));
      return this;
    }

    /** The rule. */
    public Rule build() {
      return new Rule(name, category, keywords, phrases, patterns, when);
    }
  }
}
