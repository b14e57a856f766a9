package dev.pledge.sla.severity;

import com.google.re2j.Pattern;
import java.util.Locale;

/**
 * A rule's regular expression (RE2/J: linear in the text's length) with a literal prefilter: when the
 * expression must begin with a run of ASCII letters and digits (after an optional {@code \b}) and has
 * no alternation, a match can only start where that literal occurs. A text without it is skipped; at
 * each of its first {@value #ANCHORED_TRIES} occurrences an anchored match is tried (cheap: the
 * automaton dies at the first mismatch), and past those one unanchored search runs from the next
 * occurrence, so the time stays linear however often the literal occurs. Otherwise the expression
 * runs over the whole text. Immutable and thread-safe.
 */
final class PrefilteredPattern {
  /** Anchored tries before one unanchored search takes over: bounds the work to a constant factor. */
  static final int ANCHORED_TRIES = 8;

  private final Pattern pattern;
  private final String literal;
  private final boolean wordBoundary;
  /** The expression anchored at the start: RE2/J stops as soon as no thread is left alive. */
  private final Pattern anchored;
  /** Literals every match contains (lower case), read off the expression's top level; often empty. */
  private final String[] required;

  PrefilteredPattern(Pattern pattern) {
    this.pattern = pattern;
    this.required = requiredLiterals(pattern.pattern()).toArray(new String[0]);
    this.literal = leadingLiteral(pattern.pattern());
    this.wordBoundary = pattern.pattern().startsWith("\\b");
    this.anchored = literal == null ? null
        : Pattern.compile("^(?:" + pattern.pattern() + ")", pattern.flags());
  }
  /**
   * The runs of two or more plain characters at the expression's top level (outside groups and
   * classes, not made optional by a following {@code ?}, {@code *} or <code>{</code>), lower-cased:
   * every match contains each of them, so a text without one is skipped before RE2/J runs. Empty when
   * the expression has a top-level alternation, inline flags or a quoted section, where reading it
   * this simply might be wrong. The letters k and s end a run, since RE2's case folding matches them
   * to characters (the Kelvin sign, the long s) that lower-casing does not turn into them.
   */
  static java.util.List<String> requiredLiterals(String regex) {
    java.util.List<String> out = new java.util.ArrayList<>();
    StringBuilder run = new StringBuilder();
    int depth = 0;
    int n = regex.length();
    for (int i = 0; i < n; i++) {
      char c = regex.charAt(i);
      char next = i + 1 < n ? regex.charAt(i + 1) : 0;
      if (c == '\\') {
        if (next == 'Q') {
          return java.util.List.of();
        }
        flush(run, out);
        i++;
      } else if (c == '[') {
        flush(run, out);
        int j = i + 1;
        if (j < n && regex.charAt(j) == '^') {
          j++;
        }
        if (j < n && regex.charAt(j) == ']') {
          j++;
        }
        while (j < n && regex.charAt(j) != ']') {
          j += regex.charAt(j) == '\\' ? 2 : 1;
        }
        i = j;
      } else if (c == '(') {
        if (next == '?' && (i + 2 >= n || regex.charAt(i + 2) != ':')) {
          return java.util.List.of();
        }
        flush(run, out);
        depth++;
      } else if (c == ')') {
        depth--;
      } else if (c == '|') {
        if (depth == 0) {
          return java.util.List.of();
        }
      } else if (depth > 0) {
        continue;
      } else if (c == '?' || c == '*' || c == '{') {
        if (run.length() > 0) {
          run.setLength(run.length() - 1); // the character before may be absent
        }
        flush(run, out);
        if (c == '{') {
          int close = regex.indexOf('}', i);
          if (close < 0) {
            return java.util.List.of();
          }
          i = close;
        }
      } else if (c == '+' || c == '.' || c == '^' || c == '$' || c == 'k' || c == 's' || c == 'K' || c == 'S'
          || c == '}' || c > 127 || Character.isWhitespace(c)) {
        flush(run, out);
      } else {
        run.append(Character.toLowerCase(c));
      }
    }
    flush(run, out);
    return out;
  }

  private static void flush(StringBuilder run, java.util.List<String> out) {
    if (run.length() >= 2) {
      out.add(run.toString());
    }
    run.setLength(0);
  }

  static String leadingLiteral(String regex) {
    if (regex.indexOf('|') >= 0) {
      return null;
    }
    int i = regex.startsWith("\\b") ? 2 : 0;
    int start = i;
    while (i < regex.length()) {
      char c = regex.charAt(i);
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
        i++;
      } else {
        break;
      }
    }
    int end = i;
    if (end < regex.length() && "?*{".indexOf(regex.charAt(end)) >= 0) {
      end--; // the last character is optional or repeated
    }
    return end - start >= 2 ? regex.substring(start, end).toLowerCase(Locale.ROOT) : null;
  }

  /**
   * Whether the expression matches somewhere in {@code text}; {@code lower} is
   * {@code text.toLowerCase(Locale.ROOT)}, or {@code null} when lower-casing changed its length.
   */
  boolean find(String text, String lower) {
    if (lower != null) {
      for (String r : required) {
        if (lower.indexOf(r) < 0) {
          return false;
        }
      }
    }
    if (literal == null || lower == null) {
      return pattern.matcher(text).find();
    }
    int at = lower.indexOf(literal);
    for (int tries = 0; at >= 0; tries++) {
      if (tries == ANCHORED_TRIES) {
        // find(int) sees the character before 'at', so a leading \b still holds
        return pattern.matcher(text).find(at);
      }
      // the literal begins with a letter or digit: a leading \b holds only after a non-word character
      if ((!wordBoundary || at == 0 || !isWordChar(text.charAt(at - 1)))
          && anchored.matcher(new Tail(text, at)).lookingAt()) {
        return true;
      }
      at = lower.indexOf(literal, at + 1);
    }
    return false;
  }

  /** RE2's ASCII word characters, as {@code \b} sees them. */
  private static boolean isWordChar(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  }

  /** The text from an offset on, without copying it. */
  private static final class Tail implements CharSequence {
    private final String text;
    private final int offset;

    Tail(String text, int offset) {
      this.text = text;
      this.offset = offset;
    }

    @Override
    public int length() {
      return text.length() - offset;
    }

    @Override
    public char charAt(int index) {
      return text.charAt(offset + index);
    }

    @Override
    public CharSequence subSequence(int start, int end) {
      return text.substring(offset + start, offset + end);
    }

    @Override
    public String toString() {
      return text.substring(offset);
    }
  }
}
