package dev.pledge.sla.clock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pledge.sla.SlaPolicies;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class SlaClockTest {
  private static final Instant T0 = Instant.parse("2026-11-02T10:00:00Z"); // a Monday
  private final ResponseTargets standard = SlaPolicies.bundled().targets(null);
  private final ResponseTargets acme = SlaPolicies.bundled().targets("acme");

  private static Instant t(String minutesAfter) {
    return T0.plus(Duration.parse("PT" + minutesAfter));
  }

  @Test
  void goldIsDueTwoHoursAfterOpening() {
    SlaClock c = SlaClock.open(standard, T0, 1);
    SlaStatus s = c.status(t("30M"));
    assertThat(s.state()).isEqualTo(SlaStatus.State.RUNNING);
    assertThat(s.deadline()).contains(t("2H"));
    assertThat(s.elapsed()).isEqualTo(Duration.ofMinutes(30));
    assertThat(s.remaining()).isEqualTo(Duration.ofMinutes(90));
    assertThat(s.breached()).isFalse();
    assertThat(c.status(t("2H")).breached()).isTrue();
    assertThat(c.status(t("3H")).remaining()).isZero();
  }

  @Test
  void warningsFireAt50_75_90And100Percent() {
    SlaClock c = SlaClock.open(standard, T0, 1);
    assertThat(c.status(t("3H")).warnings()).extracting(SlaWarning::percent, SlaWarning::occurredAt)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(50, t("60M")),
            org.assertj.core.groups.Tuple.tuple(75, t("90M")),
            org.assertj.core.groups.Tuple.tuple(90, t("108M")),
            org.assertj.core.groups.Tuple.tuple(100, t("120M")));
    assertThat(c.status(t("80M")).warnings()).extracting(SlaWarning::percent).containsExactly(50);
  }

  @Test
  void pausesMoveTheDeadlineAndAResponseStopsTheClock() {
    SlaClock c = SlaClock.replay(standard, List.of(
        new SlaEvent.Opened(T0, 1),
        new SlaEvent.Paused(t("30M"), "waiting for the customer"),
        new SlaEvent.Resumed(t("90M"))));
    assertThat(c.status(t("60M")).state()).isEqualTo(SlaStatus.State.PAUSED);
    assertThat(c.status(t("60M")).deadline()).isEmpty();
    assertThat(c.status(t("60M")).elapsed()).isEqualTo(Duration.ofMinutes(30));
    assertThat(c.status(t("100M")).deadline()).contains(t("3H"));

    SlaClock answered = c.append(new SlaEvent.Responded(t("160M")));
    SlaStatus s = answered.status(t("10H"));
    assertThat(s.state()).isEqualTo(SlaStatus.State.RESPONDED);
    assertThat(s.breached()).isFalse();
    assertThat(s.deadline()).isEmpty();
    assertThat(s.elapsed()).isEqualTo(Duration.ofMinutes(100));
    assertThat(s.warnings()).extracting(SlaWarning::percent).containsExactly(50, 75);
  }

  @Test
  void reclassifyingToAMoreSevereTierCountsFromTheOpening() {
    // opened Bronze at 10:00, reclassified Gold at 11:30: the Gold target runs from 10:00, due 12:00
    SlaClock c = SlaClock.replay(standard, List.of(
        new SlaEvent.Opened(T0, 3), new SlaEvent.Reclassified(t("90M"), 1)));
    SlaStatus s = c.status(t("90M"));
    assertThat(s.rank()).isEqualTo(1);
    assertThat(s.deadline()).contains(t("2H"));
    assertThat(s.remaining()).isEqualTo(Duration.ofMinutes(30));
    // Gold's 50% and 75% were already past: they fire at the reclassification
    assertThat(s.warnings()).extracting(SlaWarning::percent, SlaWarning::occurredAt, SlaWarning::rank)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(50, t("90M"), 1),
            org.assertj.core.groups.Tuple.tuple(75, t("90M"), 1));
  }

  @Test
  void replayingTheSameEventsGivesTheSameAnswer() {
    List<SlaEvent> events = List.of(new SlaEvent.Opened(T0, 2), new SlaEvent.Paused(t("1H"), "x"),
        new SlaEvent.Resumed(t("26H")), new SlaEvent.Reclassified(t("27H"), 1));
    SlaStatus a = SlaClock.replay(standard, events).status(t("40H"));
    SlaStatus b = SlaClock.replay(standard, events).status(t("40H"));
    assertThat(a).isEqualTo(b);
    assertThat(a.deadline()).contains(t("27H"));
    assertThat(a.breached()).isTrue();
  }

  @Test
  void customersCalendarsApply() {
    // acme's Silver is 4 hours on London office hours: Monday 2 Nov 16:00Z -> 1.5h Monday, 2.5h Tuesday -> 11:30Z
    SlaClock c = SlaClock.open(acme, Instant.parse("2026-11-02T16:00:00Z"), 2);
    assertThat(c.status(Instant.parse("2026-11-02T16:00:00Z")).deadline())
        .contains(Instant.parse("2026-11-03T11:30:00Z"));
  }

  @Test
  void badEventStreamsAreRejectedNamingTheEvent() {
    assertThatThrownBy(() -> SlaClock.replay(standard, List.of(new SlaEvent.Resolved(T0))))
        .hasMessageContaining("event 0 (resolved at 2026-11-02T10:00:00Z) comes before the report was opened");
    assertThatThrownBy(() -> SlaClock.replay(standard, List.of(new SlaEvent.Opened(T0, 1),
        new SlaEvent.Paused(t("2H"), ""), new SlaEvent.Resumed(t("1H")))))
        .hasMessageContaining("event 2 (resumed at 2026-11-02T11:00:00Z) is earlier than event 1");
    assertThatThrownBy(() -> SlaClock.replay(standard, List.of(new SlaEvent.Opened(T0, 1),
        new SlaEvent.Paused(t("1H"), ""), new SlaEvent.Paused(t("2H"), ""))))
        .hasMessageContaining("overlaps the pause since 2026-11-02T11:00:00Z");
    assertThatThrownBy(() -> SlaClock.replay(standard, List.of(new SlaEvent.Opened(T0, 1),
        new SlaEvent.Resumed(t("1H")))))
        .hasMessageContaining("the clock is not paused");
    assertThatThrownBy(() -> SlaClock.open(standard, T0, 7))
        .hasMessage("unknown tier 7; the policy has tiers 1, 2, 3");
    assertThatThrownBy(() -> SlaClock.replay(standard, List.of(new SlaEvent.Opened(T0, 1),
        new SlaEvent.Resolved(t("1H")), new SlaEvent.Responded(t("2H")))))
        .hasMessageContaining("nothing may follow resolved");
    assertThatThrownBy(() -> SlaClock.open(standard, T0, 1).status(t("-1H")))
        .hasMessageContaining("is before the report was opened");
  }

  @Test
  void aResolutionBeforeAnyResponseStopsTheResponseClock() {
    SlaClock c = SlaClock.replay(standard, List.of(new SlaEvent.Opened(T0, 1), new SlaEvent.Resolved(t("3H"))));
    SlaStatus s = c.status(t("5H"));
    assertThat(s.state()).isEqualTo(SlaStatus.State.RESOLVED);
    assertThat(s.breached()).isTrue();
    assertThat(s.elapsed()).isEqualTo(Duration.ofHours(3));
  }
}
