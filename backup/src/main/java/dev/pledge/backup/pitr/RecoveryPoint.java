package dev.pledge.backup.pitr;

import java.time.Instant;
import java.util.Objects;

/**
 * One object a point-in-time restore may need: a full backup, or a log segment (a PostgreSQL WAL
 * segment, a MariaDB binary log) covering a span of time.
 *
 * @param id the backup's id in its store
 * @param kind full or log
 * @param start for a full backup, when it began (its consistent point is {@code end}); for a log,
 *     the first instant it covers
 * @param end for a full backup, when it finished; for a log, the last instant it covers
 * @param timeline the database's timeline or binlog stream (logs only chain within one)
 */
public record RecoveryPoint(String id, Kind kind, Instant start, Instant end, String timeline) {

  /** Validates the point. */
  public RecoveryPoint {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(start, "start");
    Objects.requireNonNull(end, "end");
    if (end.isBefore(start)) {
      throw new IllegalArgumentException(id + ": end " + end + " is before start " + start);
    }
    timeline = timeline == null ? "1" : timeline;
  }

  /** A full backup. */
  public static RecoveryPoint full(String id, Instant start, Instant end) {
    return new RecoveryPoint(id, Kind.FULL, start, end, null);
  }

  /** A log segment covering {@code [start, end]}. */
  public static RecoveryPoint log(String id, Instant start, Instant end) {
    return new RecoveryPoint(id, Kind.LOG, start, end, null);
  }

  /** What an object is. */
  public enum Kind {
    /** A full backup (pg_basebackup, pg_dump, a consistent mariadb-dump). */
    FULL,
    /** A log segment replayed on top of a full backup. */
    LOG
  }
}
