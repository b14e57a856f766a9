package dev.pledge.sla.maintenance;

import dev.pledge.core.SiteId;
import dev.pledge.core.notify.Alert;
import dev.pledge.core.notify.AlertSeverity;
import dev.pledge.core.notify.Notifier;
import dev.pledge.core.time.Durations;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Schedules maintenance windows and tells customers about them (P39). A window is announced through
 * the {@link Notifier} when it is scheduled, and customers are reminded at the policy's reminder
 * times before the start ({@link #runDue()}, driven by the injected {@link Clock}). A window that
 * gives less than the policy's notice is refused unless it is marked an emergency; an emergency window
 * is accepted (when the policy allows emergencies) and its downtime counts against uptime.
 *
 * <p>Thread-safe.
 */
public final class MaintenanceScheduler {
  private final MaintenancePolicy policy;
  private final Clock clock;
  private final Notifier notifier;
  private final Map<String, Entry> windows = new LinkedHashMap<>();
  private int sequence;

  /**
   * A scheduled window.
   *
   * @param id the window's identifier, {@code site-N}
   * @param site the site it affects
   * @param window the window as announced
   */
  public record Scheduled(String id, SiteId site, MaintenanceWindow window) {}

  private static final class Entry {
    final Scheduled scheduled;
    final List<Duration> pendingReminders;

    Entry(Scheduled s, List<Duration> reminders) {
      this.scheduled = s;
      this.pendingReminders = new ArrayList<>(reminders);
      this.pendingReminders.sort(Comparator.reverseOrder());
    }
  }

  private MaintenanceScheduler(MaintenancePolicy policy, Clock clock, Notifier notifier) {
    this.policy = Objects.requireNonNull(policy, "policy");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.notifier = Objects.requireNonNull(notifier, "notifier");
  }

  /**
   * A scheduler that follows {@code policy}.
   *
   * @deprecated the clock is a builder setting: use {@link #builder(MaintenancePolicy)} with {@link
   *     Builder#clock} and {@link Builder#notifier}
   */
  @Deprecated(since = "0.2.0")
  public static MaintenanceScheduler create(MaintenancePolicy policy, Clock clock, Notifier notifier) {
    return builder(policy).clock(clock).notifier(notifier).build();
  }

  /**
   * The scheduler the {@code maintenance} section states (P5), announcing through {@code notifier},
   * with the system UTC clock. A section names no notifier, so it is the one argument besides it.
   *
   * @param policy the {@code maintenance} section
   * @param notifier where announcements and reminders go
   * @return the scheduler
   */
  public static MaintenanceScheduler from(MaintenancePolicy policy, Notifier notifier) {
    return builder(policy).notifier(notifier).build();
  }

  /**
   * A builder for a scheduler that follows the {@code maintenance} section; set the {@link
   * Builder#notifier} (required) and change the clock.
   *
   * @param policy the {@code maintenance} section
   * @return the builder
   */
  public static Builder builder(MaintenancePolicy policy) {
    return new Builder(Objects.requireNonNull(policy, "policy"));
  }

  /**
   * A builder holding this scheduler's policy, clock and notifier, for a new scheduler (with no
   * window scheduled) that differs in one of them.
   *
   * @return the builder
   */
  public Builder toBuilder() {
    return builder(policy).clock(clock).notifier(notifier);
  }

  /** Configures a {@link MaintenanceScheduler}. Not thread-safe. */
  public static final class Builder {
    private final MaintenancePolicy policy;
    private Clock clock = Clock.systemUTC();
    private Notifier notifier;

    private Builder(MaintenancePolicy policy) {
      this.policy = policy;
    }

    /** The clock that says what is now and when reminders are due (default the system UTC clock). */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** Where announcements and reminders go (required). */
    public Builder notifier(Notifier notifier) {
      this.notifier = Objects.requireNonNull(notifier, "notifier");
      return this;
    }

    /**
     * The scheduler.
     *
     * @throws IllegalStateException when no notifier was set
     */
    public MaintenanceScheduler build() {
      if (notifier == null) {
        throw new IllegalStateException("notifier is required: maintenance must be announced to customers (P5)");
      }
      return new MaintenanceScheduler(policy, clock, notifier);
    }
  }

  /**
   * Schedules work on {@code site} from {@code start} to {@code end}, announced now.
   *
   * @param impact what customers will notice, such as {@code checkout unavailable}
   * @param emergency whether short notice is accepted (the downtime then counts)
   * @throws MaintenanceException when the notice is too short and the window is not an emergency, or
   *     emergencies are not allowed
   * @throws IllegalArgumentException when the window is empty or already started
   */
  public synchronized Scheduled schedule(SiteId site, Instant start, Instant end, String impact, boolean emergency) {
    Objects.requireNonNull(site, "site");
    Instant now = clock.instant();
    if (start.isBefore(now)) {
      throw new IllegalArgumentException("start " + start + " is in the past (now " + now + ")");
    }
    MaintenanceWindow w = new MaintenanceWindow(start, end, now, emergency, impact);
    Duration notice = w.notice();
    if (notice.compareTo(policy.notice()) < 0) {
      if (!emergency) {
        throw new MaintenanceException("maintenance of " + site + " at " + start + " refused: it gives "
            + Durations.format(notice) + " of notice and the policy requires " + Durations.format(policy.notice())
            + "; schedule it later or mark it an emergency (its downtime then counts)");
      }
      if (!policy.allowEmergency()) {
        throw new MaintenanceException("maintenance of " + site + " at " + start + " refused: it gives "
            + Durations.format(notice) + " of notice and the policy allows no emergency maintenance");
      }
    }
    String id = site.value() + "-" + (++sequence);
    Scheduled s = new Scheduled(id, site, w);
    // reminders whose time has already passed are not sent: the announcement covers them
    List<Duration> reminders = new ArrayList<>();
    for (Duration r : policy.reminders()) {
      if (start.minus(r).isAfter(now)) {
        reminders.add(r);
      }
    }
    windows.put(id, new Entry(s, reminders));
    notifier.send(new Alert(now, emergency ? AlertSeverity.HIGH : AlertSeverity.WARNING,
        (emergency ? "Emergency maintenance" : "Planned maintenance") + " of " + site + " on " + start,
        "From " + start + " to " + end + " (" + Durations.format(w.duration()) + ")"
            + (w.impact().isEmpty() ? "" : "; impact: " + w.impact()) + ".", policy.destination(),
        "maintenance/" + id + "/announce"));
    return s;
  }

  /** Sends the reminders that are due at the clock's current time and returns how many were sent. */
  public synchronized int runDue() {
    Instant now = clock.instant();
    int sent = 0;
    for (Entry e : windows.values()) {
      MaintenanceWindow w = e.scheduled.window();
      Duration due = null;
      while (!e.pendingReminders.isEmpty() && !w.start().minus(e.pendingReminders.get(0)).isAfter(now)) {
        due = e.pendingReminders.remove(0);
      }
      // after a pause only the latest reminder is sent, never a burst of stale ones
      if (due != null && now.isBefore(w.start())) {
        notifier.send(new Alert(now, AlertSeverity.WARNING, "Reminder: maintenance of " + e.scheduled.site()
            + " starts in " + Durations.format(Duration.between(now, w.start())),
            "From " + w.start() + " to " + w.end() + (w.impact().isEmpty() ? "" : "; impact: " + w.impact()) + ".",
            policy.destination(), "maintenance/" + e.scheduled.id() + "/" + Durations.format(due)));
        sent++;
      }
    }
    return sent;
  }

  /** Cancels a window and tells customers. */
  public synchronized void cancel(String id) {
    Entry e = windows.remove(id);
    if (e == null) {
      throw new IllegalArgumentException("no maintenance window with id '" + id + "'");
    }
    notifier.send(new Alert(clock.instant(), AlertSeverity.INFO, "Maintenance of " + e.scheduled.site() + " on "
        + e.scheduled.window().start() + " cancelled", "", policy.destination(), "maintenance/" + id + "/cancel"));
  }

  /** The windows of {@code site}, in scheduling order, as the uptime report takes them. */
  public synchronized List<MaintenanceWindow> windows(SiteId site) {
    List<MaintenanceWindow> out = new ArrayList<>();
    for (Entry e : windows.values()) {
      if (e.scheduled.site().equals(site)) {
        out.add(e.scheduled.window());
      }
    }
    return out;
  }
}
