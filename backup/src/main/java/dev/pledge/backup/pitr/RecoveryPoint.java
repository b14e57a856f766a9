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
 * @param timeline the database's timeline or binlog stream (logs only chain within one, or along
 *     the {@link TimelineSwitch}es that lead to the target)
 * @param position a log segment's place in its log, as its file name counts it (a WAL segment's
 *     log and segment numbers, {@code 0x0000000100000002} for {@code 000000010000000100000002}; a
 *     binary log's number), or {@code -1} when unknown or for a full backup; a timeline switch keeps
 *     the parent timeline's segments before the switch's position
 */
public record RecoveryPoint(String id, Kind kind, Instant start, Instant end, String timeline, long position) {

  /** Validates the point. */
  public RecoveryPoint {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(start, "start");
    Objects.requireNonNull(end, "end");
    if (end.isBefore(start)) {
      throw new IllegalArgumentException(id + ": end " + end + " is before start " + start);
    }
    if (position < -1) {
      throw new IllegalArgumentException(id + ": position must be -1 (unknown) or at least 0, got " + position);
    }
    timeline = timeline == null ? "1" : timeline;
  }

  /** A point whose position in its log is unknown ({@code -1}). */
  public RecoveryPoint(String id, Kind kind, Instant start, Instant end, String timeline) {
    this(id, kind, start, end, timeline, -1);
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
