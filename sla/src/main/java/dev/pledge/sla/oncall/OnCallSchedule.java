package dev.pledge.sla.oncall;

import dev.pledge.sla.clock.BusinessCalendar;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Who is on call (P38): weekly rotations stacked in layers (a later layer, where it has someone,
 * covers the earlier ones, as PagerDuty layers do), overrides on top (the last one added wins), and
 * the office hours outside which only operations engineers may be on call. Immutable and thread-safe.
 *
 * <pre>{@code
 * OnCallSchedule s = OnCallSchedule.of(engineers, officeHours, List.of(rotation), List.of());
 * s.validate(now, 8);            // throws ScheduleException naming the first gap
 * s.onCall(now);                 // Optional[alice]
 * }</pre>
 */
public final class OnCallSchedule {
  private final Map<String, Engineer> engineers;
  private final BusinessCalendar officeHours;
  private final List<WeeklyRotation> layers;
  private final List<Override> overrides;

  private OnCallSchedule(Map<String, Engineer> engineers, BusinessCalendar officeHours,
      List<WeeklyRotation> layers, List<Override> overrides) {
    this.engineers = engineers;
    this.officeHours = officeHours;
    this.layers = layers;
    this.overrides = overrides;
  }

  /**
   * The schedule the {@code oncall} section describes (P38): its engineers, office hours, rotations
   * and overrides. The schedule has nothing to set besides the section, so there is no builder.
   *
   * @param section the {@code oncall} section
   * @return the schedule
   */
  public static OnCallSchedule from(OnCallPolicy section) {
    return section.toSchedule();
  }

  /**
   * A schedule. Every member of a rotation and every overriding engineer must be among {@code engineers}.
   *
   * @throws IllegalArgumentException naming an unknown engineer
   */
  public static OnCallSchedule of(List<Engineer> engineers, BusinessCalendar officeHours,
      List<WeeklyRotation> layers, List<Override> overrides) {
    Map<String, Engineer> byId = engineers.stream().collect(Collectors.toUnmodifiableMap(Engineer::id,
        Function.identity(), (a, b) -> {
          throw new IllegalArgumentException("engineer '" + a.id() + "' is listed twice");
        }));
    Objects.requireNonNull(officeHours, "officeHours");
    if (layers.isEmpty()) {
      throw new IllegalArgumentException("an on-call schedule needs at least one rotation");
    }
    for (WeeklyRotation r : layers) {
      for (String m : r.members()) {
        if (!byId.containsKey(m)) {
          throw new IllegalArgumentException("rotation '" + r.name() + "': unknown engineer '" + m + "'");
        }
      }
    }
    for (Override o : overrides) {
      if (!byId.containsKey(o.engineer())) {
        throw new IllegalArgumentException("override from " + o.from() + ": unknown engineer '" + o.engineer() + "'");
      }
    }
    return new OnCallSchedule(byId, officeHours, List.copyOf(layers), List.copyOf(overrides));
  }

  /** The engineer on call at {@code at}, or empty when nobody is. */
  public Optional<Engineer> onCall(Instant at) {
    for (int i = overrides.size() - 1; i >= 0; i--) {
      if (overrides.get(i).covers(at)) {
        return Optional.of(engineers.get(overrides.get(i).engineer()));
      }
    }
    for (int i = layers.size() - 1; i >= 0; i--) {
      Optional<String> who = layers.get(i).onCall(at);
      if (who.isPresent()) {
        return Optional.of(engineers.get(who.get()));
      }
    }
    return Optional.empty();
  }

  /** The next {@code count} handoffs of every layer after {@code after}, in time order. */
  public List<WeeklyRotation.Handoff> nextHandoffs(Instant after, int count) {
    return layers.stream().flatMap(l -> l.nextHandoffs(after, count).stream())
        .sorted(Comparator.comparing(WeeklyRotation.Handoff::at)).limit(count).toList();
  }

  /**
   * Checks the {@code weeks} weeks from {@code from}: every out-of-hours minute has someone on call,
   * and that someone is an operations engineer (P38).
   *
   * @throws ScheduleException naming the first gap or the first ineligible engineer and when
   */
  public void validate(Instant from, int weeks) {
    if (weeks < 1) {
      throw new IllegalArgumentException("weeks must be at least 1, got " + weeks);
    }
    Instant end = from.plus(Duration.ofDays(7L * weeks));
    TreeSet<Instant> cuts = new TreeSet<>();
    cuts.add(from);
    cuts.add(end);
    for (WeeklyRotation r : layers) {
      cuts.add(r.firstHandoff());
      r.nextHandoffs(from, weeks + 1).forEach(h -> cuts.add(h.at()));
    }
    for (Override o : overrides) {
      cuts.add(o.from());
      cuts.add(o.to());
    }
    List<Instant> points = new ArrayList<>(cuts.subSet(from, true, end, true));
    for (int i = 0; i + 1 < points.size(); i++) {
      Instant a = points.get(i);
      Instant b = points.get(i + 1);
      if (officeHours.between(a, b).compareTo(Duration.between(a, b)) >= 0) {
        continue; // entirely in office hours
      }
      Optional<Engineer> who = onCall(a);
      if (who.isPresent() && who.get().operations()) {
        continue;
      }
      Instant first = firstOutOfHours(a, b);
      if (who.isEmpty()) {
        throw new ScheduleException("out-of-hours gap: nobody is on call from " + first + " until " + b);
      }
      throw new ScheduleException("engineer '" + who.get().id() + "' is on call out of hours from " + first
          + " until " + b + " but is not an operations engineer (P38)");
    }
  }

  private Instant firstOutOfHours(Instant a, Instant b) {
    Instant t = a;
    while (t.isBefore(b) && officeHours.isWorking(t)) {
      t = t.plus(Duration.ofMinutes(1));
    }
    return t;
  }
}
