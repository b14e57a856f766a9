package dev.pledge.backup.schedule;

import dev.pledge.backup.BackupEngine;
import dev.pledge.backup.source.BackupSource;
import dev.pledge.core.Scope;
import java.time.Instant;
import java.util.Objects;

/**
 * The work a schedule runs for one slot: usually a backup of the scope through the backup engine.
 * Throwing marks the attempt failed; the scheduler retries with backoff, then alerts.
 *
 * <p>The scheduler calls {@link #run(Schedule, Instant)}, which runs {@link #run(Scope, Instant)}
 * unless a job overrides it to use the schedule itself: {@link #of(BackupEngine)} and {@link
 * dev.pledge.backup.pitr.PitrArchive#shipJob} record the schedule's name in each manifest they write,
 * so freshness is judged per schedule (P6, P7). A lambda that backs up through the engine can do the
 * same by being made per schedule ({@link PolicySchedules#registerEach}) and passing {@link
 * Schedule#name()} to {@link BackupEngine#backup(BackupSource, Scope, java.util.List, String,
 * dev.pledge.backup.LogSegment, String)}.
 */
@FunctionalInterface
public interface BackupJob {

  /** Runs the backup of {@code scope} for {@code slot}. */
  void run(Scope scope, Instant slot) throws Exception;

  /**
   * Runs the backup {@code schedule} asks for, for {@code slot}; what the scheduler calls. By default
   * {@link #run(Scope, Instant)} with the schedule's scope.
   *
   * @param schedule the schedule whose slot this is
   * @param slot the slot
   * @throws Exception marking the attempt failed
   */
  default void run(Schedule schedule, Instant slot) throws Exception {
    run(schedule.scope(), slot);
  }

  /**
   * The job that backs up, with {@code engine}, the source {@link BackupEngine#sources()} holds for
   * the schedule's scope into the engine's {@link BackupEngine#locations()}, recording the schedule's
   * name in the manifest: the job of an engine bound to the policy ({@link
   * BackupEngine#from(dev.pledge.backup.BackupPolicy)}) for each of its schedules.
   *
   * <pre>{@code
   * BackupEngine engine = BackupEngine.from(backups);
   * PolicySchedules.register(scheduler, backups, scope -> BackupJob.of(engine));
   * }</pre>
   *
   * @param engine the engine, with sources and locations
   * @return the job; it fails an attempt when the engine has no source for the scope or no locations
   */
  static BackupJob of(BackupEngine engine) {
    Objects.requireNonNull(engine, "engine");
    return new BackupJob() {
      @Override
      public void run(Scope scope, Instant slot) {
        engine.backup(scope);
      }

      @Override
      public void run(Schedule schedule, Instant slot) {
        BackupSource source = engine.sources().get(schedule.scope());
        if (source == null || engine.locations().isEmpty()) {
          engine.backup(schedule.scope()); // throws, saying whether the source or the locations are missing
          return;
        }
        engine.backup(source, schedule.scope(), engine.locations(), null, null, schedule.name());
      }
    };
  }
}
