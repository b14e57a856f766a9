package dev.pledge.sla.clock;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.EnumSet;
import java.util.List;

/**
 * A calendar as the policy document writes it (P34-P37): a zone, the working hours of each working
 * day, and holidays. Without {@code hours} the calendar runs all day on its {@code days} (24x7 when
 * {@code days} is absent too). Immutable; build the working calendar with {@link BusinessCalendar#from}.
 *
 * @param zone a region zone id such as {@code Europe/London}
 * @param hours {@code 09:00-17:30}, or {@code null} for whole days
 * @param days the working days; defaults to Monday to Friday with {@code hours}, every day without
 * @param holidays dates on which no time counts, in {@code zone}
 * @param holidaysIcs an iCalendar file whose events are holidays too (see {@link IcsHolidays}), or
 *     {@code null}; read once, when the spec is built, and merged into {@link #holidays()}
 */
public record CalendarSpec(
    @JsonProperty(required = true) String zone,
    String hours,
    List<DayOfWeek> days,
    List<LocalDate> holidays,
    String holidaysIcs) {

  /** Validates the zone, hours and days. */
  public CalendarSpec {
    zoneId(zone);
    if (hours != null) {
      window(hours);
    }
    if (days != null && days.isEmpty()) {
      throw new IllegalArgumentException("days must name at least one working day");
    }
    days = days == null ? null : List.copyOf(days);
    holidays = holidays == null ? List.of() : List.copyOf(holidays);
    if (holidaysIcs != null) {
      if (holidaysIcs.isBlank()) {
        throw new IllegalArgumentException("holidaysIcs must name an iCalendar file when given");
      }
      java.util.TreeSet<LocalDate> all = new java.util.TreeSet<>(holidays);
      all.addAll(IcsHolidays.read(java.nio.file.Path.of(holidaysIcs), zoneId(zone)));
      holidays = List.copyOf(all);
    }
  }

  /** A spec without an iCalendar file of holidays. */
  public CalendarSpec(String zone, String hours, List<DayOfWeek> days, List<LocalDate> holidays) {
    this(zone, hours, days, holidays, null);
  }

  /** The zone as a {@link ZoneId}. */
  public ZoneId zoneId() {
    return zoneId(zone);
  }

  /** The working days, with the defaults applied. */
  public EnumSet<DayOfWeek> workingDays() {
    if (days != null) {
      return EnumSet.copyOf(days);
    }
    return hours == null ? EnumSet.allOf(DayOfWeek.class) : EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.FRIDAY);
  }

  /** The opening and closing times of {@code hours}, or {@code null} for whole days. */
  public LocalTime[] openClose() {
    return hours == null ? null : window(hours);
  }

  static ZoneId zoneId(String zone) {
    if (zone == null || zone.isBlank()) {
      throw new IllegalArgumentException("zone must name a zone such as Europe/London");
    }
    try {
      return ZoneId.of(zone.strip());
    } catch (DateTimeException e) {
      throw new IllegalArgumentException("unknown zone '" + zone + "' (write e.g. Europe/London or UTC)");
    }
  }

  static LocalTime[] window(String hours) {
    String[] parts = hours.split("-");
    if (parts.length != 2) {
      throw new IllegalArgumentException("hours must read like 09:00-17:30, got '" + hours + "'");
    }
    try {
      LocalTime open = LocalTime.parse(parts[0].strip());
      LocalTime close = LocalTime.parse(parts[1].strip());
      if (!close.isAfter(open)) {
        throw new IllegalArgumentException("hours must close after they open, got '" + hours + "'");
      }
      return new LocalTime[] {open, close};
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("hours must read like 09:00-17:30, got '" + hours + "'");
    }
  }
}
