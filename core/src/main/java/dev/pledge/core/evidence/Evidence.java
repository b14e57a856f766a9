package dev.pledge.core.evidence;

import java.util.Objects;

/**
 * One item of evidence behind a judgement: what was read or counted, in words a reader of the report
 * understands ({@code "daily slots covered"}, {@code "35 of 35"}). Immutable. Never holds a secret.
 *
 * @param name what the item is
 * @param value what was found
 */
public record Evidence(String name, String value) {

  /** Validates the item. */
  public Evidence {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(value, "value");
  }

  /** {@code Evidence.of("stores read", "2")}. */
  public static Evidence of(String name, Object value) {
    return new Evidence(name, String.valueOf(value));
  }
}
