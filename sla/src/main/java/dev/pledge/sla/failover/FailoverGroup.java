package dev.pledge.sla.failover;

import dev.pledge.core.notify.Alert;
import dev.pledge.core.notify.AlertSeverity;
import dev.pledge.core.notify.Notifier;
import dev.pledge.sla.uptime.HealthCheck;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import dev.pledge.sla.history.FailoverRecord;
import dev.pledge.sla.history.SlaHistory;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * A primary and a spare endpoint for a host application (P5): calls go to the primary and switch to
 * the spare when the primary's health check fails or a resilience4j circuit breaker (thresholds from
 * the policy) opens on its errors; they return to the primary once it is healthy and a trial call
 * after the breaker's wait succeeds. A call that fails on the primary is served by the spare, so the
 * caller does not see the failure. Each switch and return is recorded ({@link #history()}) and
 * alerted through the {@link Notifier}.
 *
 * <p>Time comes from the injected {@link Clock} (the breaker uses it too). Thread-safe.
 *
 * @param <T> the endpoint type: a URL, a client, a data source
 */
public final class FailoverGroup<T> {
  /** Which endpoint serves calls. */
  public enum Active {
    /** The primary endpoint. */
    PRIMARY,
    /** The spare endpoint. */
    SPARE
  }

  /**
   * A switch between the endpoints.
   *
   * @param group the group's name
   * @param at when it happened
   * @param to the endpoint that now serves calls
   * @param reason why
   */
  public record Switch(String group, Instant at, Active to, String reason) {}

  private final FailoverPolicy.Group config;
  private final T primary;
  private final T spare;
  private final HealthCheck primaryHealth;
  private final Clock clock;
  private final Notifier notifier;
  private final String destination;
  private final CircuitBreaker breaker;
  private final SlaHistory recordedIn; // null: switches are kept in memory only
  private final List<Switch> history = new ArrayList<>();
  private boolean primaryHealthy = true;
  private String lastHealthDetail = "";
  private Active active = Active.PRIMARY;

  private FailoverGroup(FailoverPolicy.Group config, T primary, T spare, HealthCheck primaryHealth, Clock clock,
      Notifier notifier, String destination, SlaHistory recordedIn) {
    this.recordedIn = recordedIn;
    this.config = Objects.requireNonNull(config, "config");
    this.primary = Objects.requireNonNull(primary, "primary");
    this.spare = Objects.requireNonNull(spare, "spare");
    this.primaryHealth = Objects.requireNonNull(primaryHealth, "primaryHealth");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.notifier = Objects.requireNonNull(notifier, "notifier");
    this.destination = Objects.requireNonNull(destination, "destination");
    this.breaker = CircuitBreaker.of("failover-" + config.name(), CircuitBreakerConfig.custom()
        .failureRateThreshold(config.failureRateThreshold().value().floatValue())
        .slidingWindow(config.slidingWindowCalls(), config.minimumCalls(),
            CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
        .waitDurationInOpenState(config.waitInOpenState())
        .permittedNumberOfCallsInHalfOpenState(1)
        .clock(clock)
        .currentTimestampFunction(Clock::millis, TimeUnit.MILLISECONDS)
        .build());
  }

  /**
   * A group with the thresholds of {@code config}, whose primary's health is judged by
   * {@code primaryHealth}; switches are alerted to {@code destination}.
   *
   * @deprecated for removal: the clock is a builder setting and a group is bound from its section: use
   *     {@link #builder(FailoverPolicy, String, Object, Object)} (or {@link #builder(FailoverPolicy,
   *     String)} for the group's addresses) with {@link Builder#primaryHealth}, {@link Builder#clock},
   *     {@link Builder#notifier} and {@link Builder#destination}
   */
  @Deprecated(since = "0.2.0", forRemoval = true)
  public static <T> FailoverGroup<T> create(FailoverPolicy.Group config, T primary, T spare,
      HealthCheck primaryHealth, Clock clock, Notifier notifier, String destination) {
    return new Builder<>(Objects.requireNonNull(config, "config"), primary, spare).primaryHealth(primaryHealth)
        .clock(clock).notifier(notifier).destination(destination).build();
  }

  /**
   * A builder for the group named {@code group} of the {@code failover} section (P5), whose endpoints
   * are the group's own {@code primary} and {@code spare} addresses: {@link #call} hands the function
   * the address to reach. Set the primary's health check, the notifier and the destination
   * (required; the section names none of them), and change the clock.
   *
   * <p>There is no {@code from(section)}: a group needs a health check (an HTTP probe would be wrong
   * for a database group), a notifier and a destination, and the section names none of them.
   *
   * @param section the {@code failover} section
   * @param group the name of one of its groups, such as {@code shop-db}
   * @return the builder
   * @throws IllegalArgumentException when the section has no group of that name
   */
  public static Builder<URI> builder(FailoverPolicy section, String group) {
    FailoverPolicy.Group g = group(section, group);
    return new Builder<>(g, g.primary(), g.spare());
  }

  /**
   * A builder for the group named {@code group} of the {@code failover} section (P5), calling {@code
   * primary} and switching to {@code spare}: the host's clients (a data source, an HTTP client) for the
   * group's {@code primary} and {@code spare} addresses. Set the primary's health check, the notifier
   * and the destination (required), and change the clock.
   *
   * @param <T> the endpoint type
   * @param section the {@code failover} section
   * @param group the name of one of its groups, such as {@code shop-db}
   * @param primary the client for the group's primary
   * @param spare the client for the group's spare
   * @return the builder
   * @throws IllegalArgumentException when the section has no group of that name
   */
  public static <T> Builder<T> builder(FailoverPolicy section, String group, T primary, T spare) {
    return new Builder<>(group(section, group), primary, spare);
  }

  private static FailoverPolicy.Group group(FailoverPolicy section, String name) {
    Objects.requireNonNull(section, "section");
    Objects.requireNonNull(name, "group");
    return section.group(name).orElseThrow(() -> new IllegalArgumentException("failover has no group named '" + name
        + "'; its groups are " + section.groups().stream().map(FailoverPolicy.Group::name).toList()));
  }

  /**
   * A builder for the group {@code group} of the {@code failover} section (P5), calling {@code
   * primary} and switching to {@code spare}.
   *
   * @param <T> the endpoint type
   * @param group one group of the {@code failover} section
   * @param primary the client for the group's primary
   * @param spare the client for the group's spare
   * @return the builder
   * @deprecated for removal: bind from the section like every other component, with {@link
   *     #builder(FailoverPolicy, String, Object, Object)} (the host's clients) or {@link
   *     #builder(FailoverPolicy, String)} (the group's addresses)
   */
  @Deprecated(since = "0.2.0", forRemoval = true)
  public static <T> Builder<T> builder(FailoverPolicy.Group group, T primary, T spare) {
    return new Builder<>(Objects.requireNonNull(group, "group"), primary, spare);
  }

  /**
   * A builder holding this group's settings, endpoints, health check, clock, notifier and destination,
   * for a new group (breaker closed, no switch recorded) that differs in one of them.
   *
   * @return the builder
   */
  public Builder<T> toBuilder() {
    Builder<T> b = new Builder<>(config, primary, spare).primaryHealth(primaryHealth).clock(clock).notifier(notifier)
        .destination(destination);
    return recordedIn == null ? b : b.history(recordedIn);
  }

  /**
   * Configures a {@link FailoverGroup}. Not thread-safe.
   *
   * @param <T> the endpoint type
   */
  public static final class Builder<T> {
    private final FailoverPolicy.Group group;
    private final T primary;
    private final T spare;
    private HealthCheck primaryHealth;
    private Clock clock = Clock.systemUTC();
    private Notifier notifier;
    private String destination;
    private SlaHistory history;

    private Builder(FailoverPolicy.Group group, T primary, T spare) {
      this.group = group;
      this.primary = Objects.requireNonNull(primary, "primary");
      this.spare = Objects.requireNonNull(spare, "spare");
    }

    /** How the primary's health is judged (required). */
    public Builder<T> primaryHealth(HealthCheck primaryHealth) {
      this.primaryHealth = Objects.requireNonNull(primaryHealth, "primaryHealth");
      return this;
    }

    /** The clock of the breaker and of switch records (default the system UTC clock). */
    public Builder<T> clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** Where switches are alerted (required). */
    public Builder<T> notifier(Notifier notifier) {
      this.notifier = Objects.requireNonNull(notifier, "notifier");
      return this;
    }

    /** The alert destination, such as a Slack channel (required). */
    public Builder<T> destination(String destination) {
      this.destination = Objects.requireNonNull(destination, "destination");
      return this;
    }

    /**
     * Records every switch, every return and every call that failed for its caller in {@code history}
     * as well (P5), so that the compliance report judges failover from what happened; a history that
     * cannot be written is logged and calls go on.
     *
     * @param history the deployment's SLA history
     * @return this builder
     */
    public Builder<T> history(SlaHistory history) {
      this.history = Objects.requireNonNull(history, "history");
      return this;
    }

    /**
     * The group.
     *
     * @return the group
     * @throws IllegalStateException when the health check, the notifier or the destination is missing
     */
    public FailoverGroup<T> build() {
      if (primaryHealth == null || notifier == null || destination == null) {
        throw new IllegalStateException("failover group '" + group.name() + "' needs "
            + (primaryHealth == null ? "a primaryHealth check" : notifier == null ? "a notifier" : "a destination"));
      }
      return new FailoverGroup<>(group, primary, spare, primaryHealth, clock, notifier, destination, history);
    }
  }

  /** Which endpoint serves calls now. */
  public synchronized Active active() {
    return active;
  }

  /** The switches so far, oldest first. */
  public synchronized List<Switch> history() {
    return List.copyOf(history);
  }

  /**
   * Runs {@code call} on the endpoint that should serve it: the primary when it is healthy and its
   * breaker permits, otherwise (or when the primary fails) the spare. Exceptions from the spare
   * reach the caller.
   */
  public <R> R call(Function<? super T, ? extends R> call) {
    boolean tryPrimary;
    synchronized (this) {
      tryPrimary = primaryHealthy && breaker.tryAcquirePermission();
    }
    if (tryPrimary) {
      try {
        R r = call.apply(primary);
        synchronized (this) {
          breaker.onSuccess(0, TimeUnit.NANOSECONDS);
          update("a call to the primary succeeded");
        }
        return r;
      } catch (RuntimeException e) {
        synchronized (this) {
          breaker.onError(0, TimeUnit.NANOSECONDS, e);
          update("calls to the primary failed (circuit breaker " + breaker.getState() + ", last error: "
              + e.getClass().getSimpleName() + ")");
        }
      }
    }
    try {
      return call.apply(spare);
    } catch (RuntimeException e) {
      record(FailoverRecord.Kind.FAILED_FOR_CALLER, clock.instant(), "the spare failed too: "
          + e.getClass().getSimpleName());
      throw e;
    }
  }

  private void record(FailoverRecord.Kind kind, java.time.Instant at, String detail) {
    if (recordedIn == null) {
      return;
    }
    try {
      recordedIn.appendFailover(new FailoverRecord(config.name(), at, kind, detail));
    } catch (RuntimeException e) {
      org.slf4j.LoggerFactory.getLogger(FailoverGroup.class)
          .warn("failover event of {} could not be recorded: {}", config.name(), e.getMessage());
    }
  }

  /** Runs the primary's health check and switches or returns as it says. */
  public synchronized Active checkHealth() {
    HealthCheck.Result r;
    try {
      r = primaryHealth.check();
    } catch (RuntimeException e) {
      r = HealthCheck.Result.down("check failed: " + e.getMessage());
    }
    primaryHealthy = r.healthy();
    lastHealthDetail = r.detail();
    update((r.healthy() ? "the primary's health check passed" : "the primary's health check failed")
        + (r.detail().isEmpty() ? "" : " (" + r.detail() + ")"));
    return active;
  }

  private void update(String reason) {
    Active want = primaryHealthy && breaker.getState() == CircuitBreaker.State.CLOSED ? Active.PRIMARY : Active.SPARE;
    if (want == active) {
      return;
    }
    active = want;
    Switch s = new Switch(config.name(), clock.instant(), want, reason);
    history.add(s);
    record(want == Active.SPARE ? FailoverRecord.Kind.TO_SPARE : FailoverRecord.Kind.TO_PRIMARY, s.at(), reason);
    try {
      notifier.send(new Alert(s.at(), want == Active.SPARE ? AlertSeverity.HIGH : AlertSeverity.INFO,
          config.name() + ": " + (want == Active.SPARE ? "switched to the spare" : "back on the primary"),
          reason + ".", destination, "failover/" + config.name() + "/" + want)); // a return is not a repeat of the switch
    } catch (RuntimeException e) {
      // the switch itself must not fail because an alert channel is down
      org.slf4j.LoggerFactory.getLogger(FailoverGroup.class)
          .warn("failover alert for {} could not be sent: {}", config.name(), e.getMessage());
    }
  }

  @Override
  public String toString() {
    return "FailoverGroup[" + config.name() + ", active=" + active() + "]";
  }
}
