package dev.pledge.sla.severity;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A rule's regular expression with a literal prefilter: when the expression must begin with a run
 * of ASCII letters and digits (after an optional {@code \b}) and has no alternation, a match can only
 * start where that literal occurs, so the matcher is tried only there ({@code lookingAt} on a region
 * with transparent bounds, which keeps {@code \b} and look-behind correct). Otherwise the expression
 * runs over the whole text. Immutable and thread-safe.
 */
final class PrefilteredPattern {
  private final Pattern pattern;
  private final String literal;

  PrefilteredPattern(Pattern pattern) {
    this.pattern = pattern;
    this.literal = leadingLiteral(pattern.pattern());
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
    Matcher m = null;
    for (int at = lower.indexOf(literal); at >= 0; at = lower.indexOf(literal, at + 1)) {
      if (m == null) {
        m = pattern.matcher(text).useTransparentBounds(true).useAnchoringBounds(false);
      }
      m.region(at, text.length());
      if (m.lookingAt()) {
        return true;
      }
    }
    return false;
  }
}
