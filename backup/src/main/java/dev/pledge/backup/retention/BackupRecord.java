package dev.pledge.backup.retention;

import java.time.Instant;
import java.util.Objects;

/**
 * One backup as the retention planner sees it: an immutable value, safe to share between threads.
 *
 * @param id the backup's unique id (not blank)
 * @param time when the backup was taken
 * @param kind full, incremental or log
 * @param parent the id of the backup this one needs to be restored (incremental and log), or null
 * @param sizeBytes the stored size in bytes, or -1 when unknown
 * @param coldSince when the backup moved to cold storage, or null while it is in hot storage
 */
public record BackupRecord(String id, Instant time, BackupKind kind, String parent, long sizeBytes,
    Instant coldSince) {

  /** Validates the record; messages name the field and the value. */
  public BackupRecord {
    if (id == null || id.isBlank()) {
      throw new IllegalArgumentException("id must not be blank, got '" + id + "'");
    }
    Objects.requireNonNull(time, "time");
    kind = kind == null ? BackupKind.FULL : kind;
    if (parent != null && parent.isBlank()) {
      throw new IllegalArgumentException("parent must not be blank when given (backup '" + id + "')");
    }
    if (parent != null && parent.equals(id)) {
      throw new IllegalArgumentException("parent of backup '" + id + "' must not be itself");
    }
    if (sizeBytes < -1) {
      throw new IllegalArgumentException("sizeBytes must be -1 (unknown) or at least 0, got " + sizeBytes);
    }
  }

  /** A full backup of unknown size, in hot storage. */
  public static BackupRecord of(String id, Instant time) {
    return new BackupRecord(id, time, BackupKind.FULL, null, -1, null);
  }

  /** A backup of {@code kind} that needs {@code parent} (may be null), of unknown size. */
  public static BackupRecord of(String id, Instant time, BackupKind kind, String parent) {
    return new BackupRecord(id, time, kind, parent, -1, null);
  }

  /** A copy with the stored size in bytes. */
  public BackupRecord withSize(long bytes) {
    return new BackupRecord(id, time, kind, parent, bytes, coldSince);
  }

  /** A copy that has been in cold storage since {@code since}. */
  public BackupRecord withColdSince(Instant since) {
    return new BackupRecord(id, time, kind, parent, sizeBytes, since);
  }
}
