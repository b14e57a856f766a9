package dev.pledge.core;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The identifier of a site (one deployment of the product for a customer or region, {@code shop}).
 * Backups, uptime and SLA figures are kept per site (P3, P6, P7).
 *
 * <p>Lower-case letters, digits and {@code -}, starting with a letter or digit, at most 63 characters,
 * so that a site id is safe in an object key, a file name and a metric label. Immutable.
 *
 * @param value the identifier
 */
public record SiteId(@JsonValue String value) implements Comparable<SiteId> {
  private static final Pattern VALID = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

  /** Validates the identifier. */
  public SiteId {
    Objects.requireNonNull(value, "site id");
    if (!VALID.matcher(value).matches()) {
      throw new IllegalArgumentException(
          "site id must be 1-63 lower-case letters, digits or '-', starting with a letter or digit, got '"
              + value + "'");
    }
  }

  /** Returns the site id for {@code value}. */
  @JsonCreator
  public static SiteId of(String value) {
    return new SiteId(value);
  }

  @Override
  public int compareTo(SiteId other) {
    return value.compareTo(other.value);
  }

  @Override
  public String toString() {
    return value;
  }
}
