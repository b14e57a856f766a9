package dev.pledge.core.time;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A {@link Clock} that moves only when told to, for tests and simulations: time is driven, never
 * waited for. Thread-safe; {@link #withZone(ZoneId)} returns a view that shares the same instant.
 */
public final class MutableClock extends Clock {
  private final AtomicReference<Instant> now;
  private final ZoneId zone;

  private MutableClock(AtomicReference<Instant> now, ZoneId zone) {
    this.now = now;
    this.zone = zone;
  }

  /** A clock at {@code start} in UTC. */
  public static MutableClock at(Instant start) {
    return new MutableClock(new AtomicReference<>(Objects.requireNonNull(start, "start")), ZoneId.of("UTC"));
  }

  /** A clock at {@code start} (ISO-8601, e.g. {@code 2026-11-01T06:30:00Z}) in UTC. */
  public static MutableClock at(String start) {
    return at(Instant.parse(start));
  }

  @Override
  public ZoneId getZone() {
    return zone;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return new MutableClock(now, Objects.requireNonNull(zone, "zone"));
  }

  @Override
  public Instant instant() {
    return now.get();
  }

  @Override
  public long millis() {
    return now.get().toEpochMilli();
  }

  /** Moves the clock by {@code duration} (which may be negative, to test a clock that steps back). */
  public MutableClock advance(Duration duration) {
    Objects.requireNonNull(duration, "duration");
    now.updateAndGet(t -> t.plus(duration));
    return this;
  }

  /** Sets the clock to {@code instant}. */
  public MutableClock set(Instant instant) {
    now.set(Objects.requireNonNull(instant, "instant"));
    return this;
  }

  @Override
  public String toString() {
    return "MutableClock[" + now.get() + ", " + zone + "]";
  }
}
