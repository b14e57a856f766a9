package dev.pledge.sla.clock;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.zone.ZoneRules;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;

/**
 * Working hours on working days in a zone, minus holidays. Immutable and thread-safe: the per-day
 * window cache holds immutable entries, and a racing write only recomputes the same value.
 */
final class WorkingHoursCalendar implements BusinessCalendar {
  private static final int SEARCH_DAYS = 366;
  private static final int CACHE = 1024;

  private final ZoneId zone;
  private final ZoneRules rules;
  private final EnumSet<DayOfWeek> days;
  private final LocalTime open;
  private final LocalTime close;
  private final Set<LocalDate> holidays;
  private final Window[] cache = new Window[CACHE];

  /** One local day's working window in epoch seconds; {@code start == end} when none. */
  private static final class Window {
    final long epochDay;
    final long start;
    final long end;

    Window(long epochDay, long start, long end) {
      this.epochDay = epochDay;
      this.start = start;
      this.end = end;
    }
  }

  WorkingHoursCalendar(ZoneId zone, Set<DayOfWeek> days, LocalTime open, LocalTime close,
      Collection<LocalDate> holidays) {
    this.zone = Objects.requireNonNull(zone, "zone");
    this.rules = zone.getRules();
    if (days == null || days.isEmpty()) {
      throw new IllegalArgumentException("days must name at least one working day");
    }
    this.days = EnumSet.copyOf(days);
    if ((open == null) != (close == null)) {
      throw new IllegalArgumentException("give both open and close, or neither for whole days");
    }
    if (open != null && !close.isAfter(open)) {
      throw new IllegalArgumentException("close (" + close + ") must be after open (" + open + ")");
    }
    this.open = open;
    this.close = close;
    this.holidays = Set.copyOf(new HashSet<>(holidays));
  }

  private Window window(long epochDay) {
    int slot = (int) Math.floorMod(epochDay, (long) CACHE);
    Window w = cache[slot];
    if (w != null && w.epochDay == epochDay) {
      return w;
    }
    LocalDate d = LocalDate.ofEpochDay(epochDay);
    long s = 0;
    long e = 0;
    if (days.contains(d.getDayOfWeek()) && !holidays.contains(d)) {
      // ZonedDateTime resolves a local time in a DST gap forward and in an overlap to the earlier offset
      s = open == null ? d.atStartOfDay(zone).toEpochSecond() : d.atTime(open).atZone(zone).toEpochSecond();
      e = close == null ? d.plusDays(1).atStartOfDay(zone).toEpochSecond()
          : d.atTime(close).atZone(zone).toEpochSecond();
    }
    w = new Window(epochDay, s, e);
    cache[slot] = w;
    return w;
  }

  private long localDay(Instant at) {
    long local = at.getEpochSecond() + rules.getOffset(at).getTotalSeconds();
    return Math.floorDiv(local, 86_400L);
  }

  @Override
  public Instant plus(Instant start, Duration workingTime) {
    Objects.requireNonNull(start, "start");
    if (workingTime.isNegative()) {
      throw new IllegalArgumentException("working time must not be negative, got " + workingTime);
    }
    if (workingTime.isZero()) {
      return start;
    }
    long remSec = workingTime.getSeconds();
    int remNano = workingTime.getNano();
    long startSec = start.getEpochSecond();
    int startNano = start.getNano();
    long day = localDay(start);
    int idle = 0;
    while (true) {
      Window w = window(day);
      if (w.end > w.start) {
        idle = 0;
        long sSec;
        int sNano;
        if (startSec >= w.start) {
          sSec = startSec;
          sNano = startNano;
        } else {
          sSec = w.start;
          sNano = 0;
        }
        if (sSec < w.end) {
          // available = w.end - (sSec + sNano)
          long availSec = w.end - sSec;
          int availNano = 0;
          if (sNano > 0) {
            availSec -= 1;
            availNano = 1_000_000_000 - sNano;
          }
          if (remSec < availSec || (remSec == availSec && remNano <= availNano)) {
            return Instant.ofEpochSecond(sSec, sNano).plusSeconds(remSec).plusNanos(remNano);
          }
          remSec -= availSec;
          remNano -= availNano;
          if (remNano < 0) {
            remNano += 1_000_000_000;
            remSec -= 1;
          }
        }
      } else if (++idle > SEARCH_DAYS) {
        throw new IllegalStateException("calendar " + this + " has no working time in the year after "
            + Instant.ofEpochSecond(startSec));
      }
      day++;
    }
  }

  @Override
  public Duration between(Instant from, Instant to) {
    if (!to.isAfter(from)) {
      return Duration.ZERO;
    }
    Duration total = Duration.ZERO;
    long last = localDay(to);
    for (long day = localDay(from); day <= last; day++) {
      Window w = window(day);
      if (w.end <= w.start) {
        continue;
      }
      Instant s = Instant.ofEpochSecond(w.start);
      Instant e = Instant.ofEpochSecond(w.end);
      Instant a = from.isAfter(s) ? from : s;
      Instant b = to.isBefore(e) ? to : e;
      if (b.isAfter(a)) {
        total = total.plus(Duration.between(a, b));
      }
    }
    return total;
  }

  @Override
  public boolean isWorking(Instant at) {
    Window w = window(localDay(at));
    long s = at.getEpochSecond();
    return s >= w.start && s < w.end;
  }

  @Override
  public ZoneId zone() {
    return zone;
  }

  @Override
  public String toString() {
    return (open == null ? "all day" : open + "-" + close) + " " + days + " in " + zone
        + " with " + holidays.size() + " holidays";
  }
}
