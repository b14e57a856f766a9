package dev.pledge.sla.severity;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

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
 * @param patterns regular expressions, any of which matches somewhere in the text
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

  /** A builder for a rule named {@code name} assigning {@code category}. */
  public static Builder builder(String name, String category) {
    return new Builder(name, category);
  }

  static Pattern compile(String rule, String regex) {
    try {
      return Pattern.compile(regex, Pattern.CASE_INSENSITIVE);
    } catch (PatternSyntaxException e) {
      throw new IllegalArgumentException("rule '" + rule + "': pattern '" + regex
          + "' is not a regular expression: " + e.getDescription());
    }
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
