package dev.pledge.security.password;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.pledge.core.time.Ticker;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Asks the Have I Been Pwned "Pwned Passwords" range API how often a password was breached, with
 * k-anonymity (P24, P30): only the first 5 hex digits of the password's SHA-1 leave the process, with
 * {@code Add-Padding: true} so response sizes reveal nothing. Ranges are cached (Caffeine), each
 * request has a timeout, and a resilience4j circuit breaker stops calling a failing service; when
 * the service cannot answer, {@link #timesSeen} throws {@link PasswordPolicyException} and the
 * {@link PasswordValidator} fails open or closed as configured. Thread-safe.
 *
 * <pre>{@code
 * PasswordValidator v = PasswordValidator.create(policy)
 *     .withBreachChecker(PwnedPasswords.builder().timeout(Duration.ofSeconds(2)).build(), false);
 * }</pre>
 */
public final class PwnedPasswords implements BreachChecker {
  private final URI baseUrl;
  private final Duration timeout;
  private final HttpClient http;
  private final Cache<String, Map<String, Long>> ranges;
  private final CircuitBreaker breaker;

  private final Builder settings;

  private PwnedPasswords(Builder b) {
    this.settings = new Builder(b);
    String u = b.baseUrl.toString();
    this.baseUrl = URI.create(u.endsWith("/") ? u : u + "/");
    this.timeout = b.timeout;
    this.http = HttpClient.newBuilder().connectTimeout(b.timeout).build();
    this.ranges = Caffeine.newBuilder().maximumSize(b.maximumRanges).expireAfterWrite(b.cacheTtl)
        .ticker(b.ticker::read).build();
    this.breaker = CircuitBreaker.of("pwned-passwords", CircuitBreakerConfig.custom()
        .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
        .slidingWindowSize(b.minimumCalls).minimumNumberOfCalls(b.minimumCalls)
        .failureRateThreshold(50).waitDurationInOpenState(b.waitInOpenState)
        .permittedNumberOfCallsInHalfOpenState(1).clock(b.clock).build());
  }

  /** A builder with the public API's URL, a 2 s timeout and a 1 h range cache. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The checker the policy's {@code breachCheck} settings describe.
   *
   * @deprecated the clock is a builder setting: use {@link #builder(PasswordsPolicy.BreachCheck)}
   *     with {@link Builder#clock}
   */
  @Deprecated(since = "0.2.0", forRemoval = true)
  @SuppressWarnings("removal")
  public static PwnedPasswords from(PasswordsSection.BreachCheck settings, Clock clock) {
    return builder(settings.toPolicy()).clock(clock).build();
  }

  /**
   * The checker the {@code passwords.breachCheck} settings describe (P23), with the system UTC clock.
   *
   * @param settings the {@code passwords.breachCheck} settings
   * @return the checker
   */
  public static PwnedPasswords from(PasswordsPolicy.BreachCheck settings) {
    return builder(settings).build();
  }

  /**
   * The checker the {@code passwords.breachCheck} settings describe, from the settings' former type.
   *
   * @param settings the {@code passwords.breachCheck} settings
   * @return the checker
   * @deprecated use {@link #from(PasswordsPolicy.BreachCheck)}
   */
  @Deprecated(since = "0.2.0", forRemoval = true)
  @SuppressWarnings("removal")
  public static PwnedPasswords from(PasswordsSection.BreachCheck settings) {
    return from(settings.toPolicy());
  }

  /**
   * A builder pre-filled from the {@code passwords.breachCheck} settings: base URL, timeout, cache
   * lifetime; change the clock or the HTTP client before {@link Builder#build()}.
   *
   * @param settings the {@code passwords.breachCheck} settings
   * @return the builder
   */
  public static Builder builder(PasswordsPolicy.BreachCheck settings) {
    return builder().baseUrl(settings.baseUrl()).timeout(settings.timeout()).cacheTtl(settings.cacheTtl());
  }

  /**
   * A builder pre-filled from the {@code passwords.breachCheck} settings' former type.
   *
   * @param settings the {@code passwords.breachCheck} settings
   * @return the builder
   * @deprecated use {@link #builder(PasswordsPolicy.BreachCheck)}
   */
  @Deprecated(since = "0.2.0", forRemoval = true)
  @SuppressWarnings("removal")
  public static Builder builder(PasswordsSection.BreachCheck settings) {
    return builder(settings.toPolicy());
  }

  /** The circuit breaker's state, such as {@code CLOSED} or {@code OPEN}. */
  public String circuitState() {
    return breaker.getState().name();
  }

  @Override
  public long timesSeen(String password) {
    Objects.requireNonNull(password, "password");
    String hex = sha1Hex(password);
    String prefix = hex.substring(0, 5);
    Map<String, Long> range = ranges.getIfPresent(prefix);
    if (range == null) {
      range = fetch(prefix);
      ranges.put(prefix, range);
    }
    return range.getOrDefault(hex.substring(5), 0L);
  }

  private Map<String, Long> fetch(String prefix) {
    try {
      return breaker.executeCallable(() -> get(prefix));
    } catch (CallNotPermittedException e) {
      throw new PasswordPolicyException("the breached-password service is not being called: its circuit breaker is open");
    } catch (PasswordPolicyException e) {
      throw e;
    } catch (Exception e) {
      throw new PasswordPolicyException("the breached-password service failed: " + e.getClass().getSimpleName(), e);
    }
  }

  private Map<String, Long> get(String prefix) throws IOException, InterruptedException {
    HttpRequest req = HttpRequest.newBuilder(baseUrl.resolve("range/" + prefix)).timeout(timeout)
        .header("Add-Padding", "true").header("User-Agent", "pledge-security").GET().build();
    HttpResponse<String> res;
    try {
      res = http.send(req, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (HttpTimeoutException e) {
      throw new PasswordPolicyException("the breached-password service did not answer within " + timeout.toMillis() + " ms", e);
    }
    if (res.statusCode() != 200) {
      throw new PasswordPolicyException("the breached-password service answered HTTP " + res.statusCode()
          + " for range " + prefix);
    }
    Map<String, Long> out = new HashMap<>();
    for (String line : res.body().split("\r?\n")) {
      int colon = line.indexOf(':');
      if (line.isBlank()) {
        continue;
      }
      if (colon != 35) {
        throw new PasswordPolicyException("the breached-password service answered a malformed range line for range " + prefix);
      }
      long count;
      try {
        count = Long.parseLong(line.substring(colon + 1).strip());
      } catch (NumberFormatException e) {
        throw new PasswordPolicyException("the breached-password service answered a malformed count for range " + prefix);
      }
      if (count > 0) { // padding lines have a count of 0
        out.put(line.substring(0, colon).toUpperCase(Locale.ROOT), count);
      }
    }
    return Map.copyOf(out);
  }

  private static String sha1Hex(String password) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-1").digest(password.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().withUpperCase().formatHex(d);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-1 is not available in this JVM", e);
    }
  }

  @Override
  public String toString() {
    return "PwnedPasswords[" + baseUrl + ", timeout=" + timeout + ", circuit=" + breaker.getState() + "]";
  }

  /**
   * A builder holding every setting of this checker (base URL, timeout, cache, clock, ticker, circuit
   * breaker), to change one; the copy starts with an empty cache.
   */
  public Builder toBuilder() {
    return new Builder(settings);
  }

  /** Builds a {@link PwnedPasswords}. Not thread-safe. */
  public static final class Builder {
    private URI baseUrl = URI.create("https://api.pwnedpasswords.com/");
    private Duration timeout = Duration.ofSeconds(2);
    private Duration cacheTtl = Duration.ofHours(1);
    private long maximumRanges = 10_000;
    private Clock clock = Clock.systemUTC();
    private Ticker ticker = Ticker.system();
    private int minimumCalls = 5;
    private Duration waitInOpenState = Duration.ofSeconds(30);

    private Builder() {}

    /** The API's base URL; {@code range/XXXXX} is resolved against it. */
    public Builder baseUrl(URI url) {
      Objects.requireNonNull(url, "baseUrl");
      if (url.getScheme() == null || !url.getScheme().startsWith("http")) {
        throw new IllegalArgumentException("baseUrl must be an http(s) URL, got '" + dev.pledge.core.internal.Redaction.location(String.valueOf(url)) + "'");
      }
      this.baseUrl = url;
      return this;
    }

    /** How long connecting and one request may take, more than zero. */
    public Builder timeout(Duration d) {
      if (d == null || d.isZero() || d.isNegative()) {
        throw new IllegalArgumentException("timeout must be greater than zero, got " + d);
      }
      this.timeout = d;
      return this;
    }

    /** How long a fetched range is kept, more than zero. */
    public Builder cacheTtl(Duration d) {
      if (d == null || d.isZero() || d.isNegative()) {
        throw new IllegalArgumentException("cacheTtl must be greater than zero, got " + d);
      }
      this.cacheTtl = d;
      return this;
    }

    /** How many ranges the cache holds at most (1 or more). */
    public Builder maximumRanges(long n) {
      if (n < 1) {
        throw new IllegalArgumentException("maximumRanges must be at least 1, got " + n);
      }
      this.maximumRanges = n;
      return this;
    }

    /** The clock of the circuit breaker's open-state wait. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** The nanosecond ticker of the range cache's expiry. */
    public Builder ticker(Ticker ticker) {
      this.ticker = Objects.requireNonNull(ticker, "ticker");
      return this;
    }

    /**
     * The circuit opens when at least half of the last {@code minimumCalls} calls failed, and lets one
     * call through after {@code waitInOpenState}.
     */
    public Builder circuitBreaker(int minimumCalls, Duration waitInOpenState) {
      if (minimumCalls < 1) {
        throw new IllegalArgumentException("minimumCalls must be at least 1, got " + minimumCalls);
      }
      if (waitInOpenState == null || waitInOpenState.isZero() || waitInOpenState.isNegative()) {
        throw new IllegalArgumentException("waitInOpenState must be greater than zero, got " + waitInOpenState);
      }
      this.minimumCalls = minimumCalls;
      this.waitInOpenState = waitInOpenState;
      return this;
    }

    /** The checker. */
    public PwnedPasswords build() {
      return new PwnedPasswords(this);
    }

    /** A copy of {@code other}'s settings, for {@code toBuilder()}. */
    private Builder(Builder other) {
      this.baseUrl = other.baseUrl;
      this.timeout = other.timeout;
      this.cacheTtl = other.cacheTtl;
      this.maximumRanges = other.maximumRanges;
      this.clock = other.clock;
      this.ticker = other.ticker;
      this.minimumCalls = other.minimumCalls;
      this.waitInOpenState = other.waitInOpenState;
    }
  }
}
