package dev.pledge.sla.clock;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** The 24x7 calendar. Stateless and thread-safe. */
final class AlwaysCalendar implements BusinessCalendar {
  static final AlwaysCalendar INSTANCE = new AlwaysCalendar();

  private AlwaysCalendar() {}

  @Override
  public Instant plus(Instant start, Duration workingTime) {
    if (workingTime.isNegative()) {
      throw new IllegalArgumentException("working time must not be negative, got " + workingTime);
    }
    return start.plus(workingTime);
  }

  @Override
  public Duration between(Instant from, Instant to) {
    return to.isAfter(from) ? Duration.between(from, to) : Duration.ZERO;
  }

  @Override
  public boolean isWorking(Instant at) {
    return true;
  }

  @Override
  public ZoneId zone() {
    return ZoneOffset.UTC;
  }

  @Override
  public String toString() {
    return "24x7";
  }
}
