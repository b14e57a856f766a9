package dev.pledge.sla.oncall;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A weekly rotation (P38): the members take turns, one week each, handing off on {@code handoffDay}
 * at {@code handoffTime} in {@code zone} (so the handoff stays at 09:00 local across DST changes).
 * The first turn starts at the first handoff on or after {@code startsOn}. Immutable and thread-safe.
 *
 * @param name the rotation's name
 * @param zone the zone handoffs are read in
 * @param handoffDay the day of the weekly handoff
 * @param handoffTime the local time of the handoff
 * @param startsOn the date from which the rotation runs
 * @param members engineer ids in turn order; at least one, none twice
 */
public record WeeklyRotation(String name, ZoneId zone, DayOfWeek handoffDay, LocalTime handoffTime,
    LocalDate startsOn, List<String> members) {

  /** Validates the rotation. */
  public WeeklyRotation {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("rotation name must not be blank");
    }
    Objects.requireNonNull(zone, "zone");
    Objects.requireNonNull(handoffDay, "handoffDay");
    Objects.requireNonNull(handoffTime, "handoffTime");
    Objects.requireNonNull(startsOn, "startsOn");
    if (members == null || members.isEmpty()) {
      throw new IllegalArgumentException("rotation '" + name + "' needs at least one member");
    }
    members = List.copyOf(members);
    if (members.stream().distinct().count() != members.size()) {
      throw new IllegalArgumentException("rotation '" + name + "' lists a member twice: " + members);
    }
  }

  /** The instant of the first handoff, when the rotation begins. */
  public Instant firstHandoff() {
    LocalDate d = startsOn.with(TemporalAdjusters.nextOrSame(handoffDay));
    return ZonedDateTime.of(d, handoffTime, zone).toInstant();
  }

  /** The member on call at {@code at}, or empty before the rotation begins. */
  public Optional<String> onCall(Instant at) {
    Instant first = firstHandoff();
    if (at.isBefore(first)) {
      return Optional.empty();
    }
    LocalDate firstDay = first.atZone(zone).toLocalDate();
    long weeks = ChronoUnit.WEEKS.between(firstDay, at.atZone(zone).toLocalDate());
    // before this week's handoff time, the previous turn still runs
    if (at.isBefore(handoff(firstDay.plusWeeks(weeks)))) {
      weeks--;
    }
    return Optional.of(members.get((int) Math.floorMod(weeks, (long) members.size())));
  }

  /** The handoffs strictly after {@code after}, up to {@code count} of them. */
  public List<Handoff> nextHandoffs(Instant after, int count) {
    if (count < 0) {
      throw new IllegalArgumentException("count must not be negative, got " + count);
    }
    java.util.ArrayList<Handoff> out = new java.util.ArrayList<>();
    LocalDate d = firstHandoff().atZone(zone).toLocalDate();
    if (after.isAfter(firstHandoff())) {
      d = d.plusWeeks(ChronoUnit.WEEKS.between(d, after.atZone(zone).toLocalDate()));
    }
    while (out.size() < count) {
      Instant h = handoff(d);
      if (h.isAfter(after)) {
        String from = onCall(h.minusNanos(1)).orElse(null);
        out.add(new Handoff(h, name, from, onCall(h).orElseThrow()));
      }
      d = d.plusWeeks(1);
    }
    return out;
  }

  private Instant handoff(LocalDate day) {
    return ZonedDateTime.of(day, handoffTime, zone).toInstant();
  }

  /**
   * One handoff.
   *
   * @param at when it happens
   * @param rotation the rotation's name
   * @param from who hands off, or {@code null} at the first handoff
   * @param to who takes over
   */
  public record Handoff(Instant at, String rotation, String from, String to) {}
}
