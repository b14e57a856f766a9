package dev.pledge.sla.severity;

import java.util.ArrayList;
import java.util.List;

/** Splits text into lower-case words: runs of letters and digits. Stateless and thread-safe. */
final class Text {
  private Text() {}

  /** The lower-case words of {@code text}, in order. */
  static List<String> tokens(String text) {
    List<String> out = new ArrayList<>();
    int n = text.length();
    int i = 0;
    while (i < n) {
      while (i < n && !Character.isLetterOrDigit(text.charAt(i))) {
        i++;
      }
      int start = i;
      while (i < n && Character.isLetterOrDigit(text.charAt(i))) {
        i++;
      }
      if (i > start) {
        out.add(text.substring(start, i).toLowerCase(java.util.Locale.ROOT));
      }
    }
    return out;
  }
}
