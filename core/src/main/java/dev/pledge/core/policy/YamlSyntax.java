package dev.pledge.core.policy;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns the YAML parser's syntax messages ("while parsing a flow sequence ... expected ',' or ']', but
 * got &lt;stream end&gt;") into a policy author's words, with the line and column of the problem. Knows
 * the parser's message layout only as text, so an unknown message still loses its parser jargon and
 * class names. Not an API.
 */
final class YamlSyntax {
  /** A problem in the author's words, at a 1-based line and column (0 when unknown). */
  record Problem(int line, int column, String text) {}

  private static final Pattern MARK = Pattern.compile("^ in '[^']*', line (\\d+), column (\\d+):$");

  /** The parser's names for what it met, in words. */
  private static final Map<String, String> TOKENS = Map.ofEntries(
      Map.entry("<stream end>", "the end of the document"),
      Map.entry("<stream start>", "the start of the document"),
      Map.entry("<document start>", "'---'"),
      Map.entry("<document end>", "'...'"),
      Map.entry("<block end>", "the end of the indented block"),
      Map.entry("<block mapping start>", "an indented key"),
      Map.entry("<block sequence start>", "a list item ('- ')"),
      Map.entry("<block entry>", "a list item ('- ')"),
      Map.entry("<flow sequence start>", "'['"),
      Map.entry("<flow sequence end>", "']'"),
      Map.entry("<flow mapping start>", "'{'"),
      Map.entry("<flow mapping end>", "'}'"),
      Map.entry("<flow entry>", "','"),
      Map.entry("<key>", "a key"),
      Map.entry("<value>", "':'"),
      Map.entry("<scalar>", "a value"),
      Map.entry("<alias>", "an alias ('*name')"),
      Map.entry("<anchor>", "an anchor ('&name')"),
      Map.entry("<tag>", "a tag ('!')"),
      Map.entry("<directive>", "a directive ('%')"));

  private YamlSyntax() {}

  /**
   * The problem a parser message describes, or null when {@code message} is not a YAML syntax message.
   *
   * @param text the whole document, to place problems the parser reports without a position
   */
  static Problem translate(String message, String text) {
    if (message == null) {
      return null;
    }
    if (message.startsWith("special characters are not allowed")) {
      return specialCharacter(text);
    }
    if (message.contains("base64")) {
      return new Problem(0, 0, "binary values ('!!binary') are not supported in a policy document");
    }
    if (message.startsWith("Expected a field name")) {
      return new Problem(0, 0, "a key must be a plain value; a list or a mapping cannot be a key");
    }
    String[] lines = message.split("\n");
    String context = null;
    String problem = null;
    int[] contextMark = null;
    int[] problemMark = null;
    boolean any = false;
    String last = null;
    for (String l : lines) {
      Matcher m = MARK.matcher(l);
      if (m.matches()) {
        any = true;
        int[] mark = {Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))};
        if (last != null && last == context && contextMark == null) {
          contextMark = mark;
        } else if (problemMark == null) {
          problemMark = mark;
        }
      } else if (l.startsWith("    ") || l.isBlank()) {
        continue; // the parser's snippet of the line and its caret
      } else if (l.startsWith("while ") && context == null && problem == null) {
        context = l.strip();
        last = context;
      } else if (problem == null) {
        problem = l.strip();
        last = problem;
      }
    }
    if (!any && context == null) {
      return null;
    }
    String words = problem == null ? "the YAML is not valid here" : problemWords(problem);
    // an unclosed list, mapping or quote is best shown where it was opened
    boolean unclosed = problem != null && (problem.contains("<stream end>") || problem.contains("end of stream"));
    int[] at = problemMark == null || (unclosed && contextMark != null) ? contextMark : problemMark;
    String where = context == null ? "" : contextWords(context, contextMark, at == contextMark);
    return new Problem(at == null ? 0 : at[0], at == null ? 0 : at[1], where.isEmpty() ? words : words + " (" + where + ")");
  }

  private static String problemWords(String p) {
    Matcher m;
    if (p.contains("\\t(TAB)") || p.contains("tab character")) {
      return "a tab character: indent with spaces, never tabs";
    }
    if ((m = Pattern.compile("^found character '(.+)' that cannot start any token").matcher(p)).find()) {
      return "the character '" + m.group(1) + "' cannot start a value; put the value in quotes";
    }
    if ((m = Pattern.compile("^found unknown escape character (.+?)(\\(\\d+\\))?$").matcher(p)).find()) {
      return "unknown escape '\\" + m.group(1) + "' in double-quoted text; use single quotes, or write '\\\\' for a backslash";
    }
    if (p.startsWith("found unexpected end of stream")) {
      return "the document ends before the closing quote";
    }
    if (p.startsWith("mapping values are not allowed here")) {
      return "a ':' where no key can start; check the indentation, or put a value containing ': ' in quotes";
    }
    if (p.startsWith("could not find expected ':'")) {
      return "a key without ':' after it";
    }
    if ((m = Pattern.compile("^found undefined alias (.+)$").matcher(p)).find()) {
      return "'*" + m.group(1) + "' refers to no anchor '&" + m.group(1) + "' above it";
    }
    if ((m = Pattern.compile("^(?:expected|did not find expected) (.+?)(?:, but (?:got|found) (.+))?$").matcher(p)).find()) {
      String expected = tokens(m.group(1));
      return "expected " + expected + (m.group(2) == null ? " here" : ", but found " + tokens(m.group(2)));
    }
    return tokens(p);
  }

  private static String tokens(String s) {
    String out = s;
    for (Map.Entry<String, String> t : TOKENS.entrySet()) {
      out = out.replace("'" + t.getKey() + "'", t.getValue()).replace(t.getKey(), t.getValue());
    }
    out = out.replace("the node content", "a value").replace("node content", "a value").replace("block scalar", "text block").replace("scalar", "value").replace("token", "value")
        .replace("'-' indicator", "'- '");
    return out.replaceAll("<[^>]*>", "something else").strip();
  }

  private static final List<String[]> CONTEXTS = List.of(
      new String[] {"while parsing a flow sequence", "in the list '[' opened"},
      new String[] {"while parsing a flow mapping", "in the mapping '{' opened"},
      new String[] {"while parsing a block mapping", "in the indented keys starting"},
      new String[] {"while parsing a block collection", "in the list starting"},
      new String[] {"while scanning a quoted scalar", "in the quoted text opened"},
      new String[] {"while scanning a double-quoted scalar", "in the quoted text opened"},
      new String[] {"while scanning a single-quoted scalar", "in the quoted text opened"},
      new String[] {"while scanning a simple key", "in the key"},
      new String[] {"while scanning a block scalar", "in the '|' or '>' text block"},
      new String[] {"while scanning an anchor", "in the anchor"},
      new String[] {"while scanning an alias", "in the alias"},
      new String[] {"while scanning a tag", "in the tag"},
      new String[] {"while scanning a directive", "in the directive"});

  private static String contextWords(String context, int[] mark, boolean here) {
    if (mark == null) {
      return "";
    }
    for (String[] c : CONTEXTS) {
      if (context.startsWith(c[0])) {
        return here ? c[1] + " here" : String.format(Locale.ROOT, "%s at line %d, column %d", c[1], mark[0], mark[1]);
      }
    }
    return "";
  }

  /** The first character YAML does not allow in a document (controls other than tab and line breaks). */
  private static Problem specialCharacter(String text) {
    int line = 1;
    int column = 1;
    for (int i = 0; text != null && i < text.length(); ) {
      int cp = text.codePointAt(i);
      boolean allowed = cp == 0x9 || cp == 0xA || cp == 0xD || (cp >= 0x20 && cp <= 0x7E) || cp == 0x85
          || (cp >= 0xA0 && cp <= 0xD7FF) || (cp >= 0xE000 && cp <= 0xFFFD) || (cp >= 0x10000 && cp <= 0x10FFFF);
      if (!allowed) {
        return new Problem(line, column, String.format(Locale.ROOT,
            "the control character U+%04X is not allowed in a policy document; remove it", cp));
      }
      if (cp == '\n') {
        line++;
        column = 1;
      } else {
        column++;
      }
      i += Character.charCount(cp);
    }
    return new Problem(0, 0, "the document holds a control character, which YAML does not allow; remove it");
  }
}
