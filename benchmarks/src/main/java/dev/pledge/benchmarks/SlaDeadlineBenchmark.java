package dev.pledge.benchmarks;

import dev.pledge.sla.clock.BusinessCalendar;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A response deadline on a business-hours calendar with holidays (P34-P37): 6 working hours
 * (Silver) from opening instants spread over a year, on 09:00-17:30 weekdays in Europe/London with
 * the bundled policy's holidays. Goal: at least 1,000,000 per second.
 *
 * <p>{@code naive}: the obvious implementation, walking day by day and building each day's opening
 * and closing {@link ZonedDateTime} afresh (no per-day window cache, Instant/Duration arithmetic).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class SlaDeadlineBenchmark {
  private static final ZoneId LONDON = ZoneId.of("Europe/London");
  private static final LocalTime OPEN = LocalTime.of(9, 0);
  private static final LocalTime CLOSE = LocalTime.of(17, 30);
  private static final Set<DayOfWeek> DAYS = EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.FRIDAY);
  private static final List<LocalDate> HOLIDAYS = List.of(LocalDate.of(2026, 12, 25), LocalDate.of(2026, 12, 28),
      LocalDate.of(2027, 1, 1), LocalDate.of(2027, 3, 26), LocalDate.of(2027, 3, 29), LocalDate.of(2027, 5, 3),
      LocalDate.of(2027, 5, 31), LocalDate.of(2027, 8, 30), LocalDate.of(2027, 12, 27), LocalDate.of(2027, 12, 28));
  private static final Duration TARGET = Duration.ofHours(6);

  @Param({"pledge", "naive"})
  public String impl;

  private BusinessCalendar calendar;
  private Set<LocalDate> holidays;
  private Instant[] opened;
  private int i;

  @Setup
  public void setUp() {
    calendar = BusinessCalendar.businessHours(LONDON, DAYS, OPEN, CLOSE, HOLIDAYS);
    holidays = new HashSet<>(HOLIDAYS);
    opened = new Instant[4096];
    java.util.SplittableRandom r = new java.util.SplittableRandom(42);
    Instant base = Instant.parse("2026-11-01T00:00:00Z");
    for (int k = 0; k < opened.length; k++) {
      opened[k] = base.plusSeconds(r.nextLong(365L * 86_400));
    }
  }

  @Benchmark
  public Instant deadline() {
    Instant at = opened[i++ & 4095];
    return impl.equals("pledge") ? calendar.plus(at, TARGET) : naive(at, TARGET);
  }

  private Instant naive(Instant start, Duration left) {
    LocalDate day = start.atZone(LONDON).toLocalDate();
    while (true) {
      if (DAYS.contains(day.getDayOfWeek()) && !holidays.contains(day)) {
        Instant s = ZonedDateTime.of(day, OPEN, LONDON).toInstant();
        Instant e = ZonedDateTime.of(day, CLOSE, LONDON).toInstant();
        Instant from = start.isAfter(s) ? start : s;
        if (from.isBefore(e)) {
          Duration avail = Duration.between(from, e);
          if (avail.compareTo(left) >= 0) {
            return from.plus(left);
          }
          left = left.minus(avail);
        }
      }
      day = day.plusDays(1);
    }
  }
}
