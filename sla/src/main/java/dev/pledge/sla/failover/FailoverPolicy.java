package dev.pledge.sla.failover;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.pledge.core.Percentage;
import java.net.URI;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The {@code failover} section of the policy (P5): groups of endpoints, each a primary and a spare,
 * with the circuit-breaker thresholds that decide when the primary is down. Immutable.
 *
 * @param groups the failover groups (default none); names are unique
 */
public record FailoverPolicy(List<Group> groups) {

  /** Applies defaults and validates that group names are unique. */
  public FailoverPolicy {
    groups = groups == null ? List.of() : List.copyOf(groups);
    Set<String> names = new HashSet<>();
    for (Group g : groups) {
      if (!names.add(g.name())) {
        throw new IllegalArgumentException("groups: the group name '" + g.name() + "' is used twice");
      }
    }
  }

  /** The group named {@code name}, if any. */
  public Optional<Group> group(String name) {
    return groups.stream().filter(g -> g.name().equals(name)).findFirst();
  }

  /**
   * One failover group: calls go to {@code primary} and switch to {@code spare} when it is down.
   *
   * @param name the group's name (required), such as {@code shop-db}
   * @param primary the primary endpoint (required)
   * @param spare the spare endpoint (required, different from the primary)
   * @param failureRateThreshold the failure rate that opens the breaker (default 50%)
   * @param slidingWindowCalls the number of recent calls the failure rate is computed over (default 20)
   * @param minimumCalls calls needed before the failure rate is judged (default 10, at most the window)
   * @param waitInOpenState how long the breaker stays open before it tries the primary again (default 30s)
   */
  public record Group(
      @JsonProperty(required = true) String name,
      @JsonProperty(required = true) URI primary,
      @JsonProperty(required = true) URI spare,
      Percentage failureRateThreshold,
      Integer slidingWindowCalls,
      Integer minimumCalls,
      Duration waitInOpenState) {

    /** Applies defaults and validates. */
    public Group {
      if (name == null || !name.matches("[a-z0-9][a-z0-9-]{0,62}")) {
        throw new IllegalArgumentException("name must be 1-63 lower-case letters, digits or '-', got '" + name + "'");
      }
      if (primary == null || spare == null) {
        throw new IllegalArgumentException("group '" + name + "' needs both primary and spare");
      }
      if (primary.equals(spare)) {
        throw new IllegalArgumentException("spare must differ from primary, both are '" + primary + "'");
      }
      failureRateThreshold = failureRateThreshold == null ? Percentage.parse("50%") : failureRateThreshold;
      slidingWindowCalls = slidingWindowCalls == null ? 20 : slidingWindowCalls;
      if (slidingWindowCalls < 1) {
        throw new IllegalArgumentException("slidingWindowCalls must be at least 1, got " + slidingWindowCalls);
      }
      minimumCalls = minimumCalls == null ? Math.min(10, slidingWindowCalls) : minimumCalls;
      if (minimumCalls < 1 || minimumCalls > slidingWindowCalls) {
        throw new IllegalArgumentException("minimumCalls must be between 1 and slidingWindowCalls ("
            + slidingWindowCalls + "), got " + minimumCalls);
      }
      waitInOpenState = waitInOpenState == null ? Duration.ofSeconds(30) : waitInOpenState;
    }
  }
}
