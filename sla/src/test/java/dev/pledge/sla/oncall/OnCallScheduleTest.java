package dev.pledge.sla.oncall;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pledge.sla.clock.BusinessCalendar;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class OnCallScheduleTest {
  private static final ZoneId LONDON = ZoneId.of("Europe/London");
  private final BusinessCalendar office = BusinessCalendar.businessHours(LONDON,
      EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.FRIDAY), LocalTime.of(9, 0), LocalTime.of(17, 30), List.of());
  private final List<Engineer> team = List.of(new Engineer("alice", "Alice", true),
      new Engineer("bob", "Bob", true), new Engineer("carol", "Carol", true), new Engineer("dev", "Dev", false));
  // Mondays at 09:00 London; starts Monday 19 Oct 2026 (BST), crosses the 25 Oct change
  private final WeeklyRotation weekly = new WeeklyRotation("ops", LONDON, DayOfWeek.MONDAY, LocalTime.of(9, 0),
      LocalDate.of(2026, 10, 19), List.of("alice", "bob", "carol"));

  @Test
  void membersTakeWeeklyTurnsHandingOffAtNineLocalAcrossDst() {
    OnCallSchedule s = OnCallSchedule.of(team, office, List.of(weekly), List.of());
    assertThat(s.onCall(Instant.parse("2026-10-19T08:00:00Z")).map(Engineer::id)).contains("alice"); // 09:00 BST
    assertThat(s.onCall(Instant.parse("2026-10-26T08:59:00Z")).map(Engineer::id)).contains("alice"); // 08:59 GMT
    assertThat(s.onCall(Instant.parse("2026-10-26T09:00:00Z")).map(Engineer::id)).contains("bob");   // 09:00 GMT
    assertThat(s.onCall(Instant.parse("2026-11-09T12:00:00Z")).map(Engineer::id)).contains("alice");
    assertThat(s.onCall(Instant.parse("2026-10-18T12:00:00Z"))).isEmpty();
    assertThat(s.nextHandoffs(Instant.parse("2026-10-20T00:00:00Z"), 2))
        .extracting(WeeklyRotation.Handoff::at, WeeklyRotation.Handoff::from, WeeklyRotation.Handoff::to)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(Instant.parse("2026-10-26T09:00:00Z"), "alice", "bob"),
            org.assertj.core.groups.Tuple.tuple(Instant.parse("2026-11-02T09:00:00Z"), "bob", "carol"));
  }

  @Test
  void overridesWinForTheirInterval() {
    Override swap = new Override(Instant.parse("2026-10-21T00:00:00Z"), Instant.parse("2026-10-23T00:00:00Z"), "carol");
    OnCallSchedule s = OnCallSchedule.of(team, office, List.of(weekly), List.of(swap));
    assertThat(s.onCall(Instant.parse("2026-10-22T03:00:00Z")).map(Engineer::id)).contains("carol");
    assertThat(s.onCall(Instant.parse("2026-10-23T03:00:00Z")).map(Engineer::id)).contains("alice");
  }

  @Test
  void aFullRotationOfOperationsEngineersValidates() {
    OnCallSchedule.of(team, office, List.of(weekly), List.of()).validate(Instant.parse("2026-10-19T08:00:00Z"), 8);
  }

  @Test
  void aScheduleWithAnOutOfHoursGapIsRejectedNamingTheGap() {
    OnCallSchedule s = OnCallSchedule.of(team, office, List.of(weekly), List.of());
    // validating from before the rotation starts: Sunday night 18 Oct is uncovered
    assertThatThrownBy(() -> s.validate(Instant.parse("2026-10-18T20:00:00Z"), 2))
        .isInstanceOf(ScheduleException.class)
        .hasMessage("out-of-hours gap: nobody is on call from 2026-10-18T20:00:00Z until 2026-10-19T08:00:00Z");
  }

  @Test
  void aNonOperationsEngineerOutOfHoursIsRejected() {
    Override devNight = new Override(Instant.parse("2026-10-21T12:00:00Z"), Instant.parse("2026-10-22T12:00:00Z"), "dev");
    OnCallSchedule s = OnCallSchedule.of(team, office, List.of(weekly), List.of(devNight));
    assertThatThrownBy(() -> s.validate(Instant.parse("2026-10-19T08:00:00Z"), 2))
        .isInstanceOf(ScheduleException.class)
        .hasMessageContaining("engineer 'dev' is on call out of hours from 2026-10-21T16:30:00Z")
        .hasMessageContaining("not an operations engineer");
    // the same engineer covering only office hours is fine
    Override devDay = new Override(Instant.parse("2026-10-21T09:00:00Z"), Instant.parse("2026-10-21T15:00:00Z"), "dev");
    OnCallSchedule.of(team, office, List.of(weekly), List.of(devDay)).validate(Instant.parse("2026-10-19T08:00:00Z"), 2);
  }

  @Test
  void unknownEngineersAreRejected() {
    assertThatThrownBy(() -> OnCallSchedule.of(team, office, List.of(new WeeklyRotation("x", LONDON,
        DayOfWeek.MONDAY, LocalTime.NOON, LocalDate.of(2026, 1, 1), List.of("zed"))), List.of()))
        .hasMessage("rotation 'x': unknown engineer 'zed'");
  }

  @Test
  void unacknowledgedAlertsEscalate() {
    EscalationPolicy p = new EscalationPolicy(Duration.ofMinutes(15), List.of("bob", "manager"));
    Instant raised = Instant.parse("2026-10-21T02:00:00Z");
    assertThat(p.pageAt(raised, raised.plusSeconds(60), "alice")).isEqualTo("alice");
    assertThat(p.pageAt(raised, raised.plus(Duration.ofMinutes(15)), "alice")).isEqualTo("bob");
    assertThat(p.pageAt(raised, raised.plus(Duration.ofMinutes(31)), "alice")).isEqualTo("manager");
    assertThat(p.pageAt(raised, raised.plus(Duration.ofHours(5)), "alice")).isEqualTo("manager");
  }

  @Test
  void escalationEventsAreTheStepsDueUntilAcknowledgement() {
    EscalationPolicy p = new EscalationPolicy(Duration.ofMinutes(15), List.of("bob", "manager"));
    Instant raised = Instant.parse("2026-10-21T02:00:00Z");
    assertThat(p.steps(raised, null, raised.plus(Duration.ofMinutes(40)), "alice")).containsExactly(
        new EscalationPolicy.Step(raised, 0, "alice"),
        new EscalationPolicy.Step(raised.plus(Duration.ofMinutes(15)), 1, "bob"),
        new EscalationPolicy.Step(raised.plus(Duration.ofMinutes(30)), 2, "manager"));
    // acknowledged at 14:59 after the page: nobody else is woken, however late it is now
    assertThat(p.steps(raised, raised.plus(Duration.ofSeconds(899)), raised.plus(Duration.ofHours(3)), "alice"))
        .extracting(EscalationPolicy.Step::to).containsExactly("alice");
    // acknowledged exactly when bob's step was due: the step does not happen
    assertThat(p.steps(raised, raised.plus(Duration.ofMinutes(15)), raised.plus(Duration.ofHours(3)), "alice"))
        .hasSize(1);
    assertThat(p.steps(raised, null, raised.plus(Duration.ofHours(5)), "alice")).hasSize(3);
    assertThatThrownBy(() -> p.steps(raised, raised.minusSeconds(1), raised, "alice"))
        .hasMessage("acknowledged (2026-10-21T01:59:59Z) is before the alert was raised (2026-10-21T02:00:00Z)");
  }
}
