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
 *   store: redis://10.0.0.5:6379   # keyed limits shared by every node; absent: in-process
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 *
 * @param limits the named limits; names are lowerCamelCase or kebab-case
 * @param store where keyed limits keep their state so that every node shares it
 *     ({@code redis://host:port[/db]}, needs {@code pledge-security-redis}); absent means in this process
 */
public record RateLimitsPolicy(@JsonProperty(required = true) Map<String, List<Rate>> limits, String store) {

  /** The section without a store (keyed limits in this process). */
  public RateLimitsPolicy(Map<String, List<Rate>> limits) {
    this(limits, null);
  }
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
    if (store != null && !store.startsWith("redis://") && !store.startsWith("rediss://")) {
      throw new IllegalArgumentException("store must be a Redis address (redis://host:port[/db]), got '"
          + LoginThrottlePolicy.redacted(store) + "'");
    }
  }

  @Override
  public String toString() {
    return "RateLimitsPolicy[limits=" + limits + ", store=" + (store == null ? null : LoginThrottlePolicy.redacted(store))
        + "]";
  }

  /**
   * A keyed limiter for the limit named {@code name} where the policy keeps it: shared through
   * {@code store} when the policy names one (the caller closes it then, as an {@link AutoCloseable}),
   * else in this process.
   *
   * @throws IllegalArgumentException when the policy has no limit of that name
   * @throws IllegalStateException when the store's artifact is not on the class path
   * @throws dev.pledge.security.store.StoreUnavailableException when the store cannot be reached
   */
  public KeyedLimiter<String> sharedLimiter(String name) {
    List<RateLimit> l = limit(name);
    if (store == null) {
      return KeyedRateLimiter.<String>builder(name).limits(l).build();
    }
    return dev.pledge.security.store.StoreProvider.forAddress(store)
        .flatMap(p -> p.keyedLimiter(store, name, l))
        .orElseThrow(() -> new IllegalStateException("rateLimits.store " + LoginThrottlePolicy.redacted(store)
            + " needs pledge-security-redis on the class path"));
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

  /**
   * A limiter for the limit named {@code name}, with the system ticker and clock.
   *
   * @deprecated a section does not build components: use {@link RateLimiter#from(RateLimitsPolicy, String)},
   *     or {@link RateLimiter#builder(RateLimitsPolicy, String)} to set a ticker or clock
   */
  @Deprecated(since = "0.2.0")
  public RateLimiter limiter(String name) {
    return RateLimiter.from(this, name);
  }

  /**
   * A keyed limiter for the limit named {@code name}, with the system ticker and clock.
   *
   * @deprecated a section does not build components: use {@link KeyedRateLimiter#from(RateLimitsPolicy, String)},
   *     or {@link KeyedRateLimiter#builder(RateLimitsPolicy, String)} to set a ticker or clock
   */
  @Deprecated(since = "0.2.0")
  public <K> KeyedRateLimiter<K> keyedLimiter(String name) {
    return KeyedRateLimiter.from(this, name);
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
