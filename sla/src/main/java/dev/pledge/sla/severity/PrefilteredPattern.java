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

  PrefilteredPattern(Pattern pattern) {
    this.pattern = pattern;
    this.literal = leadingLiteral(pattern.pattern());
    this.wordBoundary = pattern.pattern().startsWith("\\b");
    this.anchored = literal == null ? null
        : Pattern.compile("^(?:" + pattern.pattern() + ")", pattern.flags());
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
