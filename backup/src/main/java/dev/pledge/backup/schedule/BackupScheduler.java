package dev.pledge.backup.schedule;

import dev.pledge.core.audit.AuditOutcome;
import dev.pledge.core.audit.AuditRecord;
import dev.pledge.core.audit.AuditTrail;
import dev.pledge.core.internal.Redaction;
import dev.pledge.core.event.EventListener;
import dev.pledge.core.event.EventPublisher;
import dev.pledge.core.notify.Alert;
import dev.pledge.core.notify.AlertSeverity;
import dev.pledge.core.notify.Notifier;
import io.github.resilience4j.core.IntervalFunction;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs backup schedules (P6, P7): each slot at most once across every node sharing the
 * {@link SlotLock}, never two runs of one schedule at once, no burst of catch-up runs after
 * downtime, failures retried with exponential backoff (resilience4j's {@link IntervalFunction}),
 * then alerted through the {@link Notifier} and audited.
 *
 * <p>The scheduler is driven by {@link #tick()}: a host calls {@link #start} to tick on an executor
 * every few seconds, and tests call {@code tick()} after moving a fake clock, so nothing waits for
 * time to pass. Jobs run on the given {@link Executor} (default: the ticking thread).
 *
 * <p>Thread-safe.
 */
public final class BackupScheduler {
  private static final Logger LOG = LoggerFactory.getLogger(BackupScheduler.class);

  private final Clock clock;
  private final SlotLock lock;
  private final String node;
  private final Executor executor;
  private final Notifier notifier;
  private final AuditTrail audit;
  private final int maxAttempts;
  private final IntervalFunction backoff;
  private final List<Entry> entries = new ArrayList<>();
  private final EventPublisher<ScheduleEvent> events = EventPublisher.create();

  private BackupScheduler(Builder b) {
    this.clock = b.clock;
    this.lock = b.lock;
    this.node = b.node;
    this.executor = b.executor;
    this.notifier = b.notifier;
    this.audit = b.audit;
    this.maxAttempts = b.maxAttempts;
    this.backoff = IntervalFunction.ofExponentialBackoff(b.initialBackoff.toMillis(), b.backoffMultiplier);
  }

  /** A builder; {@code node} names this node in the lock and the audit trail. */
  public static Builder builder(String node) {
    return new Builder(node);
  }

  /** Adds a schedule and the job it runs. */
  public synchronized BackupScheduler register(Schedule schedule, BackupJob job) {
    Objects.requireNonNull(schedule, "schedule");
    Objects.requireNonNull(job, "job");
    for (Entry e : entries) {
      if (e.schedule.name().equals(schedule.name())) {
        throw new IllegalArgumentException("schedule '" + schedule.name() + "' is registered twice");
      }
    }
    entries.add(new Entry(schedule, job));
    return this;
  }

  /** Subscribes to what happens to each slot. */
  public AutoCloseable onEvent(EventListener<ScheduleEvent> listener) {
    return events.subscribe(listener);
  }

  /** Ticks on {@code ses} every {@code every}; cancel the returned future to stop. */
  public ScheduledFuture<?> start(ScheduledExecutorService ses, Duration every) {
    long ms = every.toMillis();
    return ses.scheduleWithFixedDelay(() -> {
      try {
        tick();
      } catch (RuntimeException e) {
        LOG.warn("backup scheduler tick failed: {}", e.toString());
      }
    }, 0, ms, TimeUnit.MILLISECONDS);
  }

  /** Looks at every schedule once and starts what is due now. */
  public void tick() {
    List<Entry> snapshot;
    synchronized (this) {
      snapshot = List.copyOf(entries);
    }
    for (Entry e : snapshot) {
      tick(e);
    }
  }

  private void tick(Entry e) {
    Instant now = clock.instant();
    Schedule s = e.schedule;
    Instant latest = s.trigger().latestSlotAtOrBefore(now);
    synchronized (e) {
      if (e.running) {
        if (e.lastSlot != null && latest.isAfter(e.lastSlot) && !latest.equals(e.overlapReported)) {
          e.overlapReported = latest;
          e.lastSlot = latest;
          publish(e, latest, ScheduleEvent.Kind.OVERLAP_SKIPPED, 0, "the run for " + e.runningSlot + " is still going");
        }
        return;
      }
      if (e.retryAt != null) {
        if (now.isBefore(e.retryAt)) {
          return;
        }
        e.retryAt = null;
        e.running = true;
      } else {
        boolean recheck = latest.equals(e.contestedSlot) && !now.isBefore(e.recheckAt);
        if (e.lastSlot != null && !latest.isAfter(e.lastSlot) && !recheck) {
          return;
        }
        boolean late = Duration.between(latest, now).compareTo(s.grace()) > 0 && !recheck;
        e.lastSlot = latest;
        e.contestedSlot = null;
        if (late && s.missedRun() == MissedRun.SKIP) {
          publish(e, latest, ScheduleEvent.Kind.MISSED_SKIPPED, 0, "missed while no node ran; the next slot is "
              + s.trigger().nextSlotAfter(now));
          return;
        }
        var lease = lock.tryAcquire(s.name(), latest, node, now, now.plus(s.maxRunTime()));
        if (lease.isEmpty()) {
          // Another node holds or completed the slot. If its holder dies, its lease ends within
          // maxRunTime: look again then, so the slot is not lost with the node.
          e.contestedSlot = latest;
          e.recheckAt = now.plus(s.maxRunTime());
          if (!recheck) {
            publish(e, latest, ScheduleEvent.Kind.TAKEN_BY_OTHER_NODE, 0, "");
          }
          return;
        }
        e.lease = lease.get();
        e.attempt = 0;
        e.running = true;
      }
      e.runningSlot = e.lease.slot();
    }
    executor.execute(() -> run(e));
  }

  private void run(Entry e) {
    Schedule s = e.schedule;
    SlotLock.Lease lease;
    int attempt;
    synchronized (e) {
      lease = e.lease;
      attempt = ++e.attempt;
    }
    publish(e, lease.slot(), ScheduleEvent.Kind.STARTED, attempt, node);
    try {
      e.job.run(s.scope(), lease.slot());
      lock.complete(lease);
      audit(s, lease, AuditOutcome.SUCCESS, attempt, "");
      publish(e, lease.slot(), ScheduleEvent.Kind.SUCCEEDED, attempt, "");
      synchronized (e) {
        e.running = false;
      }
    } catch (Exception | Error ex) {
      if (ex instanceof VirtualMachineError) {
        throw (VirtualMachineError) ex;
      }
      // a job's message may quote a URL with its password: never audited, published or alerted
      String why = Redaction.message(ex.getClass().getSimpleName() + ": " + ex.getMessage());
      audit(s, lease, AuditOutcome.FAILURE, attempt, why);
      if (attempt < maxAttempts) {
        Instant retryAt = clock.instant().plusMillis(backoff.apply(attempt));
        lock.extend(lease, retryAt.plus(s.maxRunTime()));
        synchronized (e) {
          e.retryAt = retryAt;
          e.running = false;
        }
        publish(e, lease.slot(), ScheduleEvent.Kind.RETRY_SCHEDULED, attempt, why + "; retry at " + retryAt);
      } else {
        lock.complete(lease);
        synchronized (e) {
          e.running = false;
        }
        publish(e, lease.slot(), ScheduleEvent.Kind.GAVE_UP, attempt, why);
        try {
          notifier.send(new Alert(clock.instant(), AlertSeverity.HIGH,
              "backup " + s.name() + " (" + s.scope() + ") failed " + attempt + " times",
              "slot " + lease.slot() + " on node " + node + ": " + why, "ops", "backup-failed:" + s.name()));
        } catch (RuntimeException alertFailure) {
          LOG.warn("could not alert that backup {} failed: {}", s.name(), alertFailure.toString());
        }
      }
    }
  }

  private void audit(Schedule s, SlotLock.Lease lease, AuditOutcome outcome, int attempt, String why) {
    audit.record(new AuditRecord(clock.instant(), "scheduler@" + node, "backup.scheduled-run", s.name(), outcome,
        s.scope(), why.isEmpty() ? Map.of("slot", lease.slot().toString(), "attempt", String.valueOf(attempt))
        : Map.of("slot", lease.slot().toString(), "attempt", String.valueOf(attempt), "error", why)));
  }

  private void publish(Entry e, Instant slot, ScheduleEvent.Kind kind, int attempt, String detail) {
    if (events.hasListeners()) {
      events.publish(new ScheduleEvent(clock.instant(), e.schedule.name(), e.schedule.scope(), slot, kind, attempt, detail));
    }
  }

  private static final class Entry {
    final Schedule schedule;
    final BackupJob job;
    Instant lastSlot;
    Instant overlapReported;
    Instant runningSlot;
    Instant retryAt;
    Instant contestedSlot;
    Instant recheckAt;
    SlotLock.Lease lease;
    int attempt;
    boolean running;

    Entry(Schedule schedule, BackupJob job) {
      this.schedule = schedule;
      this.job = job;
    }
  }

  /** Builds a {@link BackupScheduler}. Not thread-safe. */
  public static final class Builder {
    private final String node;
    private Clock clock = Clock.systemUTC();
    private SlotLock lock = SlotLock.inMemory();
    private Executor executor = Runnable::run;
    private Notifier notifier = alert -> { };
    private AuditTrail audit = AuditTrail.inMemory();
    private int maxAttempts = 3;
    private Duration initialBackoff = Duration.ofMinutes(1);
    private double backoffMultiplier = 2.0;

    private Builder(String node) {
      if (node == null || node.isBlank()) {
        throw new IllegalArgumentException("node must name this node");
      }
      this.node = node;
    }

    /** The clock (default: system UTC). */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** The lock shared by every node (default: in memory, for one node). */
    public Builder lock(SlotLock lock) {
      this.lock = Objects.requireNonNull(lock, "lock");
      return this;
    }

    /** Where jobs run (default: the ticking thread). */
    public Builder executor(Executor executor) {
      this.executor = Objects.requireNonNull(executor, "executor");
      return this;
    }

    /** Who is told when a schedule gives up. */
    public Builder notifier(Notifier notifier) {
      this.notifier = Objects.requireNonNull(notifier, "notifier");
      return this;
    }

    /** Where every run is recorded. */
    public Builder audit(AuditTrail audit) {
      this.audit = Objects.requireNonNull(audit, "audit");
      return this;
    }

    /**
     * Attempts per slot and the backoff between them: {@code initial}, then multiplied each time.
     *
     * @throws IllegalArgumentException for fewer than one attempt, a non-positive backoff or a
     *     multiplier below 1
     */
    public Builder retries(int maxAttempts, Duration initial, double multiplier) {
      if (maxAttempts < 1) {
        throw new IllegalArgumentException("maxAttempts must be at least 1, got " + maxAttempts);
      }
      if (initial == null || initial.isNegative() || initial.isZero()) {
        throw new IllegalArgumentException("initial backoff must be greater than zero, got " + initial);
      }
      if (multiplier < 1.0) {
        throw new IllegalArgumentException("backoff multiplier must be at least 1, got " + multiplier);
      }
      this.maxAttempts = maxAttempts;
      this.initialBackoff = initial;
      this.backoffMultiplier = multiplier;
      return this;
    }

    /** The scheduler. */
    public BackupScheduler build() {
      return new BackupScheduler(this);
    }
  }
}
