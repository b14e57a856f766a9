package dev.pledge.sla.oncall;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.pledge.sla.clock.BusinessCalendar;
import dev.pledge.sla.clock.CalendarSpec;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * The {@code oncall} section of the policy document (P38): the team with their roles, the office
 * hours outside which only operations engineers may be on call, weekly rotations stacked in layers
 * (a later layer covers the earlier ones where it has someone), holiday-swap overrides, escalation,
 * and how many weeks ahead the schedule must be fully covered. Immutable.
 *
 * <p>Loading checks the schedule for {@code coverWeeks} weeks from its first handoff: every
 * out-of-hours minute has an operations engineer on call, or loading fails naming the first gap or
 * the ineligible engineer. Hosts should also call {@link #validate(Instant)} with the current time
 * (for instance at start-up), since the weeks ahead move on.
 *
 * @param officeHours the working hours of the office; outside them is "out of hours"
 * @param coverWeeks how many weeks ahead must be covered; at least 1
 * @param engineers the team
 * @param rotations the layers, lowest first
 * @param overrides temporary replacements, the last one winning
 * @param escalation who to page when a page stays unacknowledged, or {@code null} for nobody
 */
public record OnCallPolicy(
    @JsonProperty(required = true) CalendarSpec officeHours,
    Integer coverWeeks,
    @JsonProperty(required = true) List<Member> engineers,
    @JsonProperty(required = true) List<Rotation> rotations,
    List<OverrideEntry> overrides,
    Escalation escalation) {

  /** Validates references, then the coverage of the first {@code coverWeeks} weeks. */
  public OnCallPolicy {
    Objects.requireNonNull(officeHours, "officeHours");
    coverWeeks = coverWeeks == null ? 8 : coverWeeks;
    if (coverWeeks < 1 || coverWeeks > 520) {
      throw new IllegalArgumentException("coverWeeks must be between 1 and 520, got " + coverWeeks);
    }
    if (engineers == null || engineers.isEmpty()) {
      throw new IllegalArgumentException("engineers must list at least one engineer");
    }
    engineers = List.copyOf(engineers);
    if (rotations == null || rotations.isEmpty()) {
      throw new IllegalArgumentException("rotations must list at least one rotation");
    }
    rotations = List.copyOf(rotations);
    overrides = overrides == null ? List.of() : List.copyOf(overrides);
    Set<String> ids = new HashSet<>();
    for (Member m : engineers) {
      if (!ids.add(m.id())) {
        throw new IllegalArgumentException("engineer '" + m.id() + "' is listed twice");
      }
    }
    Set<String> names = new HashSet<>();
    for (Rotation r : rotations) {
      if (!names.add(r.name())) {
        throw new IllegalArgumentException("two rotations are named '" + r.name() + "'");
      }
    }
    if (escalation != null) {
      for (String id : escalation.then()) {
        if (!ids.contains(id)) {
          throw new IllegalArgumentException("escalation: unknown engineer '" + id + "'; engineers are "
              + engineers.stream().map(Member::id).toList());
        }
      }
    }
    OnCallSchedule s = build(engineers, officeHours, rotations, overrides); // names unknown engineers
    Instant start = rotations.stream().map(r -> r.toRotation().firstHandoff()).min(Instant::compareTo).orElseThrow();
    s.validate(start, coverWeeks);
  }

  private static OnCallSchedule build(List<Member> engineers, CalendarSpec office, List<Rotation> rotations,
      List<OverrideEntry> overrides) {
    return OnCallSchedule.of(engineers.stream().map(Member::toEngineer).toList(), BusinessCalendar.from(office),
        rotations.stream().map(Rotation::toRotation).toList(),
        overrides.stream().map(OverrideEntry::toOverride).toList());
  }

  /**
   * The schedule this section describes.
   *
   * @return the schedule
   * @deprecated a section does not build components: use {@link OnCallSchedule#from(OnCallPolicy)}
   */
  @Deprecated(since = "0.2.0")
  public OnCallSchedule schedule() {
    return OnCallSchedule.from(this);
  }

  /** The schedule, for {@link OnCallSchedule#from(OnCallPolicy)}. */
  OnCallSchedule toSchedule() {
    return build(engineers, officeHours, rotations, overrides);
  }

  /**
   * Checks the {@code coverWeeks} weeks from {@code now}.
   *
   * @throws ScheduleException naming the first gap or ineligible engineer
   */
  public void validate(Instant now) {
    OnCallSchedule.from(this).validate(now, coverWeeks);
  }

  /** The escalation policy, if the section has one. */
  public java.util.Optional<EscalationPolicy> escalationPolicy() {
    return java.util.Optional.ofNullable(escalation).map(e -> new EscalationPolicy(e.acknowledgeWithin(), e.then()));
  }

  /** What an engineer does; only {@code OPERATIONS} engineers may be on call out of hours (P38). */
  public enum Role {
    /** Operations engineers, who can fix production. */
    OPERATIONS,
    /** Software developers. */
    DEVELOPER,
    /** Support staff. */
    SUPPORT,
    /** Managers, typically escalation targets. */
    MANAGER;

    @com.fasterxml.jackson.annotation.JsonCreator
    static Role parse(String s) {
      try {
        return valueOf(s.strip().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("role must be one of operations, developer, support, manager; got '" + s + "'");
      }
    }

    @com.fasterxml.jackson.annotation.JsonValue
    String text() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /**
   * One engineer.
   *
   * @param id a stable id, such as {@code alice}
   * @param name a display name; defaults to the id
   * @param role what the engineer does
   */
  public record Member(@JsonProperty(required = true) String id, String name,
      @JsonProperty(required = true) Role role) {
    /** Validates the engineer. */
    public Member {
      if (id == null || !id.matches("[a-z0-9][a-z0-9._-]*")) {
        throw new IllegalArgumentException("id must be lower-case letters, digits, '.', '_' or '-', got '" + id + "'");
      }
      Objects.requireNonNull(role, "role");
    }

    Engineer toEngineer() {
      return new Engineer(id, name, role == Role.OPERATIONS);
    }
  }

  /**
   * One weekly rotation.
   *
   * @param name the rotation's name
   * @param zone the zone the handoff is read in, such as {@code Europe/London}
   * @param handoff the day and local time of the weekly handoff, such as {@code Monday 09:00}
   * @param startsOn the date from which the rotation runs
   * @param members engineer ids in turn order
   */
  public record Rotation(@JsonProperty(required = true) String name, @JsonProperty(required = true) String zone,
      @JsonProperty(required = true) String handoff, @JsonProperty(required = true) LocalDate startsOn,
      @JsonProperty(required = true) List<String> members) {
    /** Validates the rotation. */
    public Rotation {
      toRotation(name, zone, handoff, startsOn, members);
      members = List.copyOf(members);
    }

    WeeklyRotation toRotation() {
      return toRotation(name, zone, handoff, startsOn, members);
    }

    private static WeeklyRotation toRotation(String name, String zone, String handoff, LocalDate startsOn,
        List<String> members) {
      ZoneId z;
      try {
        z = ZoneId.of(Objects.requireNonNull(zone, "zone").strip());
      } catch (java.time.DateTimeException e) {
        throw new IllegalArgumentException("unknown zone '" + zone + "' (write e.g. Europe/London or UTC)");
      }
      String[] parts = Objects.requireNonNull(handoff, "handoff").strip().split("\\s+");
      DayOfWeek day;
      LocalTime time;
      try {
        if (parts.length != 2) {
          throw new IllegalArgumentException();
        }
        day = DayOfWeek.valueOf(parts[0].toUpperCase(Locale.ROOT));
        time = LocalTime.parse(parts[1]);
      } catch (IllegalArgumentException | DateTimeParseException e) {
        throw new IllegalArgumentException("handoff must read like 'Monday 09:00', got '" + handoff + "'");
      }
      return new WeeklyRotation(name, z, day, time, startsOn, members);
    }
  }

  /**
   * One override (a holiday swap).
   *
   * @param engineer who is on call instead
   * @param from start, inclusive
   * @param to end, exclusive
   */
  public record OverrideEntry(@JsonProperty(required = true) String engineer,
      @JsonProperty(required = true) Instant from, @JsonProperty(required = true) Instant to) {
    /** Validates the override. */
    public OverrideEntry {
      toOverride(engineer, from, to);
    }

    Override toOverride() {
      return toOverride(engineer, from, to);
    }

    private static Override toOverride(String engineer, Instant from, Instant to) {
      return new Override(from, to, engineer);
    }
  }

  /**
   * Escalation of unacknowledged pages.
   *
   * @param acknowledgeWithin how long each step waits
   * @param then ids to escalate to, in order
   */
  public record Escalation(@JsonProperty(required = true) Duration acknowledgeWithin,
      @JsonProperty(required = true) List<String> then) {
    /** Validates the escalation. */
    public Escalation {
      new EscalationPolicy(acknowledgeWithin, then);
      then = List.copyOf(then);
      if (then.isEmpty()) {
        throw new IllegalArgumentException("then must name at least one engineer to escalate to");
      }
    }
  }
}
