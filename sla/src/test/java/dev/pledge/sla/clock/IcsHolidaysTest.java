package dev.pledge.sla.clock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pledge.core.policy.PolicyException;
import dev.pledge.core.policy.PolicyLoader;
import dev.pledge.sla.severity.SlaPolicy;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.io.TempDir;

class IcsHolidaysTest {
  private static final ZoneId LONDON = ZoneId.of("Europe/London");
  private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");

  private static Path closures() throws URISyntaxException {
    return Path.of(IcsHolidaysTest.class.getResource("/ics/london-closures.ics").toURI());
  }

  private static String ics(String... eventLines) {
    return "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//EN\r\nBEGIN:VEVENT\r\nUID:1\r\n"
        + String.join("\r\n", eventLines) + "\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
  }

  @Test
  void aRealShapedCalendarGivesWholeDayClosuresOnly() throws Exception {
    // folded lines, VTIMEZONE (whose DTSTART and RRULE are not events), multi-day, quoted TZID,
    // a half-day closure that removes no whole day, and a cancelled event
    assertThat(IcsHolidays.read(closures(), LONDON)).containsExactly(
        LocalDate.of(2026, 12, 25), LocalDate.of(2026, 12, 28), LocalDate.of(2027, 1, 1),
        LocalDate.of(2027, 3, 29), LocalDate.of(2027, 3, 30));
  }

  @Test
  void timedEventsAreCutIntoWholeDaysOfTheCalendarsZoneAcrossDst() {
    // 24 hours of London time on the spring-forward day is 23 hours long and still one whole day
    String spring = ics("DTSTART;TZID=Europe/London:20270328T000000", "DTEND;TZID=Europe/London:20270329T000000");
    assertThat(IcsHolidays.parse("s.ics", spring, LONDON)).containsExactly(LocalDate.of(2027, 3, 28));
    // the New York fall-back Sunday lasts 25 hours: a UTC event covering it exactly is one day there
    String fallBack = ics("DTSTART:20261101T040000Z", "DTEND:20261102T050000Z");
    assertThat(IcsHolidays.parse("f.ics", fallBack, NEW_YORK)).containsExactly(LocalDate.of(2026, 11, 1));
    // the same instants read in London cover no whole London day
    assertThat(IcsHolidays.parse("f.ics", fallBack, LONDON)).isEmpty();
    // a floating time is read in the calendar's zone
    String floating = ics("DTSTART:20261126T000000", "DTEND:20261128T000000");
    assertThat(IcsHolidays.parse("t.ics", floating, NEW_YORK))
        .containsExactly(LocalDate.of(2026, 11, 26), LocalDate.of(2026, 11, 27));
  }

  @Test
  void problemsNameTheSourceAndLine() {
    assertThatThrownBy(() -> IcsHolidays.parse("r.ics", ics("DTSTART;VALUE=DATE:20261225", "RRULE:FREQ=WEEKLY"), LONDON))
        .hasMessage("r.ics:7: RRULE FREQ=WEEKLY is not supported; a repeating holiday is FREQ=YEARLY,"
            + " or an RDATE list");
    assertThatThrownBy(() -> IcsHolidays.parse("d.ics", ics("DTSTART;VALUE=DATE:20261325"), LONDON))
        .hasMessage("d.ics:6: '20261325' is not a date such as 20261225");
    assertThatThrownBy(() -> IcsHolidays.parse("z.ics",
        ics("DTSTART;TZID=Europe/Londres:20261224T000000", "DTEND;TZID=Europe/Londres:20261225T000000"), LONDON))
        .hasMessage("z.ics:6: unknown TZID 'Europe/Londres' (use a region id such as Europe/London, or a Windows"
            + " zone name such as GMT Standard Time)");
    assertThatThrownBy(() -> IcsHolidays.parse("e.ics", ics("DTSTART;VALUE=DATE:20261225", "DTEND;VALUE=DATE:20261225"), LONDON))
        .hasMessage("e.ics:7: DTEND 20261225 is not after DTSTART 20261225");
    assertThatThrownBy(() -> IcsHolidays.parse("n.ics", ics("SUMMARY:no start"), LONDON))
        .hasMessage("n.ics:4: VEVENT has no DTSTART");
    assertThatThrownBy(() -> IcsHolidays.parse("x.ics", "holidays: [2026-12-25]\n", LONDON))
        .hasMessage("x.ics:1: not an iCalendar file: no BEGIN:VCALENDAR");
    assertThatThrownBy(() -> IcsHolidays.read(Path.of("/nonexistent/holidays.ics"), LONDON))
        .hasMessage("holiday calendar /nonexistent/holidays.ics does not exist");
  }

  @Test
  void yearlyRulesRdatesExdatesAndMovedInstancesOfARealShapedCalendarAreExpanded() throws Exception {
    Path file = Path.of(IcsHolidaysTest.class.getResource("/ics/london-closures-repeating.ics").toURI());
    assertThat(IcsHolidays.read(file, LONDON)).containsExactly(
        LocalDate.of(2026, 12, 25), LocalDate.of(2026, 12, 26), // Christmas and Boxing Day, yearly
        LocalDate.of(2027, 1, 1), // New Year, COUNT=2
        LocalDate.of(2027, 3, 28), // stocktake: 00:00-00:00 on the 23-hour spring-forward Sunday
        LocalDate.of(2027, 3, 29), // Easter Monday, the DTSTART of an RDATE list
        LocalDate.of(2027, 12, 25), // Boxing Day 2027 is an EXDATE
        LocalDate.of(2028, 1, 1),
        LocalDate.of(2028, 2, 29), // leap day: leap years only
        LocalDate.of(2028, 4, 17), // RDATE, folded over two lines
        LocalDate.of(2028, 12, 25), // Christmas UNTIL 2028-12-31
        LocalDate.of(2028, 12, 27), // Boxing Day 2028 moved by a RECURRENCE-ID instance
        LocalDate.of(2029, 3, 28), // stocktake every other year, still a whole day of 24 hours
        LocalDate.of(2029, 4, 2),
        LocalDate.of(2032, 2, 29));
    // the afternoon-only summer party repeats yearly yet never removes a whole day
  }

  @Test
  void anUnboundedYearlyRuleIsExpandedForTheDocumentedHorizon() {
    List<LocalDate> days = IcsHolidays.parse("y.ics", ics("DTSTART;VALUE=DATE:20261225", "RRULE:FREQ=YEARLY"), LONDON);
    assertThat(days).hasSize(IcsHolidays.HORIZON_YEARS + 1)
        .startsWith(LocalDate.of(2026, 12, 25), LocalDate.of(2027, 12, 25))
        .endsWith(LocalDate.of(2026 + IcsHolidays.HORIZON_YEARS, 12, 25));
    // a cancelled repeating event gives nothing
    assertThat(IcsHolidays.parse("c.ics", ics("DTSTART;VALUE=DATE:20261225", "RRULE:FREQ=YEARLY", "STATUS:CANCELLED"),
        LONDON)).isEmpty();
  }

  @Test
  void aTimedRdateIsReadInItsOwnZoneAndKeepsTheEventsLength() {
    // New York's whole Thanksgiving day, repeated by RDATE date-times in New York time
    String thanksgiving = ics("DTSTART;TZID=America/New_York:20261126T000000",
        "DTEND;TZID=America/New_York:20261127T000000",
        "RDATE;TZID=America/New_York:20271125T000000,20281123T000000");
    assertThat(IcsHolidays.parse("t.ics", thanksgiving, NEW_YORK))
        .containsExactly(LocalDate.of(2026, 11, 26), LocalDate.of(2027, 11, 25), LocalDate.of(2028, 11, 23));
    // the same events cover no whole London day
    assertThat(IcsHolidays.parse("t.ics", thanksgiving, LONDON)).isEmpty();
  }

  @Test
  void weekdayRulesOfARealShapedBankHolidayCalendarAreExpandedOverSeveralYears() throws Exception {
    Path file = Path.of(IcsHolidaysTest.class.getResource("/ics/bank-holidays-byday.ics").toURI());
    assertThat(IcsHolidays.read(file, LONDON)).containsExactly(
        LocalDate.of(2026, 5, 4), // early May: BYDAY=1MO, its DTSTART an instance of its own rule
        LocalDate.of(2026, 5, 25), // spring: BYDAY=-1MO, COUNT=4
        LocalDate.of(2026, 6, 1), // company day: DTSTART is the first instance though it is no last Friday
        LocalDate.of(2026, 6, 26), // ... and the rule's own last Friday of June in DTSTART's year follows
        LocalDate.of(2026, 8, 31), // summer: BYDAY=-1MO of August
        LocalDate.of(2026, 11, 26), // Thanksgiving: BYDAY=4TH, INTERVAL=2, COUNT=3
        LocalDate.of(2027, 5, 3),
        // spring 2027 (31 May) is an EXDATE yet still one of the COUNT, the jubilee day is a single event
        LocalDate.of(2027, 6, 3),
        LocalDate.of(2027, 6, 25), // company day COUNT=3 counts DTSTART: 1 June 2026, 26 June 2026, 25 June 2027
        LocalDate.of(2027, 8, 30),
        LocalDate.of(2028, 5, 5), // early May 2028 (1 May) moved to the Friday by a RECURRENCE-ID instance
        LocalDate.of(2028, 5, 29),
        LocalDate.of(2028, 8, 28), // summer UNTIL=20280828: UNTIL is inclusive when it is an instance
        LocalDate.of(2028, 11, 23),
        LocalDate.of(2029, 5, 7), // early May UNTIL 2029-12-31
        LocalDate.of(2029, 5, 28), // the fourth spring holiday of COUNT=4
        LocalDate.of(2030, 11, 28)); // the third Thanksgiving, two years on
  }

  @Test
  void aTimedWeekdayRuleKeepsItsOwnZonesLocalDays() {
    // US Thanksgiving as a whole New York day: the fourth Thursday of November in New York time
    String thanksgiving = ics("DTSTART;TZID=America/New_York:20261126T000000",
        "DTEND;TZID=America/New_York:20261127T000000", "RRULE:FREQ=YEARLY;BYMONTH=11;BYDAY=4TH;COUNT=3");
    assertThat(IcsHolidays.parse("t.ics", thanksgiving, NEW_YORK))
        .containsExactly(LocalDate.of(2026, 11, 26), LocalDate.of(2027, 11, 25), LocalDate.of(2028, 11, 23));
    assertThat(IcsHolidays.parse("t.ics", thanksgiving, LONDON)).isEmpty();
  }

  @ParameterizedTest(name = "{1}")
  @CsvSource(delimiter = '|', value = {
      // a fifth Friday of January exists in 2026 and 2027 only, up to 2030: the other years have none
      "20260130|FREQ=YEARLY;BYMONTH=1;BYDAY=5FR;UNTIL=20301231|2026-01-30 2027-01-29",
      "20260102|FREQ=YEARLY;BYMONTH=1;BYDAY=-5FR;UNTIL=20301231|2026-01-02 2027-01-01",
      "20260102|FREQ=YEARLY;BYMONTH=1;BYDAY=+1FR;COUNT=2|2026-01-02 2027-01-01",
      // without an ordinal, BYDAY under BYMONTH is every such weekday of the month (RFC 5545 3.3.10)
      "20260807|FREQ=YEARLY;BYMONTH=8;BYDAY=FR;COUNT=6|2026-08-07 2026-08-14 2026-08-21 2026-08-28 2027-08-06 2027-08-13",
      // lists of months and weekdays, lower case as some exporters write them
      "20260525|freq=yearly;bymonth=5,8;byday=-1mo;count=4|2026-05-25 2026-08-31 2027-05-31 2027-08-30",
      "20260504|FREQ=YEARLY;BYMONTH=5;BYDAY=1MO,-1MO;COUNT=4|2026-05-04 2026-05-25 2027-05-03 2027-05-31",
      // DTSTART not an instance of its rule is still the first one, counted by COUNT (RFC 5545 3.3.10, 3.8.5.3)
      "20261225|FREQ=YEARLY;BYMONTH=5;BYDAY=-1MO;COUNT=3|2026-12-25 2027-05-31 2028-05-29",
      "20261225|FREQ=YEARLY;BYMONTH=12;BYDAY=-1MO;COUNT=3|2026-12-25 2026-12-28 2027-12-27",
      // BYMONTH alone keeps DTSTART's day of the month; BYMONTHDAY alone repeats in every month
      "20261225|FREQ=YEARLY;BYMONTH=5;COUNT=3|2026-12-25 2027-05-25 2028-05-25",
      "20261225|FREQ=YEARLY;BYMONTHDAY=26;COUNT=3|2026-12-25 2026-12-26 2027-01-26",
      // a negative BYMONTHDAY counts from the month's end; the 30th of February never is
      "20270228|FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=-1;COUNT=3|2027-02-28 2028-02-29 2029-02-28",
      "20260331|FREQ=YEARLY;BYMONTH=2,3;BYMONTHDAY=30;COUNT=3|2026-03-31 2027-03-30 2028-03-30",
  })
  void yearlyRulesFollowRfc5545(String start, String rule, String expected) {
    List<LocalDate> want = java.util.Arrays.stream(expected.split(" ")).map(LocalDate::parse).toList();
    assertThat(IcsHolidays.parse("r.ics", ics("DTSTART;VALUE=DATE:" + start, "RRULE:" + rule), LONDON))
        .containsExactlyElementsOf(want);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
      "RRULE:FREQ=MONTHLY|RRULE FREQ=MONTHLY is not supported; a repeating holiday is FREQ=YEARLY, or an RDATE list",
      "RRULE:COUNT=3|RRULE FREQ=(missing) is not supported; a repeating holiday is FREQ=YEARLY, or an RDATE list",
      "RRULE:FREQ=YEARLY;BYDAY=-1MO|RRULE BYDAY without BYMONTH (weekdays counted through the whole year) is not supported; name the month, as in BYMONTH=5;BYDAY=-1MO",
      "RRULE:FREQ=YEARLY;BYMONTH=5;BYDAY=6MO|RRULE BYDAY value '6MO' has ordinal 6; within a month it is 1..5 or -5..-1",
      "RRULE:FREQ=YEARLY;BYMONTH=5;BYDAY=0MO|RRULE BYDAY value '0MO' has ordinal 0; within a month it is 1..5 or -5..-1",
      "RRULE:FREQ=YEARLY;BYMONTH=5;BYDAY=MONDAY|RRULE BYDAY value 'MONDAY' is not a weekday such as MO, 1MO or -1MO",
      "RRULE:FREQ=YEARLY;BYMONTH=5;BYDAY=-1MO;BYSETPOS=1|RRULE part BYSETPOS is not supported; a repeating holiday is FREQ=YEARLY on DTSTART's date or on BYMONTH with BYMONTHDAY or BYDAY, with optional COUNT, UNTIL or INTERVAL, or an RDATE list",
      "RRULE:FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=25;BYDAY=FR|RRULE BYDAY together with BYMONTHDAY is not supported; use one of them",
      "RRULE:FREQ=YEARLY;BYMONTH=13|RRULE BYMONTH value '13' is not 1..12",
      "RRULE:FREQ=YEARLY;BYMONTHDAY=0|RRULE BYMONTHDAY value '0' is not 1..31 or -31..-1",
      "RRULE:FREQ=YEARLY;COUNT=2;UNTIL=20301231|RRULE has both COUNT and UNTIL; RFC 5545 allows one",
      "RRULE:FREQ=YEARLY;COUNT=0|RRULE COUNT must be a whole number of at least 1, got '0'",
      "RRULE:FREQ=YEARLY;UNTIL=2030|'2030' is not a date-time such as 20261224T170000",
      "RDATE;VALUE=PERIOD:20271225T000000Z/PT24H|RDATE;VALUE=PERIOD is not supported; give dates or date-times",
      "RDATE;VALUE=DATE:20271325|'20271325' is not a date such as 20261225",
  })
  void otherRecurrencesAreRefusedNamingTheLine(String line, String problem) {
    assertThatThrownBy(() -> IcsHolidays.parse("r.ics", ics("DTSTART;VALUE=DATE:20261225", line), LONDON))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("r.ics:7: " + problem);
  }

  @Test
  void aPolicyCalendarMergesItsIcsHolidaysIntoItsList(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("closures.ics");
    Files.copy(closures(), file);
    String yaml = "sla:\n  tiers:\n    - rank: 1\n      respondWithin: 2h\n      calendar: office\n"
        + "  calendars:\n    office:\n      zone: Europe/London\n      hours: 09:00-17:30\n"
        + "      holidays: [2027-05-03]\n      holidaysIcs: " + file + "\n";
    SlaPolicy p = PolicyLoader.create().load("p.yaml", yaml).require(SlaPolicy.class);
    assertThat(p.calendars().get("office").holidays()).containsExactly(LocalDate.of(2026, 12, 25),
        LocalDate.of(2026, 12, 28), LocalDate.of(2027, 1, 1), LocalDate.of(2027, 3, 29), LocalDate.of(2027, 3, 30),
        LocalDate.of(2027, 5, 3));
    // Thursday 24 Dec 16:00Z + 6 working hours: Friday 25th and Monday 28th are closed -> Tuesday 29th 13:30Z
    assertThat(p.calendar("office").plus(Instant.parse("2026-12-24T16:00:00Z"), Duration.ofHours(6)))
        .isEqualTo(Instant.parse("2026-12-29T13:30:00Z"));
    String missing = yaml.replace(file.toString(), dir.resolve("nope.ics").toString());
    assertThatThrownBy(() -> PolicyLoader.create().load("p.yaml", missing))
        .isInstanceOf(PolicyException.class)
        .hasMessageContaining("p.yaml:8:")
        .hasMessageContaining("sla.calendars.office")
        .hasMessageContaining("nope.ics does not exist");
  }
}
