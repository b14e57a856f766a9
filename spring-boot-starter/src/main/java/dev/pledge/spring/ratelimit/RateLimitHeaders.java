package dev.pledge.spring.ratelimit;

import dev.pledge.security.ratelimit.RateLimit;
import dev.pledge.security.ratelimit.RateLimitDecision;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The {@code RateLimit-Policy} and {@code RateLimit} fields of the IETF draft "RateLimit header fields for
 * HTTP" (draft-ietf-httpapi-ratelimit-headers), in its structured-field form (RFC 8941 lists of items):
 *
 * <pre>{@code
 * RateLimit-Policy: "api-1s";q=20;w=1, "api-1h";q=1000;w=3600
 * RateLimit: "api-1s";r=0;t=12, "api-1h";r=0;t=12
 * }</pre>
 *
 * <p>Each rate of the limit is one quota policy, named after the limit (a limit with one rate takes the
 * limit's own name; with several, each name adds its window), with {@code q} its permits and {@code w}
 * its period in seconds, as the policy document writes them (a burst above {@code q} is admitted at once,
 * then the rate holds). {@code RateLimit} carries, for each of those policies, {@code r} the permits
 * available at once under every rate of the limit and {@code t} the seconds until every rate is full
 * again: a {@link RateLimitDecision} is the combined state of the limit, so for a limit of several rates
 * both values are the bounds that hold for each policy (never more remaining, never an earlier reset);
 * for a limit of one rate they are exact.
 *
 * <p>Immutable and thread-safe; the policy field is computed once per limit.
 */
public final class RateLimitHeaders {
  /** The name of the field that describes the quota policies. */
  public static final String POLICY = "RateLimit-Policy";
  /** The name of the field that carries the current state. */
  public static final String STATE = "RateLimit";

  private static final BigInteger NANOS_PER_SECOND = BigInteger.valueOf(1_000_000_000L);

  private final List<String> names;
  private final String policyField;

  private RateLimitHeaders(List<String> names, String policyField) {
    this.names = names;
    this.policyField = policyField;
  }

  /** The fields for the limit {@code limitName} made of {@code rates}. */
  public static RateLimitHeaders of(String limitName, List<RateLimit> rates) {
    if (rates.isEmpty()) {
      throw new IllegalArgumentException("limit '" + limitName + "' has no rate");
    }
    List<String> names = new ArrayList<>();
    Set<String> taken = new HashSet<>();
    StringBuilder policy = new StringBuilder();
    for (int i = 0; i < rates.size(); i++) {
      RateLimit rate = rates.get(i);
      long window = windowSeconds(rate.per());
      String name = rates.size() == 1 ? limitName : limitName + "-" + label(window);
      if (!taken.add(name)) {
        name = name + "-" + (i + 1);
        taken.add(name);
      }
      names.add(name);
      if (i > 0) {
        policy.append(", ");
      }
      policy.append(quote(name)).append(";q=").append(quota(rate, window)).append(";w=").append(window);
    }
    return new RateLimitHeaders(List.copyOf(names), policy.toString());
  }

  /** The {@code RateLimit-Policy} field value. */
  public String policy() {
    return policyField;
  }

  /** The {@code RateLimit} field value for {@code decision}. */
  public String state(RateLimitDecision decision) {
    String params = ";r=" + decision.remaining() + ";t=" + decision.resetAfterSeconds();
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < names.size(); i++) {
      if (i > 0) {
        b.append(", ");
      }
      b.append(quote(names.get(i))).append(params);
    }
    return b.toString();
  }

  /** The quota policies' names, in the limit's order. */
  public List<String> names() {
    return names;
  }

  /** The period in whole seconds, rounded up, at least 1 (the draft's {@code w} is an integer). */
  private static long windowSeconds(Duration per) {
    long s = per.getSeconds() + (per.getNano() > 0 ? 1 : 0);
    return Math.max(1, s);
  }

  /** The permits in {@code window} seconds at the rate's pace; exactly {@code permits} for a whole-second period. */
  private static long quota(RateLimit rate, long window) {
    BigInteger perNanos = BigInteger.valueOf(rate.per().getSeconds()).multiply(NANOS_PER_SECOND)
        .add(BigInteger.valueOf(rate.per().getNano()));
    BigInteger q = BigInteger.valueOf(rate.permits()).multiply(BigInteger.valueOf(window)).multiply(NANOS_PER_SECOND)
        .divide(perNanos);
    return q.min(BigInteger.valueOf(999_999_999_999_999L)).longValueExact(); // RFC 8941 integers have 15 digits
  }

  private static String label(long seconds) {
    if (seconds % 86_400 == 0) {
      return seconds / 86_400 + "d";
    }
    if (seconds % 3_600 == 0) {
      return seconds / 3_600 + "h";
    }
    if (seconds % 60 == 0) {
      return seconds / 60 + "m";
    }
    return seconds + "s";
  }

  /** An RFC 8941 string: printable ASCII, with {@code "} and {@code \} escaped. */
  private static String quote(String s) {
    StringBuilder b = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c > 0x7e) {
        throw new IllegalArgumentException("a quota policy name must be printable ASCII, got '" + s + "'");
      }
      if (c == '"' || c == '\\') {
        b.append('\\');
      }
      b.append(c);
    }
    return b.append('"').toString();
  }
}
