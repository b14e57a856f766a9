package dev.pledge.spring.actuate;

import dev.pledge.backup.BackupEngine;
import dev.pledge.backup.BackupEvent;
import dev.pledge.backup.schedule.BackupFreshness;
import dev.pledge.backup.schedule.BackupScheduler;
import dev.pledge.backup.schedule.ScheduleEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToDoubleFunction;

/**
 * Micrometer meters for backups (P6, P7):
 *
 * <ul>
 *   <li>{@code pledge.backup.runs} (counter; tags {@code schedule}, {@code outcome} = {@code success} or
 *       {@code failure}): attempts the application's {@link BackupScheduler}s finished, from their events;</li>
 *   <li>{@code pledge.backup.duration} (timer; same tags): how long each attempt took, from its start event
 *       to its end event by the scheduler's clock;</li>
 *   <li>{@code pledge.backup.failures} (counter; tag {@code schedule}): slots given up after every attempt
 *       failed, each of which was alerted;</li>
 *   <li>{@code pledge.backup.bytes} (distribution summary, bytes; tags {@code schedule}, {@code site},
 *       {@code environment}): the stored (compressed, encrypted) size of each backup the application's
 *       {@link BackupEngine}s wrote, from their {@link BackupEvent}s; {@code schedule} is the schedule the
 *       backup ran for, {@code none} for a backup run by hand;</li>
 *   <li>{@code pledge.backup.plaintext.bytes} (distribution summary, bytes; same tags): the source's size
 *       of each of those backups, before compression;</li>
 *   <li>{@code pledge.backup.operations} (timer; tags {@code operation} = {@code backup}, {@code verify}
 *       or {@code restore}, {@code outcome} = {@code success}, {@code failure} or {@code refused},
 *       {@code schedule}, {@code site}, {@code environment}): every call of those engines and how long it
 *       took by the engine's clock;</li>
 *   <li>{@code pledge.backup.newest.bytes} (gauge; tag {@code schedule}): the stored size of the
 *       schedule's newest backup, read from the stores;</li>
 *   <li>{@code pledge.backup.age} (gauge, seconds; tag {@code schedule}): how old that backup is; NaN when
 *       there is none or the stores cannot be read.</li>
 * </ul>
 *
 * <p>The gauges read {@link BackupFreshness#latest(Duration)}, so a scrape lists the stores at most once
 * per {@code checkInterval}; each schedule counts the backups made for it ({@link
 * dev.pledge.backup.BackupManifest#schedule()}) and those made for none. Thread-safe; bind once per
 * registry.
 */
public final class PledgeBackupMeters implements MeterBinder {
  private final BackupFreshness freshness;
  private final Duration checkInterval;
  private final Map<String, BackupScheduler> schedulers;
  private final Map<String, BackupEngine> engines;

  /**
   * Meters for {@code schedulers} (by bean name; may be empty) and, when not {@code null}, the stores
   * {@code freshness} reads; no engine's events.
   */
  public PledgeBackupMeters(Map<String, BackupScheduler> schedulers, BackupFreshness freshness, Duration checkInterval) {
    this(schedulers, Map.of(), freshness, checkInterval);
  }

  /**
   * Meters for {@code schedulers} and {@code engines} (by bean name; either may be empty) and, when not
   * {@code null}, the stores {@code freshness} reads.
   */
  public PledgeBackupMeters(Map<String, BackupScheduler> schedulers, Map<String, BackupEngine> engines,
      BackupFreshness freshness, Duration checkInterval) {
    this.schedulers = Map.copyOf(schedulers);
    this.engines = Map.copyOf(engines);
    this.freshness = freshness;
    this.checkInterval = Objects.requireNonNull(checkInterval, "checkInterval");
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    Objects.requireNonNull(registry, "registry");
    for (BackupScheduler scheduler : schedulers.values()) {
      Map<String, Instant> started = new ConcurrentHashMap<>();
      scheduler.onEvent(e -> record(registry, started, e));
    }
    for (BackupEngine engine : engines.values()) {
      engine.onEvent(e -> record(registry, e));
    }
    if (freshness != null) {
      for (var schedule : freshness.schedules()) {
        String name = schedule.name();
        gauge(registry, "pledge.backup.newest.bytes", name, s -> s.newest().isEmpty() ? Double.NaN : s.storedBytes(),
            "stored bytes of the schedule's newest backup");
        gauge(registry, "pledge.backup.age", name, s -> s.age() == null ? Double.NaN : s.age().toMillis() / 1000.0,
            "seconds since the schedule's newest backup finished");
      }
    }
  }

  private void gauge(MeterRegistry registry, String meter, String schedule, ToDoubleFunction<BackupFreshness.Status> f,
      String description) {
    Gauge.builder(meter, freshness, x -> read(x, schedule, f)).tag("schedule", schedule)
        .baseUnit(meter.endsWith("bytes") ? "bytes" : "seconds").description(description).register(registry);
  }

  private double read(BackupFreshness x, String schedule, ToDoubleFunction<BackupFreshness.Status> f) {
    try {
      List<BackupFreshness.Status> all = x.latest(checkInterval);
      for (BackupFreshness.Status s : all) {
        if (s.schedule().equals(schedule)) {
          return f.applyAsDouble(s);
        }
      }
    } catch (RuntimeException unreadable) {
      // the health indicator reports why; a gauge has no room for it
    }
    return Double.NaN;
  }

  private static void record(MeterRegistry registry, BackupEvent e) {
    String schedule = e.scheduleName().orElse("none");
    String site = e.scope().site().value();
    String environment = e.scope().environment().name();
    String operation;
    String outcome;
    switch (e.kind()) {
      case BACKED_UP -> { operation = "backup"; outcome = "success"; }
      case BACKUP_FAILED -> { operation = "backup"; outcome = "failure"; }
      case BACKUP_REFUSED -> { operation = "backup"; outcome = "refused"; }
      case VERIFIED -> { operation = "verify"; outcome = "success"; }
      case VERIFY_FAILED -> { operation = "verify"; outcome = "failure"; }
      case RESTORED -> { operation = "restore"; outcome = "success"; }
      case RESTORE_FAILED -> { operation = "restore"; outcome = "failure"; }
      default -> { operation = "restore"; outcome = "refused"; }
    }
    Timer.builder("pledge.backup.operations").tag("operation", operation).tag("outcome", outcome)
        .tag("schedule", schedule).tag("site", site).tag("environment", environment)
        .description("backups, verifications and restores the application's backup engines made")
        .register(registry).record(e.duration());
    if (e.kind() == BackupEvent.Kind.BACKED_UP) {
      DistributionSummary.builder("pledge.backup.bytes").baseUnit("bytes").tag("schedule", schedule).tag("site", site)
          .tag("environment", environment).description("stored (compressed, encrypted) bytes of each backup written")
          .register(registry).record(e.storedBytes());
      DistributionSummary.builder("pledge.backup.plaintext.bytes").baseUnit("bytes").tag("schedule", schedule)
          .tag("site", site).tag("environment", environment).description("source bytes of each backup written")
          .register(registry).record(e.plaintextBytes());
    }
  }

  private static void record(MeterRegistry registry, Map<String, Instant> started, ScheduleEvent e) {
    String key = e.schedule() + '\n' + e.slot() + '\n' + e.attempt();
    switch (e.kind()) {
      case STARTED -> started.put(key, e.occurredAt());
      case SUCCEEDED -> finished(registry, started.remove(key), e, "success");
      case RETRY_SCHEDULED -> finished(registry, started.remove(key), e, "failure");
      case GAVE_UP -> {
        finished(registry, started.remove(key), e, "failure");
        Counter.builder("pledge.backup.failures").tag("schedule", e.schedule())
            .description("backup slots given up after every attempt failed").register(registry).increment();
      }
      default -> { }
    }
  }

  private static void finished(MeterRegistry registry, Instant start, ScheduleEvent e, String outcome) {
    Counter.builder("pledge.backup.runs").tag("schedule", e.schedule()).tag("outcome", outcome)
        .description("backup attempts finished by the scheduler").register(registry).increment();
    if (start != null) {
      Timer.builder("pledge.backup.duration").tag("schedule", e.schedule()).tag("outcome", outcome)
          .description("how long a backup attempt took").register(registry)
          .record(Duration.between(start, e.occurredAt()));
    }
  }
}
