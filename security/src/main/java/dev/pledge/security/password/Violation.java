package dev.pledge.security.password;

import java.text.MessageFormat;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.MissingResourceException;
import java.util.Objects;
import java.util.ResourceBundle;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One broken rule: a stable {@link ViolationCode} with its parameters, such as
 * {@code TOO_SHORT{min=12, actual=9}} (P24). Parameters are numbers and field names, never the
 * password or a part of it. Immutable and thread-safe.
 *
 * @param code the stable code
 * @param parameters the code's parameters, in a stable order
 */
public record Violation(ViolationCode code, Map<String, Object> parameters) {
  private static final String BUNDLE = "dev.pledge.security.password.Messages";
  private static final Pattern PLACEHOLDER = Pattern.compile("\\{([a-zA-Z]+)}");

  /** Validates and copies the parameters. */
  public Violation {
    Objects.requireNonNull(code, "code");
    Objects.requireNonNull(parameters, "parameters");
    if (!(parameters instanceof Frozen)) {
      parameters = new Frozen(new LinkedHashMap<>(parameters));
    }
  }

  /** A violation with parameters given as alternating names and values. */
  public static Violation of(ViolationCode code, Object... namesAndValues) {
    if (namesAndValues.length % 2 != 0) {
      throw new IllegalArgumentException("namesAndValues must come in pairs, got " + namesAndValues.length);
    }
    Map<String, Object> p = new LinkedHashMap<>();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      p.put((String) namesAndValues[i], namesAndValues[i + 1]);
    }
    return new Violation(code, new Frozen(p));
  }

  /** An unmodifiable, insertion-ordered view that the constructor does not copy again. */
  private static final class Frozen extends java.util.AbstractMap<String, Object> {
    private final Map<String, Object> map;

    Frozen(Map<String, Object> map) {
      this.map = map;
    }

    @Override
    public java.util.Set<Entry<String, Object>> entrySet() {
      return Collections.unmodifiableMap(map).entrySet();
    }

    @Override
    public Object get(Object key) {
      return map.get(key);
    }

    @Override
    public int size() {
      return map.size();
    }
  }

  /** The English message. */
  public String message() {
    return message(Locale.ROOT);
  }

  /**
   * The message in {@code locale}, from the bundle {@code dev.pledge.security.password.Messages}
   * (integrators add {@code Messages_fr.properties} and so on); {@code {name}} placeholders take the
   * parameters. Falls back to the code and its parameters when the bundle lacks the key.
   */
  public String message(Locale locale) {
    String template;
    try {
      template = ResourceBundle.getBundle(BUNDLE, locale).getString(code.name());
    } catch (MissingResourceException e) {
      return toString();
    }
    Matcher m = PLACEHOLDER.matcher(template);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      Object v = parameters.get(m.group(1));
      m.appendReplacement(out, Matcher.quoteReplacement(v == null ? m.group() : format(v, locale)));
    }
    m.appendTail(out);
    return out.toString();
  }

  private static String format(Object v, Locale locale) {
    return v instanceof Number ? MessageFormat.format("{0}", v) : String.valueOf(v);
  }

  /** {@code CODE{name=value, ...}}, or just {@code CODE} without parameters. */
  @Override
  public String toString() {
    return parameters.isEmpty() ? code.name() : code.name() + parameters;
  }
}
