package dev.pledge.core;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A deployment environment of a site ({@code production}, {@code staging}, {@code development}).
 * Production data never flows to other environments unmasked (P27). Immutable.
 *
 * @param name the environment's name: lower-case letters, digits and {@code -}
 */
public record Environment(@JsonValue String name) implements Comparable<Environment> {
  private static final Pattern VALID = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

  /** The environment that holds real customer data. */
  public static final Environment PRODUCTION = new Environment("production");
  /** A pre-production environment, on test data (P27). */
  public static final Environment STAGING = new Environment("staging");
  /** A development environment, on test data (P27). */
  public static final Environment DEVELOPMENT = new Environment("development");

  /** Validates the name. */
  public Environment {
    Objects.requireNonNull(name, "environment");
    if (!VALID.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "environment must be 1-63 lower-case letters, digits or '-', got '" + name + "'");
    }
  }

  /** Returns the environment named {@code name}. */
  @JsonCreator
  public static Environment of(String name) {
    return new Environment(name);
  }

  /** Whether this environment holds production data. */
  public boolean isProduction() {
    return name.equals("production") || name.equals("prod");
  }

  @Override
  public int compareTo(Environment other) {
    return name.compareTo(other.name);
  }

  @Override
  public String toString() {
    return name;
  }
}
