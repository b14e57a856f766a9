package dev.pledge.spring.actuate;

import dev.pledge.backup.schedule.BackupFreshness;
import dev.pledge.backup.schedule.BackupScheduler;
import dev.pledge.backup.schedule.ScheduleEvent;
import io.micrometer.core.instrument.Counter;
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
 *   <li>{@code pledge.backup.bytes} (gauge; tag {@code schedule}): the stored size of the newest backup of
 *       the schedule's site environment, read from the stores;</li>
 *   <li>{@code pledge.backup.age} (gauge, seconds; tag {@code schedule}): how old that backup is; NaN when
 *       there is none or the stores cannot be read.</li>
 * </ul>
 *
 * <p>The gauges read {@link BackupFreshness#latest(Duration)}, so a scrape lists the stores at most once
 * per {@code checkInterval}. Thread-safe; bind once per registry.
 */
public final class PledgeBackupMeters implements MeterBinder {
  private final BackupFreshness freshness;
  private final Duration checkInterval;
  private final Map<String, BackupScheduler> schedulers;

  /**
   * Meters for {@code schedulers} (by bean name; may be empty) and, when not {@code null}, the stores
   * {@code freshness} reads.
   */
  public PledgeBackupMeters(Map<String, BackupScheduler> schedulers, BackupFreshness freshness, Duration checkInterval) {
    this.schedulers = Map.copyOf(schedulers);
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
    if (freshness != null) {
      for (var schedule : freshness.schedules()) {
        String name = schedule.name();
        gauge(registry, "pledge.backup.bytes", name, s -> s.newest().isEmpty() ? Double.NaN : s.storedBytes(),
            "stored bytes of the newest backup of the schedule's site environment");
        gauge(registry, "pledge.backup.age", name, s -> s.age() == null ? Double.NaN : s.age().toMillis() / 1000.0,
            "seconds since the newest backup of the schedule's site environment finished");
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
