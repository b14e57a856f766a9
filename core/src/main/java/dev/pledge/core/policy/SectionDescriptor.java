package dev.pledge.core.policy;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Binds one top-level key of the policy document to the Java type of the module that owns it: core
 * reads the file, and each module says which type its section is. Types are usually records; their
 * constructors validate values and throw {@link IllegalArgumentException} naming the field, and
 * Jackson binds them strictly (unknown keys, wrong types and explicit nulls are errors; a key marked
 * {@code @JsonProperty(required = true)} must be present).
 *
 * <p>Durations in a section bind from {@code 5m}, {@code 6 hours} or {@code PT2H} and must be
 * greater than zero unless the field is annotated {@link AllowZero}; {@link java.time.Period}s bind
 * from {@code 3 months}; {@link dev.pledge.core.Percentage}s from {@code 99.9%}.
 *
 * @param name the top-level key, such as {@code passwords}
 * @param type the type the section binds to
 * @param check an optional check that reports warnings, or {@code null}
 * @param <T> the section's type
 */
public record SectionDescriptor<T>(String name, Class<T> type, SectionCheck<? super T> check) {
  private static final Pattern NAME = Pattern.compile("[a-z][A-Za-z0-9]*");

  /** Validates the descriptor. */
  public SectionDescriptor {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("section name must be lowerCamelCase, got '" + name + "'");
    }
  }

  /** A section bound to {@code type} with no warning check. */
  public static <T> SectionDescriptor<T> of(String name, Class<T> type) {
    return new SectionDescriptor<>(name, type, null);
  }

  /** A copy of this descriptor with a warning check. */
  public SectionDescriptor<T> withCheck(SectionCheck<? super T> check) {
    return new SectionDescriptor<>(name, type, Objects.requireNonNull(check, "check"));
  }
}
