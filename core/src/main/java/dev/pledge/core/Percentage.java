package dev.pledge.core;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Objects;

/**
 * A percentage in (0, 100], such as an uptime target of {@code 99.9%} (P2). Kept as an exact decimal
 * so that {@code 99.9%} of a month's minutes is computed without binary rounding. Immutable.
 *
 * @param value the percentage, {@code 99.9} for 99.9%
 */
public record Percentage(BigDecimal value) implements Comparable<Percentage> {
  private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);

  /** Validates the range (0, 100]. */
  public Percentage {
    Objects.requireNonNull(value, "percentage");
    if (value.signum() <= 0 || value.compareTo(HUNDRED) > 0) {
      throw new IllegalArgumentException(
          "percentage must be greater than 0 and at most 100, got " + value.toPlainString());
    }
    value = value.stripTrailingZeros();
  }

  /**
   * Parses {@code 99.9%}, {@code 99.9 %} or {@code 99.9}.
   *
   * @throws IllegalArgumentException naming the text when it is not a number in (0, 100]
   */
  @JsonCreator
  public static Percentage parse(String text) {
    Objects.requireNonNull(text, "percentage");
    String t = text.strip();
    if (t.endsWith("%")) {
      t = t.substring(0, t.length() - 1).strip();
    }
    BigDecimal v;
    try {
      v = new BigDecimal(t);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not a percentage: '" + text + "' (write e.g. 99.9%)");
    }
    return new Percentage(v);
  }

  /** Returns {@code value} percent. */
  public static Percentage of(double value) {
    return new Percentage(BigDecimal.valueOf(value));
  }

  /** This percentage as a fraction in (0, 1]: {@code 0.999} for 99.9%. */
  public BigDecimal fraction() {
    return value.divide(HUNDRED, MathContext.DECIMAL128);
  }

  /** The complement, {@code 100 - value}, as a fraction: the error budget of an uptime target. */
  public BigDecimal complementFraction() {
    return BigDecimal.ONE.subtract(fraction());
  }

  @Override
  public int compareTo(Percentage other) {
    return value.compareTo(other.value);
  }

  /** {@code 99.9%}. */
  @JsonValue
  @Override
  public String toString() {
    return value.toPlainString() + "%";
  }
}
