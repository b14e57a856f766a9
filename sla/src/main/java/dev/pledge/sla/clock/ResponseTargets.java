package dev.pledge.sla.clock;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * The response target and calendar of each tier for one customer (P34-P37), as an SLA clock needs
 * them. Immutable and thread-safe. Obtain one from {@code SlaPolicy.targets(customer)} or {@link #of}.
 */
public final class ResponseTargets {
  private final Map<Integer, Target> byRank;

  private ResponseTargets(Map<Integer, Target> byRank) {
    this.byRank = Collections.unmodifiableMap(new LinkedHashMap<>(byRank));
  }

  /** Targets from a map of rank to target. */
  public static ResponseTargets of(Map<Integer, Target> byRank) {
    if (byRank.isEmpty()) {
      throw new IllegalArgumentException("response targets need at least one tier");
    }
    byRank.forEach((rank, t) -> {
      if (rank != t.rank()) {
        throw new IllegalArgumentException("target for tier " + rank + " says rank " + t.rank());
      }
    });
    return new ResponseTargets(byRank);
  }

  /**
   * The target of tier {@code rank}.
   *
   * @throws IllegalArgumentException naming the known tiers when there is no such tier
   */
  public Target target(int rank) {
    Target t = byRank.get(rank);
    if (t == null) {
      throw new IllegalArgumentException("unknown tier " + rank + "; the policy has tiers "
          + byRank.keySet().stream().sorted().map(String::valueOf).collect(Collectors.joining(", ")));
    }
    return t;
  }

  /** Every target by rank. */
  public Map<Integer, Target> all() {
    return byRank;
  }

  /**
   * One tier's response target.
   *
   * @param rank the tier's rank
   * @param name the tier's display name
   * @param respondWithin the working time allowed before a response
   * @param calendar the calendar the time runs on
   */
  public record Target(int rank, String name, Duration respondWithin, BusinessCalendar calendar) {
    /** Validates the target. */
    public Target {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(calendar, "calendar");
      if (respondWithin == null || respondWithin.isNegative() || respondWithin.isZero()) {
        throw new IllegalArgumentException("respondWithin must be greater than zero, got " + respondWithin);
      }
    }

    /** The deadline for a report opened at {@code opened}, with no pause. */
    public java.time.Instant deadline(java.time.Instant opened) {
      return calendar.plus(opened, respondWithin);
    }
  }
}
