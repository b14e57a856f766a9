package dev.pledge.sla.clock;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.Collection;
import java.util.Set;

/**
 * The time during which an SLA target runs (P34-P37): all the time (24x7), or business hours in a
 * named zone with holidays. Working time is elapsed time: a 24x7 day across a DST change lasts 23 or
 * 25 hours. A local opening or closing time inside a DST gap is read with the offset in force
 * before the gap (01:30 on the London spring-forward day is 02:30 BST), as java.time and RFC 5545 do;
 * one inside an overlap is read with the earlier offset.
 * Implementations are immutable and thread-safe.
 */
public interface BusinessCalendar {

  /**
   * The instant at which {@code workingTime} of working time has passed after {@code start}.
   *
   * @throws IllegalArgumentException when {@code workingTime} is negative
   * @throws IllegalStateException when the calendar has no working time within a year
   */
  Instant plus(Instant start, Duration workingTime);

  /** The working time between {@code from} and {@code to}; zero when {@code to} is not after {@code from}. */
  Duration between(Instant from, Instant to);

  /** Whether {@code at} is inside working time. */
  boolean isWorking(Instant at);

  /** The zone the calendar reads dates in. */
  ZoneId zone();

  /** The calendar that runs all the time. */
  static BusinessCalendar always() {
    return AlwaysCalendar.INSTANCE;
  }

  /** The calendar of a policy document's {@code calendars} entry. */
  static BusinessCalendar from(CalendarSpec spec) {
    LocalTime[] oc = spec.openClose();
    if (oc == null && spec.workingDays().size() == 7 && spec.holidays().isEmpty()) {
      return always();
    }
    return new WorkingHoursCalendar(spec.zoneId(), spec.workingDays(),
        oc == null ? null : oc[0], oc == null ? null : oc[1], spec.holidays());
  }

  /**
   * Business hours: from {@code open} to {@code close} on {@code days} in {@code zone}, except on
   * {@code holidays}.
   */
  static BusinessCalendar businessHours(ZoneId zone, Set<DayOfWeek> days, LocalTime open, LocalTime close,
      Collection<LocalDate> holidays) {
    return new WorkingHoursCalendar(zone, days, open, close, holidays);
  }
}
