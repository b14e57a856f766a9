package dev.pledge.sla.uptime;

import com.fasterxml.jackson.annotation.JsonIgnore;
import dev.pledge.core.Percentage;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The {@code uptime} section of the policy (P2, P3, P4): the monthly availability target, the zone
 * whose calendar months are reported, the shortest outage that counts, the health probes of each
 * site and whether burn-rate alerts are sent. Immutable; absent keys take the defaults below.
 *
 * @param target the monthly uptime target (default {@code 99.9%}, P2)
 * @param zone the zone whose calendar months are reported, such as {@code Europe/London} (default UTC)
 * @param minimumOutage an outage shorter than this does not count (default 1 minute; zero counts all)
 * @param probes the health probes, one or more per site (default none)
 * @param burnRateAlerts whether multi-window burn-rate alerts are sent (default true)
 * @param alertDestination the {@code Alert} destination for availability alerts (default {@code ops})
 */
public record UptimePolicy(
    Percentage target,
    String zone,
    @dev.pledge.core.policy.AllowZero Duration minimumOutage,
    List<ProbeSpec> probes,
    Boolean burnRateAlerts,
    String alertDestination) {

  /** The target of P2 when the policy says nothing: 99.9%. */
  public static final Percentage DEFAULT_TARGET = Percentage.parse("99.9%");

  /** Applies defaults and validates; messages name the field and the bad value. */
  public UptimePolicy {
    target = target == null ? DEFAULT_TARGET : target;
    zone = zone == null ? "UTC" : zone;
    try {
      ZoneId.of(zone);
    } catch (DateTimeException e) {
      throw new IllegalArgumentException("zone: unknown zone '" + zone + "' (write e.g. Europe/London or UTC)");
    }
    minimumOutage = minimumOutage == null ? Duration.ofMinutes(1) : minimumOutage;
    if (minimumOutage.isNegative()) {
      throw new IllegalArgumentException("minimumOutage must not be negative, got " + minimumOutage);
    }
    probes = probes == null ? List.of() : List.copyOf(probes);
    Set<String> names = new HashSet<>();
    for (ProbeSpec p : probes) {
      if (!names.add(p.site().value() + " " + p.url())) {
        throw new IllegalArgumentException("probes: the probe of site '" + p.site() + "' at " + p.url()
            + " is listed twice");
      }
    }
    burnRateAlerts = burnRateAlerts == null ? Boolean.TRUE : burnRateAlerts;
    alertDestination = alertDestination == null ? "ops" : alertDestination.strip();
    if (alertDestination.isEmpty()) {
      throw new IllegalArgumentException("alertDestination must not be blank");
    }
  }

  /** The policy with every default: 99.9% in UTC, 1-minute minimum outage, no probes. */
  public static UptimePolicy defaults() {
    return new UptimePolicy(null, null, null, null, null, null);
  }

  /** {@link #zone()} as a {@link ZoneId}. */
  @JsonIgnore
  public ZoneId zoneId() {
    return ZoneId.of(zone);
  }
}
