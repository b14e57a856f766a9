package dev.pledge.sla.uptime;

import dev.pledge.core.SiteId;
import dev.pledge.core.notify.Alert;
import dev.pledge.core.notify.AlertSeverity;
import dev.pledge.core.notify.Notifier;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs health checks on their schedule and turns them into state changes (P4): a site goes DOWN
 * after {@code failuresBeforeDown} consecutive failed checks and UP again after
 * {@code successesBeforeUp} consecutive successes, so a single blip never flaps the state. Each
 * change is recorded in the {@link UptimeStore} and alerted through the {@link Notifier} (CRITICAL
 * when down, INFO when back up); a failing notifier does not stop monitoring.
 *
 * <p>Time comes from the injected {@link Clock}: {@link #runDue()} runs every check whose time has
 * come, so tests drive the monitor by advancing a fake clock. {@link #start} calls it periodically
 * on an executor the host owns. Thread-safe.
 */
public final class UptimeMonitor {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(UptimeMonitor.class);

  private final Clock clock;
  private final UptimeStore store;
  private final Notifier notifier;
  private final String destination;
  private final List<Probe> probes = new ArrayList<>();
  private dev.pledge.sla.history.SlaHistory history;

  private static final class Probe {
    final ProbeSpec spec;
    final HealthCheck check;
    Instant nextDue;
    SiteState state = SiteState.UP;
    int streak;
    Instant streakStart;
    String lastDetail = "";

    Probe(ProbeSpec spec, HealthCheck check, Instant first) {
      this.spec = spec;
      this.check = check;
      this.nextDue = first;
    }
  }

  private UptimeMonitor(Clock clock, UptimeStore store, Notifier notifier, String destination) {
    this.clock = Objects.requireNonNull(clock, "clock");
    this.store = Objects.requireNonNull(store, "store");
    this.notifier = Objects.requireNonNull(notifier, "notifier");
    this.destination = Objects.requireNonNull(destination, "destination");
  }

  /**
   * A monitor that records into {@code store} and alerts {@code destination} through {@code notifier}.
   *
   * @deprecated for removal: the clock is a builder setting: use {@link #builder(UptimePolicy)} (or
   *     {@link #builder()} for probes of the host's own) with {@link Builder#clock}, {@link
   *     Builder#store}, {@link Builder#notifier} and {@link Builder#destination}
   */
  @Deprecated(since = "0.2.0", forRemoval = true)
  public static UptimeMonitor create(Clock clock, UptimeStore store, Notifier notifier, String destination) {
    return builder().clock(clock).store(store).notifier(notifier).destination(destination).build();
  }

  /**
   * A monitor with an HTTP probe for each probe of {@code policy}.
   *
   * @deprecated for removal: the clock, the store and the notifier are builder settings: use
   *     {@code builder(policy).clock(clock).store(store).notifier(notifier).build()}
   */
  @Deprecated(since = "0.2.0", forRemoval = true)
  public static UptimeMonitor from(UptimePolicy policy, Clock clock, UptimeStore store, Notifier notifier) {
    return builder(policy).clock(clock).store(store).notifier(notifier).build();
  }

  /**
   * The monitor the {@code uptime} section states (P4), alerting its {@code alertDestination} through
   * {@code notifier}, with the system UTC clock and an in-memory store, whose state changes (and so the
   * monthly reports made from them) are lost when the process ends.
   *
   * @param policy the {@code uptime} section
   * @param notifier where state changes are alerted
   * @return the monitor, with an HTTP probe for each of the section's probes
   * @deprecated for removal: it keeps the state changes in memory without saying so; use {@code
   *     builder(policy).store(store).notifier(notifier).build()} with a real store ({@link
   *     UptimeStore#jdbc}, {@link UptimeStore#jsonLines}), or {@link UptimeStore#inMemory()} named
   */
  @Deprecated(since = "0.2.0", forRemoval = true)
  public static UptimeMonitor from(UptimePolicy policy, Notifier notifier) {
    return builder(policy).store(UptimeStore.inMemory()).notifier(notifier).build();
  }

  /**
   * A builder pre-filled from the {@code uptime} section (P4): its alert destination and an HTTP probe
   * for each of its probes; set the {@link Builder#store} and the {@link Builder#notifier} (both
   * required: the section names neither), and change the clock. This is how the section binds: there
   * is no {@code from(section)}, since neither the store nor the notifier has a safe default.
   *
   * @param policy the {@code uptime} section
   * @return the builder
   */
  public static Builder builder(UptimePolicy policy) {
    Builder b = builder().destination(policy.alertDestination());
    for (ProbeSpec p : policy.probes()) {
      b.probe(p, HealthCheck.http(p));
    }
    return b;
  }

  /**
   * A builder with no probe and the system UTC clock; the store, the notifier and the destination are
   * required.
   *
   * @return the builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * A builder holding every setting of this monitor (clock, store, notifier, destination) and the
   * probes it runs now, to change one; the copy shares this monitor's store and starts its probes
   * afresh (state {@code UP}, due at once). A history set with {@link #history} is not carried over.
   */
  public synchronized Builder toBuilder() {
    Builder b = builder().clock(clock).store(store).notifier(notifier).destination(destination);
    for (Probe p : probes) {
      b.probe(p.spec, p.check);
    }
    return b;
  }

  /** Configures an {@link UptimeMonitor}. Not thread-safe. */
  public static final class Builder {
    private Clock clock = Clock.systemUTC();
    private UptimeStore store;
    private Notifier notifier;
    private String destination;
    private final List<ProbeSpec> specs = new ArrayList<>();
    private final List<HealthCheck> checks = new ArrayList<>();

    private Builder() {}

    /** The clock that says when checks are due and stamps state changes (default the system UTC clock). */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Where state changes are recorded (required): a store the monthly reports are made from, such as
     * {@link UptimeStore#jdbc} shared by the nodes or {@link UptimeStore#jsonLines}; {@link
     * UptimeStore#inMemory()} only when losing them with the process is meant.
     */
    public Builder store(UptimeStore store) {
      this.store = Objects.requireNonNull(store, "store");
      return this;
    }

    /** Where state changes are alerted (required). */
    public Builder notifier(Notifier notifier) {
      this.notifier = Objects.requireNonNull(notifier, "notifier");
      return this;
    }

    /** The alert destination, such as a Slack channel (required; the section's {@code alertDestination}). */
    public Builder destination(String destination) {
      this.destination = Objects.requireNonNull(destination, "destination");
      return this;
    }

    /** Adds a probe, checked by {@code check}; its first check is due when the monitor is built. */
    public Builder probe(ProbeSpec spec, HealthCheck check) {
      specs.add(Objects.requireNonNull(spec, "spec"));
      checks.add(Objects.requireNonNull(check, "check"));
      return this;
    }

    /**
     * The monitor.
     *
     * @throws IllegalStateException when the store, the notifier or the destination is missing
     */
    public UptimeMonitor build() {
      if (store == null) {
        throw new IllegalStateException("store is required: state changes are what the monthly reports are made from "
            + "(P3, P4); set store(UptimeStore.jdbc(...)) or store(UptimeStore.jsonLines(...)), or "
            + "store(UptimeStore.inMemory()) to lose them with the process");
      }
      if (notifier == null) {
        throw new IllegalStateException("notifier is required: a site going down must alert someone (P4)");
      }
      if (destination == null) {
        throw new IllegalStateException("destination is required: the uptime section's alertDestination, or a channel");
      }
      UptimeMonitor m = new UptimeMonitor(clock, store, notifier, destination);
      for (int i = 0; i < specs.size(); i++) {
        m.add(specs.get(i), checks.get(i));
      }
      return m;
    }
  }

  /**
   * Records every probe result into {@code history} as well (P2), so that the compliance report can
   * compute uptime from them; a history that cannot be written is logged and monitoring goes on.
   */
  public synchronized UptimeMonitor history(dev.pledge.sla.history.SlaHistory history) {
    this.history = Objects.requireNonNull(history, "history");
    return this;
  }

  /** Adds a probe; its first check is due now. */
  public synchronized UptimeMonitor add(ProbeSpec spec, HealthCheck check) {
    probes.add(new Probe(Objects.requireNonNull(spec, "spec"), Objects.requireNonNull(check, "check"), clock.instant()));
    return this;
  }

  /** The current state of {@code site}: DOWN when any of its probes says so. */
  public synchronized SiteState state(SiteId site) {
    for (Probe p : probes) {
      if (p.spec.site().equals(site) && p.state == SiteState.DOWN) {
        return SiteState.DOWN;
      }
    }
    return SiteState.UP;
  }

  /**
   * Runs every check that is due at the clock's current time and returns the state changes it caused.
   * A probe that fell behind (the host paused) runs once and is rescheduled from now.
   */
  public synchronized List<StateChange> runDue() {
    Instant now = clock.instant();
    List<StateChange> changes = new ArrayList<>();
    List<dev.pledge.sla.history.ProbeRecord> results = new ArrayList<>();
    for (Probe p : probes) {
      if (p.nextDue.isAfter(now)) {
        continue;
      }
      HealthCheck.Result r;
      try {
        r = p.check.check();
      } catch (RuntimeException e) {
        r = HealthCheck.Result.down("check failed: " + e.getMessage());
      }
      Instant next = p.nextDue.plus(p.spec.interval());
      p.nextDue = next.isAfter(now) ? next : now.plus(p.spec.interval());
      if (history != null) {
        results.add(new dev.pledge.sla.history.ProbeRecord(p.spec.site(), redacted(p.spec.url()), now, r.healthy(),
            r.detail()));
      }
      StateChange c = observe(p, now, r);
      if (c != null) {
        changes.add(c);
      }
    }
    if (history != null && !results.isEmpty()) {
      try {
        history.appendProbes(results);
      } catch (RuntimeException e) {
        LOG.warn("probe results could not be recorded: {}", e.getMessage());
      }
    }
    return changes;
  }

  private StateChange observe(Probe p, Instant now, HealthCheck.Result r) {
    boolean agrees = (p.state == SiteState.UP) == r.healthy();
    if (agrees) {
      p.streak = 0;
      p.streakStart = null;
      return null;
    }
    if (p.streak == 0) {
      p.streakStart = now;
    }
    p.streak++;
    p.lastDetail = r.detail();
    int needed = p.state == SiteState.UP ? p.spec.failuresBeforeDown() : p.spec.successesBeforeUp();
    if (p.streak < needed) {
      return null;
    }
    SiteState to = p.state == SiteState.UP ? SiteState.DOWN : SiteState.UP;
    String reason = p.streak + " consecutive " + (to == SiteState.DOWN ? "failed" : "successful") + " checks of "
        + redacted(p.spec.url()) + " (last: " + r.detail() + ")";
    StateChange change = new StateChange(p.spec.site(), p.streakStart, to, reason);
    p.state = to;
    p.streak = 0;
    p.streakStart = null;
    store.record(change);
    try {
      notifier.send(new Alert(now, to == SiteState.DOWN ? AlertSeverity.CRITICAL : AlertSeverity.INFO,
          p.spec.site() + " is " + to, reason + "; since " + change.at() + ".", destination,
          "uptime/" + p.spec.site() + "/" + to)); // recovery is its own condition: never a repeat of the outage
    } catch (RuntimeException e) {
      LOG.warn("uptime alert for {} could not be sent: {}", p.spec.site(), e.getMessage());
    }
    return change;
  }

  /** The URL without user info, query or fragment, which may carry tokens. */
  static String redacted(java.net.URI url) {
    return url.getScheme() + "://" + url.getHost() + (url.getPort() >= 0 ? ":" + url.getPort() : "")
        + (url.getRawPath() == null ? "" : url.getRawPath());
  }

  /**
   * Calls {@link #runDue()} every {@code tick} on {@code executor} (owned and shut down by the host).
   * Cancel the returned future to stop.
   */
  public ScheduledFuture<?> start(ScheduledExecutorService executor, Duration tick) {
    if (tick.isZero() || tick.isNegative()) {
      throw new IllegalArgumentException("tick must be positive, got " + tick);
    }
    return executor.scheduleWithFixedDelay(() -> {
      try {
        runDue();
      } catch (RuntimeException e) {
        LOG.warn("uptime checks failed: {}", e.getMessage());
      }
    }, 0, tick.toMillis(), TimeUnit.MILLISECONDS);
  }
}
