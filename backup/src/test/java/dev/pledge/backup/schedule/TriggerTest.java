package dev.pledge.backup.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class TriggerTest {
  private static final ZoneId LONDON = ZoneId.of("Europe/London");
  private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");

  @Test
  void everyFiveMinutesFallsOnTheSameSlotsOnEveryNode() {
    Trigger t = Trigger.every(Duration.ofMinutes(5));
    assertThat(t.latestSlotAtOrBefore(Instant.parse("2026-11-01T06:34:59Z"))).isEqualTo(Instant.parse("2026-11-01T06:30:00Z"));
    assertThat(t.latestSlotAtOrBefore(Instant.parse("2026-11-01T06:35:00Z"))).isEqualTo(Instant.parse("2026-11-01T06:35:00Z"));
    assertThat(t.nextSlotAfter(Instant.parse("2026-11-01T06:35:00Z"))).isEqualTo(Instant.parse("2026-11-01T06:40:00Z"));
    assertThatThrownBy(() -> Trigger.every(Duration.ofMillis(10))).hasMessageContaining("at least 1s");
  }

  @Test
  void dailyAtALocalTimeFollowsSummerTime() {
    Trigger t = Trigger.dailyAt(LocalTime.of(2, 30), LONDON);
    // winter: 02:30 GMT = 02:30 UTC; summer: 02:30 BST = 01:30 UTC
    assertThat(t.nextSlotAfter(Instant.parse("2026-01-10T12:00:00Z"))).isEqualTo(Instant.parse("2026-01-11T02:30:00Z"));
    assertThat(t.nextSlotAfter(Instant.parse("2026-07-10T12:00:00Z"))).isEqualTo(Instant.parse("2026-07-11T01:30:00Z"));
  }

  @Test
  void aTimeInTheSpringGapMovesForwardAndAnAutumnRepeatRunsOnce() {
    // 2026-03-29: London jumps from 01:00 GMT to 02:00 BST; 01:30 does not exist that day.
    Trigger gap = Trigger.dailyAt(LocalTime.of(1, 30), LONDON);
    assertThat(gap.nextSlotAfter(Instant.parse("2026-03-28T12:00:00Z"))).isEqualTo(Instant.parse("2026-03-29T01:30:00Z"));
    // 2026-10-25: London goes back from 02:00 BST to 01:00 GMT; 01:30 happens twice. One slot, the first.
    Trigger repeat = Trigger.dailyAt(LocalTime.of(1, 30), LONDON);
    Instant first = repeat.nextSlotAfter(Instant.parse("2026-10-24T12:00:00Z"));
    assertThat(first).isEqualTo(Instant.parse("2026-10-25T00:30:00Z"));
    assertThat(repeat.nextSlotAfter(first)).isEqualTo(Instant.parse("2026-10-26T01:30:00Z"));
    // New York, 2026-03-08: 02:30 does not exist.
    Trigger ny = Trigger.dailyAt(LocalTime.of(2, 30), NEW_YORK);
    assertThat(ny.nextSlotAfter(Instant.parse("2026-03-07T12:00:00Z"))).isEqualTo(Instant.parse("2026-03-08T07:30:00Z"));
  }

  @Test
  void latestSlotOfADailyTriggerIsTheSameDayOrTheDayBefore() {
    Trigger t = Trigger.dailyAt(LocalTime.of(2, 30), ZoneId.of("UTC"));
    assertThat(t.latestSlotAtOrBefore(Instant.parse("2026-11-01T02:29:59Z"))).isEqualTo(Instant.parse("2026-10-31T02:30:00Z"));
    assertThat(t.latestSlotAtOrBefore(Instant.parse("2026-11-01T02:30:00Z"))).isEqualTo(Instant.parse("2026-11-01T02:30:00Z"));
  }

  @Test
  void cronExpressionsAreReadInTheirZone() {
    Trigger t = Trigger.cron("30 2 * * 1-5", LONDON);
    // Friday 2026-07-10 after 02:30 BST -> next is Monday 2026-07-13 02:30 BST = 01:30 UTC
    assertThat(t.nextSlotAfter(Instant.parse("2026-07-10T03:00:00Z"))).isEqualTo(Instant.parse("2026-07-13T01:30:00Z"));
    assertThat(t.latestSlotAtOrBefore(Instant.parse("2026-07-13T01:30:00Z"))).isEqualTo(Instant.parse("2026-07-13T01:30:00Z"));
    assertThat(t.latestSlotAtOrBefore(Instant.parse("2026-07-13T01:29:00Z"))).isEqualTo(Instant.parse("2026-07-10T01:30:00Z"));
    assertThatThrownBy(() -> Trigger.cron("61 * * * *", LONDON)).hasMessageContaining("cron '61 * * * *'");
    assertThatThrownBy(() -> Trigger.cron("every day", LONDON)).isInstanceOf(IllegalArgumentException.class);
  }
}
