package dev.pledge.backup;

import dev.pledge.core.Scope;
import dev.pledge.core.event.PledgeEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What one call of a {@link BackupEngine} did: a backup written, failed or refused, a backup verified
 * or found damaged, a restore done, failed or refused (P6, P8, P10, P27). Published to the listeners of
 * {@link BackupEngine#onEvent} after the audit trail has the same fact, on the calling thread. Carries
 * no secret: no key, no source credentials (the source is named as its {@link
 * dev.pledge.backup.source.BackupSource#description()} is). Immutable.
 *
 * @param occurredAt when the call ended, by the engine's clock
 * @param kind what happened
 * @param backupId the backup's id (for a failed or refused backup, the id it would have had)
 * @param scope the site and environment of the backup
 * @param schedule the name of the schedule the backup ran for ({@link BackupManifest#schedule()}),
 *     {@code null} when it was not run for a schedule or, for a verify or restore, the manifest names
 *     none
 * @param plaintextBytes the source's bytes before compression: written by the backup, or read back by
 *     the verify or restore (the manifest's figure); 0 when the call failed before it knew
 * @param storedBytes the stored (compressed, encrypted) object's bytes, as {@code plaintextBytes}
 * @param duration how long the call took, by the engine's clock
 * @param locations the stores concerned: every location written by a backup, the one read by a
 *     verify or restore
 * @param detail why a call failed or was refused (never a secret); empty when it succeeded
 */
public record BackupEvent(Instant occurredAt, Kind kind, String backupId, Scope scope, String schedule,
    long plaintextBytes, long storedBytes, Duration duration, List<String> locations, String detail)
    implements PledgeEvent {

  /** Validates the event. */
  public BackupEvent {
    Objects.requireNonNull(occurredAt, "occurredAt");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(backupId, "backupId");
    Objects.requireNonNull(scope, "scope");
    Objects.requireNonNull(duration, "duration");
    locations = List.copyOf(locations);
    detail = detail == null ? "" : detail;
  }

  /** The schedule's name, when the backup ran for one. */
  public Optional<String> scheduleName() {
    return Optional.ofNullable(schedule);
  }

  /** Whether the call did what was asked: {@link Kind#BACKED_UP}, {@link Kind#VERIFIED} or {@link Kind#RESTORED}. */
  public boolean succeeded() {
    return kind == Kind.BACKED_UP || kind == Kind.VERIFIED || kind == Kind.RESTORED;
  }

  /** What happened. */
  public enum Kind {
    /** A backup was written to every location and its manifest stored (P6, P10). */
    BACKED_UP,
    /** A backup failed (source, key wrapper or store); nothing of it is listed. */
    BACKUP_FAILED,
    /** A backup was refused before any byte was sent: region (P1), too few locations or weak posture (P10). */
    BACKUP_REFUSED,
    /** A backup's manifest authenticated and its data decrypted and matched the manifest (P8). */
    VERIFIED,
    /** A backup failed verification: an altered manifest, a wrong key, damaged or missing data (P8). */
    VERIFY_FAILED,
    /** A backup was restored into a target. */
    RESTORED,
    /** A restore failed; nothing was published into a staging target. */
    RESTORE_FAILED,
    /** A production backup was refused for another environment without masking (P27). */
    RESTORE_REFUSED
  }
}
