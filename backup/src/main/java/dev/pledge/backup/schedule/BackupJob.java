package dev.pledge.backup.schedule;

import dev.pledge.core.Scope;
import java.time.Instant;

/**
 * The work a schedule runs for one slot: usually a backup of the scope through the backup engine.
 * Throwing marks the attempt failed; the scheduler retries with backoff, then alerts.
 */
@FunctionalInterface
public interface BackupJob {

  /** Runs the backup of {@code scope} for {@code slot}. */
  void run(Scope scope, Instant slot) throws Exception;
}
