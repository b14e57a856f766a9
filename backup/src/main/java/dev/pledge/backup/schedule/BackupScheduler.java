package dev.pledge.backup.schedule;

import dev.pledge.core.audit.AuditOutcome;
import dev.pledge.core.audit.AuditRecord;
import dev.pledge.core.audit.AuditTrail;
import dev.pledge.core.internal.Redaction;
import dev.pledge.core.lock.JdbcSlotLock;
import dev.pledge.core.lock.SlotLock;
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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
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
 * <p>Safe by default: the builder has no default {@linkplain Builder#lock lock} and no default
 * {@linkplain Builder#audit audit trail}, so building without them is an error that names the
 * choices ({@link JdbcSlotLock} for several nodes, {@link SlotLock#inMemory()} for one JVM only).
 * A slot that passed before a schedule was ever run is not run at first start unless the schedule's
 * {@link MissedRun} is {@link MissedRun#RUN_ONCE_AT_FIRST_START}.
 *
 * <p>The scheduler is driven by {@link #tick()}: a host calls {@link #start} to tick on an executor
 * every few seconds, and tests call {@code tick()} after moving a fake clock, so nothing waits for
 * time to pass. Ticking only decides and takes slots; jobs run on the {@linkplain Builder#executor
 * job executor}, by default a pool of daemon threads the scheduler owns (at most one thread per
 * schedule, since one schedule never runs twice at once), so a slow job delays neither the next tick
 * nor the other schedules. {@link #close()} stops the scheduler and that pool.
 *
 * <p>Thread-safe.
 */
public final class BackupScheduler implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(BackupScheduler.class);

  private final Clock clock;
  private final SlotLock lock;
  private final String node;
  private final Executor executor;
  private final ExecutorService ownedExecutor;
  private volatile boolean closed;
  private final Notifier notifier;
  private final AuditTrail audit;
  private final int maxAttempts;
  private final IntervalFunction backoff;
  private final List<Entry> entries = new ArrayList<>();
  private final EventPublisher<ScheduleEvent> events = EventPublisher.create();

  private final Builder settings;

  private BackupScheduler(Builder b) {
    this.settings = new Builder(b);
    this.clock = b.clock;
    this.lock = b.lock;
    this.node = b.node;
    if (b.executor == null) {
      this.ownedExecutor = Executors.newCachedThreadPool(new JobThreads(node));
      this.executor = ownedExecutor;
    } else {
      this.ownedExecutor = null;
      this.executor = b.executor;
    }
    this.notifier = b.notifier;
    this.audit = b.audit;
    this.maxAttempts = b.maxAttempts;
    this.backoff = IntervalFunction.ofExponentialBackoff(b.initialBackoff.toMillis(), b.backoffMultiplier);
  }

  /**
   * A builder; {@code node} names this node in the lock and the audit trail. Set at least the
   * {@linkplain Builder#lock lock} and the {@linkplain Builder#audit audit trail}.
   */
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

  /**
   * Looks at every schedule once and hands what is due now to the job executor; returns without
   * waiting for any job. Does nothing once the scheduler is closed.
   */
  public void tick() {
    if (closed) {
      return;
    }
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
        if (late && e.lastSlot == null && s.missedRun() != MissedRun.RUN_ONCE_AT_FIRST_START
            && lock.lastSlot(s.name()).isEmpty()) {
          // No node has ever run this schedule: the slot passed before it existed, it was not missed.
          e.lastSlot = latest;
          publish(e, latest, ScheduleEvent.Kind.FIRST_START_SKIPPED, 0, "first start after the slot; the next slot is "
              + s.trigger().nextSlotAfter(now));
          return;
        }
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
    try {
      executor.execute(() -> run(e));
    } catch (RejectedExecutionException rejected) {
      SlotLock.Lease lease;
      int attempt;
      synchronized (e) {
        lease = e.lease;
        attempt = ++e.attempt;
      }
      failed(e, lease, attempt, "the job executor refused the run (" + rejected.getMessage() + ")");
    }
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
    String why = null;
    try {
      e.job.run(s, lease.slot());
    } catch (Exception | Error ex) {
      if (ex instanceof VirtualMachineError) {
        throw (VirtualMachineError) ex;
      }
      // a job's message may quote a URL with its password: never audited, published or alerted
      why = Redaction.message(ex.getClass().getSimpleName() + ": " + ex.getMessage());
    }
    if (why != null) {
      failed(e, lease, attempt, why);
      return;
    }
    try {
      lock.complete(lease);
      audit(s, lease, AuditOutcome.SUCCESS, attempt, "");
    } finally {
      synchronized (e) {
        e.running = false;
      }
    }
    publish(e, lease.slot(), ScheduleEvent.Kind.SUCCEEDED, attempt, "");
  }

  private void failed(Entry e, SlotLock.Lease lease, int attempt, String why) {
    Schedule s = e.schedule;
    try {
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
    } finally {
      synchronized (e) {
        e.running = false;
      }
    }
  }

  /**
   * Stops ticking and, when the scheduler owns its job pool, shuts the pool down: runs in progress
   * finish (or, if the JVM exits first, their slots are released when their leases end); nothing new
   * starts. An executor given to the builder is the caller's to shut down. Idempotent.
   */
  @Override
  public void close() {
    closed = true;
    if (ownedExecutor != null) {
      ownedExecutor.shutdown();
    }
  }

  private void audit(Schedule s, SlotLock.Lease lease, AuditOutcome outcome, int attempt, String why) {
    // A trail that cannot persist throws; the run's outcome stands, and the failure is logged loudly
    // rather than lost on a job thread.
    try {
      recordAudit(s, lease, outcome, attempt, why);
    } catch (RuntimeException auditFailure) {
      LOG.error("could not audit the {} run of backup {} for slot {}: {}", outcome, s.name(), lease.slot(),
          auditFailure.toString());
    }
  }

  private void recordAudit(Schedule s, SlotLock.Lease lease, AuditOutcome outcome, int attempt, String why) {
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

  /** Names the threads of the scheduler's own job pool. */
  private static final class JobThreads implements ThreadFactory {
    private final String node;
    private final AtomicInteger count = new AtomicInteger();

    JobThreads(String node) {
      this.node = node;
    }

    @Override
    public Thread newThread(Runnable r) {
      Thread t = new Thread(r, "pledge-backup-job-" + node + "-" + count.incrementAndGet());
      t.setDaemon(true);
      return t;
    }
  }

  /**
   * A builder holding every setting of this scheduler (node, clock, lock, executor, notifier, audit
   * trail, retries), to change one; registered jobs are not carried over.
   */
  public Builder toBuilder() {
    return new Builder(settings);
  }

  /**
   * Builds a {@link BackupScheduler}. {@link #lock} and {@link #audit} have no default and must be
   * set. Not thread-safe.
   */
  public static final class Builder {
    private final String node;
    private Clock clock = Clock.systemUTC();
    private SlotLock lock;
    private Executor executor;
    private Notifier notifier = alert -> { };
    private AuditTrail audit;
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

    /**
     * The lock shared by every node; required. {@link JdbcSlotLock#create(javax.sql.DataSource)} for
     * several nodes on a shared PostgreSQL or MariaDB, {@link SlotLock#inMemory()} for one JVM only.
     */
    public Builder lock(SlotLock lock) {
      this.lock = Objects.requireNonNull(lock, "lock");
      return this;
    }

    /**
     * Where jobs run. Default: a pool of daemon threads the scheduler owns and {@link
     * BackupScheduler#close()} shuts down. {@code Runnable::run} runs jobs on the ticking thread,
     * which a slow job then holds up; only for tools and tests that want it so.
     */
    public Builder executor(Executor executor) {
      this.executor = Objects.requireNonNull(executor, "executor");
      return this;
    }

    /** Who is told when a schedule gives up (default: no one). */
    public Builder notifier(Notifier notifier) {
      this.notifier = Objects.requireNonNull(notifier, "notifier");
      return this;
    }

    /**
     * Where every run is recorded; required. Normally the policy's trail ({@code
     * AuditTrail.from(document.require(AuditPolicy.class))}); {@code AuditTrail.inMemory()} or {@code
     * AuditTrail.discarding()} only when that is what the caller means.
     */
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

    /**
     * The scheduler.
     *
     * @throws IllegalStateException when the lock or the audit trail was not set
     */
    public BackupScheduler build() {
      if (lock == null) {
        throw new IllegalStateException("backup scheduler '" + node + "' has no lock: set lock(JdbcSlotLock.create("
            + "dataSource)) for nodes sharing PostgreSQL or MariaDB, or lock(SlotLock.inMemory()) for one JVM only");
      }
      if (audit == null) {
        throw new IllegalStateException("backup scheduler '" + node + "' has no audit trail: set audit(...) to the "
            + "policy's trail (AuditTrail.from(policy's audit section)), or name AuditTrail.inMemory() or "
            + "AuditTrail.discarding() explicitly");
      }
      return new BackupScheduler(this);
    }

    /** A copy of {@code other}'s settings, for {@code toBuilder()}. */
    private Builder(Builder other) {
      this.node = other.node;
      this.clock = other.clock;
      this.lock = other.lock;
      this.executor = other.executor;
      this.notifier = other.notifier;
      this.audit = other.audit;
      this.maxAttempts = other.maxAttempts;
      this.initialBackoff = other.initialBackoff;
      this.backoffMultiplier = other.backoffMultiplier;
    }
  }
}
