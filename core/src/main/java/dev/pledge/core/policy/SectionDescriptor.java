package dev.pledge.core.policy;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
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
 * @param formerTypes types the section was bound to before a rename, each with the conversion that
 *     turns the bound section into it, so {@link PolicyDocument#section(Class)} still answers a host
 *     that asks for the former type (see {@link #withFormerType}); empty for most sections
 * @param <T> the section's type
 */
public record SectionDescriptor<T>(String name, Class<T> type, SectionCheck<? super T> check,
    Map<Class<?>, Function<? super T, ?>> formerTypes) {
  private static final Pattern NAME = Pattern.compile("[a-z][A-Za-z0-9]*");

  /** Validates the descriptor. */
  public SectionDescriptor {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("section name must be lowerCamelCase, got '" + name + "'");
    }
    formerTypes = formerTypes == null ? Map.of() : Map.copyOf(formerTypes);
  }

  /**
   * A section bound to {@code type} with an optional warning check and no former type.
   *
   * @param name the top-level key
   * @param type the type the section binds to
   * @param check an optional check that reports warnings, or {@code null}
   */
  public SectionDescriptor(String name, Class<T> type, SectionCheck<? super T> check) {
    this(name, type, check, Map.of());
  }

  /** A section bound to {@code type} with no warning check. */
  public static <T> SectionDescriptor<T> of(String name, Class<T> type) {
    return new SectionDescriptor<>(name, type, null);
  }

  /** A copy of this descriptor with a warning check. */
  public SectionDescriptor<T> withCheck(SectionCheck<? super T> check) {
    return new SectionDescriptor<>(name, type, Objects.requireNonNull(check, "check"), formerTypes);
  }

  /**
   * A copy of this descriptor that also answers {@link PolicyDocument#section(Class)} for {@code
   * formerType}, the type this section was bound to before it was renamed, with {@code conversion}
   * applied to the bound section. A host compiled against the former (deprecated) type keeps
   * working until that type is removed; the document still binds, checks and prints {@link #type()}.
   *
   * @param formerType the former type, such as a deprecated record
   * @param conversion turns the bound section into the former type
   * @param <U> the former type
   * @return the copy
   * @throws IllegalArgumentException when {@code formerType} is the section's own type
   */
  public <U> SectionDescriptor<T> withFormerType(Class<U> formerType, Function<? super T, ? extends U> conversion) {
    Objects.requireNonNull(formerType, "formerType");
    Objects.requireNonNull(conversion, "conversion");
    if (formerType.isAssignableFrom(type)) {
      throw new IllegalArgumentException("formerType " + formerType.getName() + " is already a type of section '"
          + name + "'");
    }
    Map<Class<?>, Function<? super T, ?>> more = new LinkedHashMap<>(formerTypes);
    more.put(formerType, conversion);
    return new SectionDescriptor<>(name, type, check, more);
  }

  /**
   * The bound section {@code value} as {@code wanted}, when {@code wanted} is a former type of this
   * section, else {@code null}.
   */
  <U> U asFormerType(Object value, Class<U> wanted) {
    Function<? super T, ?> conversion = formerTypes.get(wanted);
    return conversion == null ? null : wanted.cast(conversion.apply(type.cast(value)));
  }
}
