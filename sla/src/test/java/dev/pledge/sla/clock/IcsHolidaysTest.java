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
import org.junit.jupiter.api.Test;
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
    assertThatThrownBy(() -> IcsHolidays.parse("r.ics", ics("DTSTART;VALUE=DATE:20261225", "RRULE:FREQ=YEARLY"), LONDON))
        .hasMessage("r.ics:7: RRULE (a repeating event) is not supported; list each holiday as its own event");
    assertThatThrownBy(() -> IcsHolidays.parse("d.ics", ics("DTSTART;VALUE=DATE:20261325"), LONDON))
        .hasMessage("d.ics:6: '20261325' is not a date such as 20261225");
    assertThatThrownBy(() -> IcsHolidays.parse("z.ics",
        ics("DTSTART;TZID=GMT Standard Time:20261224T000000", "DTEND;TZID=GMT Standard Time:20261225T000000"), LONDON))
        .hasMessage("z.ics:6: unknown TZID 'GMT Standard Time' (use a region id such as Europe/London)");
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
