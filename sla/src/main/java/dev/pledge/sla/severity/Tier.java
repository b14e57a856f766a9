package dev.pledge.sla.severity;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * One severity class of the support SLA (P33-P36): its rank (1 is the most severe), an optional
 * name such as {@code Gold}, the time within which a response is promised, the business calendar
 * that time runs on, and the categories of issue it covers. Immutable.
 *
 * @param rank 1 for the most severe tier, 2 for the next, and so on
 * @param name a display name such as {@code Gold}, or {@code null}
 * @param respondWithin the response target, counted on {@code calendar}
 * @param calendar the name of a calendar of the {@code sla} section; {@code null} means 24x7
 * @param categories the categories this tier covers, lower-case, such as {@code outage}
 */
public record Tier(
    @JsonProperty(required = true) int rank,
    String name,
    @JsonProperty(required = true) Duration respondWithin,
    String calendar,
    List<String> categories) {

  /** Validates the tier and normalises category names to lower case. */
  public Tier {
    if (rank < 1) {
      throw new IllegalArgumentException("rank must be at least 1, got " + rank);
    }
    Objects.requireNonNull(respondWithin, "respondWithin");
    if (respondWithin.isNegative() || respondWithin.isZero()) {
      throw new IllegalArgumentException("respondWithin must be greater than zero, got " + respondWithin);
    }
    if (name != null && name.isBlank()) {
      throw new IllegalArgumentException("name must not be blank when given");
    }
    if (calendar != null && calendar.isBlank()) {
      throw new IllegalArgumentException("calendar must not be blank when given");
    }
    categories = categories == null ? List.of()
        : categories.stream().map(c -> {
          if (c == null || c.isBlank()) {
            throw new IllegalArgumentException("categories must not contain a blank entry");
          }
          return c.strip().toLowerCase(Locale.ROOT);
        }).toList();
  }

  /** A tier with no categories on the 24x7 calendar. */
  public static Tier of(int rank, String name, Duration respondWithin) {
    return new Tier(rank, name, respondWithin, null, List.of());
  }

  /** The name, or {@code Tier N} when the tier has none. */
  public String displayName() {
    return name != null ? name : "Tier " + rank;
  }
}
