package dev.pledge.sla.maintenance;

import dev.pledge.core.SiteId;
import dev.pledge.core.notify.Alert;
import dev.pledge.core.notify.AlertSeverity;
import dev.pledge.core.notify.Notifier;
import dev.pledge.core.time.Durations;
import dev.pledge.sla.history.MaintenanceRecord;
import dev.pledge.sla.history.SlaHistory;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

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
  private final SlaHistory history; // null: windows are kept in memory only
  private final Map<String, Entry> windows = new LinkedHashMap<>();
  private int sequence;

  /**
   * A scheduled window.
   *
   * @param id the window's identifier, {@code SITE-START-N} (its start in UTC, such as
   *     {@code shop-20261210T0200Z-1}), unique in a history several schedulers share
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

  private MaintenanceScheduler(MaintenancePolicy policy, Clock clock, Notifier notifier, SlaHistory history) {
    this.history = history;
    this.policy = Objects.requireNonNull(policy, "policy");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.notifier = Objects.requireNonNull(notifier, "notifier");
  }

  /**
   * A scheduler that follows {@code policy}.
   *
   * @deprecated for removal: the clock is a builder setting: use {@link #from(MaintenancePolicy,
   *     Notifier)}, or {@link #builder(MaintenancePolicy)} with {@link Builder#clock} and {@link
   *     Builder#notifier}
   */
  @Deprecated(since = "0.2.0", forRemoval = true)
  public static MaintenanceScheduler create(MaintenancePolicy policy, Clock clock, Notifier notifier) {
    return builder(policy).clock(clock).notifier(notifier).build();
  }

  /**
   * The scheduler the {@code maintenance} section states (P5, P39), announcing through {@code notifier},
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
    Builder b = builder(policy).clock(clock).notifier(notifier);
    return history == null ? b : b.history(history);
  }

  /** Configures a {@link MaintenanceScheduler}. Not thread-safe. */
  public static final class Builder {
    private final MaintenancePolicy policy;
    private Clock clock = Clock.systemUTC();
    private Notifier notifier;
    private SlaHistory history;

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
     * Records every window and update scheduled, and every cancellation, in {@code history} as well
     * (P2, P5, P39), so that the compliance report judges maintenance from what was announced and
     * when; a history that cannot be written is logged and scheduling goes on.
     *
     * @param history the deployment's SLA history
     * @return this builder
     */
    public Builder history(SlaHistory history) {
      this.history = Objects.requireNonNull(history, "history");
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
      return new MaintenanceScheduler(policy, clock, notifier, history);
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
    String id = newId(site, start);
    Scheduled s = new Scheduled(id, site, w);
    // reminders whose time has already passed are not sent: the announcement covers them
    List<Duration> reminders = new ArrayList<>();
    for (Duration r : policy.reminders()) {
      if (start.minus(r).isAfter(now)) {
        reminders.add(r);
      }
    }
    windows.put(id, new Entry(s, reminders));
    record(new MaintenanceRecord(id, site, MaintenanceRecord.Kind.MAINTENANCE, w, Optional.empty()));
    notifier.send(new Alert(now, emergency ? AlertSeverity.HIGH : AlertSeverity.WARNING,
        (emergency ? "Emergency maintenance" : "Planned maintenance") + " of " + site + " on " + start,
        "From " + start + " to " + end + " (" + Durations.format(w.duration()) + ")"
            + (w.impact().isEmpty() ? "" : "; impact: " + w.impact()) + ".", policy.destination(),
        "maintenance/" + id + "/announce"));
    return s;
  }

  /**
   * Records an update of {@code site} rolled out from {@code start} to {@code end} with zero downtime
   * (P5, P39): no notice is needed, since customers notice nothing, and it is not excluded from
   * uptime; the compliance report checks that every health probe during it passed. Customers are not
   * told; the record is made now.
   *
   * @param what what is updated, for reports, such as {@code shop 4.2 rolling upgrade}
   * @return the update as scheduled
   * @throws IllegalArgumentException when the update is empty or already started
   */
  public synchronized Scheduled update(SiteId site, Instant start, Instant end, String what) {
    Objects.requireNonNull(site, "site");
    Instant now = clock.instant();
    if (start.isBefore(now)) {
      throw new IllegalArgumentException("start " + start + " is in the past (now " + now + ")");
    }
    MaintenanceWindow w = new MaintenanceWindow(start, end, now, false, what);
    String id = newId(site, start);
    record(new MaintenanceRecord(id, site, MaintenanceRecord.Kind.UPDATE, w, Optional.empty()));
    return new Scheduled(id, site, w);
  }

  private String newId(SiteId site, Instant start) {
    return site.value() + "-" + java.time.format.DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmm'Z'")
        .withZone(java.time.ZoneOffset.UTC).format(start) + "-" + (++sequence);
  }

  private void record(MaintenanceRecord r) {
    if (history == null) {
      return;
    }
    try {
      history.appendMaintenance(r);
    } catch (RuntimeException e) {
      org.slf4j.LoggerFactory.getLogger(MaintenanceScheduler.class).warn("maintenance window {} could not be"
          + " recorded: {}", r.id(), e.getMessage());
    }
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
    if (history != null) {
      try {
        history.appendCancellation(id, clock.instant());
      } catch (RuntimeException ex) {
        org.slf4j.LoggerFactory.getLogger(MaintenanceScheduler.class).warn("the cancellation of maintenance window {}"
            + " could not be recorded: {}", id, ex.getMessage());
      }
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
