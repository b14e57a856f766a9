package dev.pledge.backup.retention;

import java.util.Locale;

/**
 * How the keep rules are read (P11). All three bucket backup times by wall-clock time in the
 * planner's zone.
 *
 * <ul>
 *   <li>{@link #PLEDGE}: each rule on its own: keep-last keeps the N newest; each period rule keeps
 *       the newest backup of each of the N most recent periods that hold a backup, and a backup kept
 *       by one rule still counts for the others (as restic); keep-within is measured from the clock's
 *       now (a calendar promise such as "kept for 7 days"); the newest backup is always kept, so a
 *       stalled backup job never empties the store.
 *   <li>{@link #RESTIC}: exactly as {@code restic forget} (0.14): counts overlap, keep-within is
 *       measured from the newest backup that is not in the future (restic ignores snapshots dated
 *       after now for this), not from now.
 *   <li>{@link #BORG}: exactly as {@code borg prune} (1.2): keep-within (from now) first, then
 *       last (borg's "secondly"), hourly, daily, weekly, monthly, yearly in that order; a backup kept
 *       by an earlier rule is not counted by a later one, and a rule that cannot reach its count keeps
 *       the oldest backup ({@code [oldest]}).
 * </ul>
 */
public enum Semantics {
  /** Pledge's own reading (see the type's documentation). */
  PLEDGE,
  /** As {@code restic forget}. */
  RESTIC,
  /** As {@code borg prune}. */
  BORG;

  /**
   * Parses {@code pledge}, {@code restic} or {@code borg} (any case).
   *
   * @throws IllegalArgumentException naming the value otherwise
   */
  public static Semantics parse(String text) {
    if (text != null) {
      for (Semantics s : values()) {
        if (s.name().equalsIgnoreCase(text.trim())) {
          return s;
        }
      }
    }
    throw new IllegalArgumentException("semantics must be one of pledge, restic, borg; got '" + text + "'");
  }

  /** The lower-case name used in the policy document and on the command line. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
