package dev.pledge.security.ratelimit;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The {@code rateLimits} section of the policy document (P13): named limits, each a list of rates that
 * must all admit a request.
 *
 * <pre>{@code
 * rateLimits:
 *   limits:
 *     api:
 *       - permits: 20
 *         per: 1s
 *         burst: 40
 *       - permits: 1000
 *         per: 1 hour
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 *
 * @param limits the named limits; names are lowerCamelCase or kebab-case
 */
public record RateLimitsPolicy(@JsonProperty(required = true) Map<String, List<Rate>> limits) {
  private static final Pattern NAME = Pattern.compile("[a-z][A-Za-z0-9-]*");

  /** Validates names and rates and freezes the maps. */
  public RateLimitsPolicy {
    if (limits == null || limits.isEmpty()) {
      throw new IllegalArgumentException("limits must name at least one limit");
    }
    Map<String, List<Rate>> copy = new LinkedHashMap<>();
    for (Map.Entry<String, List<Rate>> e : limits.entrySet()) {
      if (!NAME.matcher(e.getKey()).matches()) {
        throw new IllegalArgumentException("limits." + e.getKey() + ": a limit name must be lowerCamelCase or kebab-case, got '"
            + e.getKey() + "'");
      }
      if (e.getValue() == null || e.getValue().isEmpty()) {
        throw new IllegalArgumentException("limits." + e.getKey() + ": needs at least one rate, got " + e.getValue());
      }
      copy.put(e.getKey(), List.copyOf(e.getValue()));
    }
    limits = java.util.Collections.unmodifiableMap(copy);
  }

  /**
   * The limits named {@code name}, built.
   *
   * @throws IllegalArgumentException when the policy has no limit of that name
   */
  public List<RateLimit> limit(String name) {
    List<Rate> rates = limits.get(name);
    if (rates == null) {
      throw new IllegalArgumentException("rateLimits has no limit named '" + name + "'; it has " + limits.keySet());
    }
    return rates.stream().map(r -> r.toRateLimit(name)).toList();
  }

  /** A limiter for the limit named {@code name}, with the system ticker and clock. */
  public RateLimiter limiter(String name) {
    return RateLimiter.builder(name).limits(limit(name)).build();
  }

  /** A keyed limiter for the limit named {@code name}, with the system ticker and clock. */
  public <K> KeyedRateLimiter<K> keyedLimiter(String name) {
    return KeyedRateLimiter.<K>builder(name).limits(limit(name)).build();
  }

  /**
   * One rate of a named limit.
   *
   * @param permits permits per period; at least 1
   * @param per the period, such as {@code 1s} or {@code 1 hour}
   * @param burst the most permits at once; defaults to {@code permits}
   */
  public record Rate(@JsonProperty(required = true) Long permits, @JsonProperty(required = true) Duration per,
      Long burst) {

    /** Validates the rate with the same rules as {@link RateLimit.Builder#build()}. */
    public Rate {
      if (permits == null) {
        throw new IllegalArgumentException("permits is required");
      }
      if (burst == null) {
        burst = permits;
      }
      toRateLimit(null, permits, per, burst);
    }

    RateLimit toRateLimit(String name) {
      return toRateLimit(name, permits, per, burst);
    }

    private static RateLimit toRateLimit(String name, long permits, Duration per, long burst) {
      return RateLimit.builder().name(name).permits(permits).per(per).burst(burst).build();
    }
  }
}
