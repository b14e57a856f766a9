package dev.pledge.sla.clock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class BusinessCalendarTest {
  private static final ZoneId LONDON = ZoneId.of("Europe/London");
  private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
  private static final EnumSet<DayOfWeek> WEEKDAYS = EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.FRIDAY);

  private final BusinessCalendar office = BusinessCalendar.businessHours(LONDON, WEEKDAYS,
      LocalTime.of(9, 0), LocalTime.of(17, 30), List.of(LocalDate.of(2026, 12, 25), LocalDate.of(2026, 12, 28)));

  @Test
  void deadlinesSkipNightsWeekendsAndHolidays() {
    // Thursday 24 Dec 2026 16:00 GMT + 6h: 1.5h on Thursday; Friday 25th and Monday 28th are holidays;
    // the weekend is closed; 4.5h more on Tuesday 29th from 09:00 -> 13:30 GMT
    assertThat(office.plus(Instant.parse("2026-12-24T16:00:00Z"), Duration.ofHours(6)))
        .isEqualTo(Instant.parse("2026-12-29T13:30:00Z"));
    // opened at night: the clock starts at 09:00
    assertThat(office.plus(Instant.parse("2026-11-03T22:15:00Z"), Duration.ofMinutes(120)))
        .isEqualTo(Instant.parse("2026-11-04T11:00:00Z"));
    // exactly filling a day ends at the close, not the next opening
    assertThat(office.plus(Instant.parse("2026-11-04T09:00:00Z"), Duration.ofMinutes(510)))
        .isEqualTo(Instant.parse("2026-11-04T17:30:00Z"));
    assertThat(office.between(Instant.parse("2026-12-24T16:00:00Z"), Instant.parse("2026-12-29T13:30:00Z")))
        .isEqualTo(Duration.ofHours(6));
  }

  @Test
  void londonSummerHoursAreReadInLocalTime() {
    // 1 July 2026: BST, so 09:00 local is 08:00Z
    assertThat(office.plus(Instant.parse("2026-07-01T07:00:00Z"), Duration.ofHours(1)))
        .isEqualTo(Instant.parse("2026-07-01T09:00:00Z"));
    assertThat(office.isWorking(Instant.parse("2026-07-01T16:29:00Z"))).isTrue();
    assertThat(office.isWorking(Instant.parse("2026-07-01T16:30:00Z"))).isFalse();
  }

  @Test
  void londonAcrossTheAutumnChangeCountsLocalHours() {
    // Friday 23 Oct 2026 17:00 BST (16:00Z) + 2h: 30 min Friday, 90 min Monday 26 Oct (GMT) -> 10:30Z
    assertThat(office.plus(Instant.parse("2026-10-23T16:00:00Z"), Duration.ofHours(2)))
        .isEqualTo(Instant.parse("2026-10-26T10:30:00Z"));
  }

  @Test
  void hoursThatOpenInsideTheSpringGapOpenAfterIt() {
    // London springs forward at 01:00 GMT on Sunday 28 March 2027: 01:00-02:00 local does not exist
    BusinessCalendar night = BusinessCalendar.businessHours(LONDON, EnumSet.allOf(DayOfWeek.class),
        LocalTime.of(1, 30), LocalTime.of(4, 0), List.of());
    // 01:30 local is read with the offset before the gap (as java.time and RFC 5545 do): 01:30Z, which is
    // 02:30 BST; the window closes at 04:00 BST (03:00Z): 1.5 hours that day, not 2.5
    assertThat(night.between(Instant.parse("2027-03-28T00:00:00Z"), Instant.parse("2027-03-28T12:00:00Z")))
        .isEqualTo(Duration.ofMinutes(90));
    assertThat(night.plus(Instant.parse("2027-03-28T00:00:00Z"), Duration.ofMinutes(30)))
        .isEqualTo(Instant.parse("2027-03-28T02:00:00Z"));
    // the day before, a normal GMT day: 2.5 hours
    assertThat(night.between(Instant.parse("2027-03-27T00:00:00Z"), Instant.parse("2027-03-27T12:00:00Z")))
        .isEqualTo(Duration.ofMinutes(150));
  }

  @Test
  void newYorkAcrossBothChanges() {
    BusinessCalendar ny = BusinessCalendar.businessHours(NEW_YORK, WEEKDAYS, LocalTime.of(9, 0),
        LocalTime.of(17, 0), List.of());
    // Friday 30 Oct 2026 16:00 EDT (20:00Z) + 2h: 1h Friday, then Monday 2 Nov 09:00 EST (14:00Z) + 1h
    assertThat(ny.plus(Instant.parse("2026-10-30T20:00:00Z"), Duration.ofHours(2)))
        .isEqualTo(Instant.parse("2026-11-02T15:00:00Z"));
    // Friday 12 Mar 2027 16:00 EST (21:00Z) + 2h: Monday 15 Mar 09:00 EDT is 13:00Z -> 14:00Z
    assertThat(ny.plus(Instant.parse("2027-03-12T21:00:00Z"), Duration.ofHours(2)))
        .isEqualTo(Instant.parse("2027-03-15T14:00:00Z"));
    // a whole-day calendar in New York: the fall-back Sunday lasts 25 hours
    BusinessCalendar sundays = BusinessCalendar.from(new CalendarSpec("America/New_York", null,
        List.of(DayOfWeek.SUNDAY), List.of()));
    assertThat(sundays.between(Instant.parse("2026-10-31T00:00:00Z"), Instant.parse("2026-11-03T00:00:00Z")))
        .isEqualTo(Duration.ofHours(25));
    assertThat(sundays.between(Instant.parse("2027-03-13T00:00:00Z"), Instant.parse("2027-03-16T00:00:00Z")))
        .isEqualTo(Duration.ofHours(23));
  }

  @Test
  void always24x7IsPlainArithmetic() {
    BusinessCalendar c = BusinessCalendar.from(new CalendarSpec("UTC", null, null, null));
    assertThat(c).isSameAs(BusinessCalendar.always());
    assertThat(c.plus(Instant.parse("2026-11-01T23:00:00Z"), Duration.ofHours(48)))
        .isEqualTo(Instant.parse("2026-11-03T23:00:00Z"));
  }

  @Test
  void subSecondStartsAreKept() {
    assertThat(office.plus(Instant.parse("2026-11-04T17:29:59.500Z"), Duration.ofSeconds(1)))
        .isEqualTo(Instant.parse("2026-11-05T09:00:00.500Z"));
  }

  @Test
  void aCalendarWithNoWorkingTimeFailsInsteadOfLooping() {
    List<LocalDate> everyDay = LocalDate.of(2026, 1, 1).datesUntil(LocalDate.of(2028, 1, 1)).toList();
    BusinessCalendar never = BusinessCalendar.businessHours(LONDON, WEEKDAYS, LocalTime.of(9, 0),
        LocalTime.of(17, 0), everyDay);
    assertThatThrownBy(() -> never.plus(Instant.parse("2026-03-01T00:00:00Z"), Duration.ofHours(1)))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("no working time");
    assertThatThrownBy(() -> new CalendarSpec("Mars/Olympus", null, null, null))
        .hasMessageContaining("unknown zone 'Mars/Olympus'");
  }
}
