package dev.pledge.backup.retention.internal;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;

/**
 * Wall-clock seconds of instants in one zone, with the offset cached between transitions so a
 * run over time-ordered backups looks the zone rules up only when the offset changes. Not
 * thread-safe: one per plan.
 */
public final class LocalTimes {
  private final ZoneRules rules;
  private final boolean fixed;
  private long validFrom = Long.MAX_VALUE;
  private long validTo = Long.MIN_VALUE;
  private int offset;
  private long cachedDay = Long.MIN_VALUE;
  private int cachedYear;
  private int cachedMonth;

  /** Wall-clock times in {@code zone}. */
  public LocalTimes(ZoneId zone) {
    this.rules = zone.getRules();
    this.fixed = rules.isFixedOffset();
    if (fixed) {
      offset = rules.getOffset(Instant.EPOCH).getTotalSeconds();
    }
  }

  /** The local wall-clock second (seconds since 1970-01-01T00:00 local) of {@code epochSecond}. */
  public long localSecond(long epochSecond) {
    if (!fixed && (epochSecond < validFrom || epochSecond >= validTo)) {
      Instant at = Instant.ofEpochSecond(epochSecond);
      ZoneOffset o = rules.getOffset(at);
      offset = o.getTotalSeconds();
      ZoneOffsetTransition prev = rules.previousTransition(at.plusSeconds(1));
      ZoneOffsetTransition next = rules.nextTransition(at);
      validFrom = prev == null ? Long.MIN_VALUE : prev.toEpochSecond();
      validTo = next == null ? Long.MAX_VALUE : next.toEpochSecond();
    }
    return epochSecond + offset;
  }

  /** The ISO week number key (distinct per ISO year-week) of a local epoch day. */
  public static long isoWeekKey(long epochDay) {
    // 1970-01-01 was a Thursday; ISO weeks start on Monday, three days earlier.
    return Math.floorDiv(epochDay + 3, 7);
  }

  /** {@code year * 12 + month - 1} of a local epoch day. */
  public long monthKey(long epochDay) {
    fill(epochDay);
    return cachedYear * 12L + cachedMonth - 1;
  }

  /** The year of a local epoch day. */
  public long yearKey(long epochDay) {
    fill(epochDay);
    return cachedYear;
  }

  private void fill(long epochDay) {
    if (epochDay != cachedDay) {
      LocalDate d = LocalDate.ofEpochDay(epochDay);
      cachedDay = epochDay;
      cachedYear = d.getYear();
      cachedMonth = d.getMonthValue();
    }
  }
}
