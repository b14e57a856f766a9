package dev.pledge.backup.pitr;

import java.time.Instant;
import java.util.Objects;

/**
 * A PostgreSQL timeline switch, as its {@code .history} file records it (P9): after a failover or a
 * point-in-time recovery the server promotes onto a new timeline that branches off its parent at a
 * point of the parent's WAL, and writes {@code 0000000N.history}. WAL the parent wrote past that
 * point belongs to a branch the new timeline abandoned.
 *
 * @param id the backup holding the {@code .history} file, fetched back into the WAL folder on restore
 * @param timeline the new timeline, as a decimal number ({@code "2"})
 * @param parent the timeline it branched off ({@code "1"})
 * @param at when the new timeline began (the history file's modification time, written at promotion):
 *     targets from this instant on are reached on the new timeline, earlier ones on the parent
 * @param position the {@link RecoveryPoint#position() position} of the WAL segment holding the switch
 *     point: the parent's segments before it lead to the new timeline, and the new timeline's own
 *     segments begin there
 */
public record TimelineSwitch(String id, String timeline, String parent, Instant at, long position) {

  /** Validates the switch. */
  public TimelineSwitch {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(at, "at");
    long tl = number(timeline, "timeline");
    long p = number(parent, "parent");
    if (p >= tl) {
      throw new IllegalArgumentException("timeline " + timeline + " cannot branch off timeline " + parent
          + " (a parent is always an older, smaller timeline)");
    }
    if (position < 0) {
      throw new IllegalArgumentException("timeline " + timeline + ": position must not be negative, got " + position);
    }
  }

  /** The timeline as a number. */
  long number() {
    return Long.parseLong(timeline);
  }

  static long number(String timeline, String field) {
    try {
      long n = Long.parseLong(Objects.requireNonNull(timeline, field));
      if (n >= 1) {
        return n;
      }
    } catch (NumberFormatException ignored) {
      // reported below
    }
    throw new IllegalArgumentException(field + " must be a timeline number from 1, got '" + timeline + "'");
  }
}
