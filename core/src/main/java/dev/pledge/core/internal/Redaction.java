package dev.pledge.core.internal;

import java.util.Locale;

/**
 * Takes secrets out of locations before they reach a message: the password of a URL's user
 * information and the values of query parameters named like secrets. Used by every parser that
 * echoes a location it refuses, so that a typo in a URL never puts its password in a log line or on
 * a terminal (STYLE.md; issue 19). Stateless and thread-safe; linear in the text's length.
 */
public final class Redaction {
  private static final String MASK = "***";
  private static final String[] SECRET_WORDS = {"password", "passwd", "pwd", "secret", "token", "key",
      "credential", "auth", "signature"};

  private Redaction() {}

  /**
   * {@code text} with every password replaced by {@code ***}: after each {@code ://}, the user
   * information up to the last {@code @} keeps only its user name ({@code postgresql://app:***@db});
   * for {@code redis} and {@code rediss}, where a lone user-information part is the password, all
   * of it goes; and the value of each query parameter whose name holds {@code password},
   * {@code secret}, {@code token}, {@code key} and the like. {@code null} reads {@code null}.
   */
  public static String location(String text) {
    if (text == null) {
      return "null";
    }
    StringBuilder out = new StringBuilder(text.length());
    int from = 0;
    int at = text.indexOf("://");
    while (at >= 0) {
      int start = at + 3;
      int next = text.indexOf("://", start);
      int regionEnd = next < 0 ? text.length() : next;
      // a URL holds no white space or quote: in a message, the location ends at the first one
      for (int i = start; i < regionEnd; i++) {
        char c = text.charAt(i);
        if (Character.isWhitespace(c) || c == '\'' || c == '"') {
          regionEnd = i;
          break;
        }
      }
      int lastAt = text.lastIndexOf('@', regionEnd - 1);
      out.append(query(text.substring(from, start)));
      if (lastAt >= start) {
        String userInfo = text.substring(start, lastAt);
        int colon = userInfo.indexOf(':');
        String scheme = scheme(text, at);
        if (colon >= 0) {
          out.append(userInfo, 0, colon + 1).append(MASK);
        } else if (scheme.equals("redis") || scheme.equals("rediss")) {
          out.append(MASK);
        } else {
          out.append(userInfo);
        }
        from = lastAt;
      } else {
        from = start;
      }
      at = next;
    }
    out.append(query(text.substring(from)));
    return out.toString();
  }

  /**
   * {@code message} with the passwords of every location in it replaced, as {@link #location}
   * does: the last line of defence where a library's message may quote a URL (a JDBC driver's
   * {@code No suitable driver found for jdbc:...?password=...}).
   */
  public static String message(String message) {
    return location(message);
  }

  /** The scheme just before the {@code ://} at {@code at}, lower-cased. */
  private static String scheme(String text, int at) {
    int s = at;
    while (s > 0 && Character.isLetterOrDigit(text.charAt(s - 1)) || s > 0 && "+.-".indexOf(text.charAt(s - 1)) >= 0) {
      s--;
    }
    return text.substring(s, at).toLowerCase(Locale.ROOT);
  }

  /** {@code part} with the values of secret-named query parameters masked. */
  private static String query(String part) {
    StringBuilder out = new StringBuilder(part.length());
    int i = 0;
    int n = part.length();
    while (i < n) {
      char c = part.charAt(i);
      out.append(c);
      i++;
      if (c != '?' && c != '&' && c != ';') {
        continue;
      }
      int eq = i;
      while (eq < n && part.charAt(eq) != '=' && part.charAt(eq) != '&' && part.charAt(eq) != ';') {
        eq++;
      }
      if (eq >= n || part.charAt(eq) != '=') {
        continue;
      }
      String name = part.substring(i, eq).toLowerCase(Locale.ROOT);
      if (!secretName(name)) {
        continue;
      }
      int end = eq + 1;
      while (end < n && "&; \t\r\n'\"".indexOf(part.charAt(end)) < 0) {
        end++;
      }
      out.append(part, i, eq + 1).append(MASK);
      i = end;
    }
    return out.toString();
  }

  private static boolean secretName(String name) {
    for (String w : SECRET_WORDS) {
      if (name.contains(w)) {
        return true;
      }
    }
    return false;
  }
}
