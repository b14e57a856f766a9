package dev.pledge.backup;

import java.time.Instant;
import java.util.regex.Pattern;

/**
 * What a log backup holds, recorded in its {@link BackupManifest#segment()} (P9): one PostgreSQL WAL
 * segment or one MariaDB/MySQL binary log, the timeline it belongs to, and the span of time it
 * covers. The point-in-time planner reads these fields instead of parsing the manifest's free-text
 * description (which manifests written before this field existed still fall back to). Immutable.
 *
 * @param file the segment's file name, as the database names it ({@code 000000010000000000000003},
 *     {@code binlog.000002}): letters, digits, {@code .}, {@code _} and {@code -}, never a path
 * @param timeline the timeline the segment belongs to, from 1 (a binary log is always on timeline 1)
 * @param start the first instant the segment covers
 * @param end the last instant the segment covers, not before {@code start}
 */
public record LogSegment(String file, long timeline, Instant start, Instant end) {
  private static final Pattern FILE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,254}");

  /**
   * Validates the segment.
   *
   * @throws IllegalArgumentException naming the field and the value when a field is missing or bad
   */
  public LogSegment {
    if (file == null || !FILE.matcher(file).matches() || file.contains("..")) {
      throw new IllegalArgumentException("segment.file must be a file name of letters, digits, '.', '_' or '-' "
          + "(no path), got " + (file == null ? "none" : "'" + file + "'"));
    }
    if (timeline < 1) {
      throw new IllegalArgumentException("segment.timeline must be at least 1, got " + timeline + " (segment " + file + ")");
    }
    if (start == null || end == null) {
      throw new IllegalArgumentException("segment " + file + " needs both start and end, got start " + start + ", end " + end);
    }
    if (end.isBefore(start)) {
      throw new IllegalArgumentException("segment " + file + ": end " + end + " is before start " + start);
    }
  }
}
