package dev.pledge.sla.clock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Hostile or broken iCalendar input is refused quickly, naming the line (issue 19). */
class IcsHolidaysBoundsTest {
  private static final ZoneId LONDON = ZoneId.of("Europe/London");

  private static String ics(String... eventLines) {
    return "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//EN\r\nBEGIN:VEVENT\r\nUID:1\r\n"
        + String.join("\r\n", eventLines) + "\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
  }

  @Test
  void anEventSpanningTheWholeCalendarIsRefusedNotExpanded() {
    // 3.65 million dates and 265 MB before; a rule to year 9999 never finished
    assertThatThrownBy(() -> IcsHolidays.parse("w.ics",
        ics("DTSTART;VALUE=DATE:00010101", "DTEND;VALUE=DATE:99991231", "RRULE:FREQ=YEARLY;UNTIL=99991231"), LONDON))
        .hasMessageStartingWith("w.ics:7: ").hasMessageContaining("at most " + IcsHolidays.MAX_DAYS_PER_INSTANCE);
    assertThatThrownBy(() -> IcsHolidays.parse("t.ics",
        ics("DTSTART:00010101T000000Z", "DTEND:99991231T000000Z"), LONDON))
        .hasMessageStartingWith("t.ics:7: ").hasMessageContaining("at most " + IcsHolidays.MAX_DAYS_PER_INSTANCE);
  }

  @Test
  void aRuleWithTooManyInstancesIsRefusedNamingItsLine() {
    assertThatThrownBy(() -> IcsHolidays.parse("r.ics",
        ics("DTSTART;VALUE=DATE:00010101", "RRULE:FREQ=YEARLY;UNTIL=99991231"), LONDON))
        .hasMessageStartingWith("r.ics:7: ")
        .hasMessageContaining("more than " + IcsHolidays.MAX_INSTANCES_PER_EVENT + " instances");
    // every day of the month for fifty years
    assertThatThrownBy(() -> IcsHolidays.parse("r.ics",
        ics("DTSTART;VALUE=DATE:20260101", "RRULE:FREQ=YEARLY;BYMONTH=1,2,3,4,5,6,7,8,9,10,11,12;BYDAY=MO,TU,WE,TH,FR,SA,SU"), LONDON))
        .hasMessageStartingWith("r.ics:7: ").hasMessageContaining("instances");
    // within the cap: a yearly rule to 9999 with a large interval is fine
    assertThat(IcsHolidays.parse("r.ics",
        ics("DTSTART;VALUE=DATE:20261225", "RRULE:FREQ=YEARLY;INTERVAL=1000;UNTIL=99991231"), LONDON))
        .hasSize(8).first().isEqualTo(LocalDate.of(2026, 12, 25));
  }

  @Test
  void aFileWithTooManyDatesIsRefused() {
    StringBuilder b = new StringBuilder("BEGIN:VCALENDAR\r\n");
    for (int i = 0; i < 60; i++) {
      b.append("BEGIN:VEVENT\r\nUID:").append(i).append("\r\nDTSTART;VALUE=DATE:").append(2000 + i)
          .append("0101\r\nDTEND;VALUE=DATE:").append(2000 + i).append("1231\r\nEND:VEVENT\r\n");
    }
    b.append("END:VCALENDAR\r\n");
    assertThatThrownBy(() -> IcsHolidays.parse("f.ics", b.toString(), LONDON))
        .hasMessageStartingWith("f.ics: ")
        .hasMessageContaining("more than " + IcsHolidays.MAX_DATES_PER_FILE + " holiday dates");
  }

  @Test
  void aHugeIntervalDoesNotOverflow() {
    assertThat(IcsHolidays.parse("i.ics",
        ics("DTSTART;VALUE=DATE:20261225", "RRULE:FREQ=YEARLY;INTERVAL=2147483647"), LONDON))
        .containsExactly(LocalDate.of(2026, 12, 25));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
      "DTSTART;VALUE=DATE:-120261224|'-120261224' is not a date such as 20261225",
      "DTSTART;VALUE=DATE:+20261224|'+20261224' is not a date such as 20261225",
      "DTSTART;VALUE=DATE:00001224|'00001224' is not a date such as 20261225 (years 1 to 9999)",
      "DTSTART;VALUE=DATE:2026-12-24|'2026-12-24' is not a date such as 20261225",
      ";:x|not an iCalendar content line (no property name): ';:x'",
      ":x|not an iCalendar content line (no property name): ':x'",
      "DT START:20261224|not an iCalendar content line (property name 'DT START'): 'DT START:20261224'",
  })
  void malformedLinesAreErrorsNamingTheLine(String line, String problem) {
    assertThatThrownBy(() -> IcsHolidays.parse("m.ics", ics(line), LONDON))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("m.ics:6: " + problem);
  }

  @Test
  void signedOrShortDateTimesAreErrorsNamingTheLine() {
    assertThatThrownBy(() -> IcsHolidays.parse("m.ics", ics("DTSTART:+0261224T000000", "DTEND:20261225T000000Z"), LONDON))
        .hasMessage("m.ics:6: '+0261224T000000' is not a date-time such as 20261224T170000");
    assertThatThrownBy(() -> IcsHolidays.parse("m.ics", ics("DTSTART:00001224T000000Z", "DTEND:20261225T000000Z"), LONDON))
        .hasMessage("m.ics:6: '00001224T000000Z' is not a date-time such as 20261224T170000 (years 1 to 9999)");
  }

  @Test
  void unfoldingIsLinear() {
    // 1.2 MB of continuation lines took 16 s when each one copied the line so far
    StringBuilder b = new StringBuilder("BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:1\r\nDTSTART;VALUE=DATE:20261225\r\nDESCRIPTION:x");
    for (int i = 0; i < 200_000; i++) {
      b.append("\r\n yyyy");
    }
    b.append("\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n");
    assertThat(IcsHolidays.parse("u.ics", b.toString(), LONDON)).containsExactly(LocalDate.of(2026, 12, 25));
  }

  @Test
  void aFileLargerThanTheCapIsRefused() {
    String big = "BEGIN:VCALENDAR\r\n" + "X-PAD:".concat("x".repeat(IcsHolidays.MAX_CHARACTERS)) + "\r\nEND:VCALENDAR\r\n";
    assertThatThrownBy(() -> IcsHolidays.parse("b.ics", big, LONDON))
        .hasMessageStartingWith("b.ics: ").hasMessageContaining("larger than");
  }

  @Test
  void windowsZoneNamesFromOutlookAreMappedToTheirRegion() {
    String outlook = ics("DTSTART;TZID=GMT Standard Time:20270328T000000", "DTEND;TZID=GMT Standard Time:20270329T000000");
    assertThat(IcsHolidays.parse("o.ics", outlook, LONDON)).containsExactly(LocalDate.of(2027, 3, 28));
    String eastern = ics("DTSTART;TZID=\"Eastern Standard Time\":20261126T000000",
        "DTEND;TZID=\"Eastern Standard Time\":20261127T000000");
    assertThat(IcsHolidays.parse("o.ics", eastern, ZoneId.of("America/New_York")))
        .containsExactly(LocalDate.of(2026, 11, 26));
    assertThatThrownBy(() -> IcsHolidays.parse("z.ics",
        ics("DTSTART;TZID=Mars Standard Time:20261224T000000", "DTEND;TZID=Mars Standard Time:20261225T000000"), LONDON))
        .hasMessage("z.ics:6: unknown TZID 'Mars Standard Time' (use a region id such as Europe/London,"
            + " or a Windows zone name such as GMT Standard Time)");
  }

  @Test
  void everyWindowsZoneOfTheTableNamesARegionThisJavaKnows() {
    Map<String, String> table = WindowsZones.table();
    assertThat(table).hasSizeGreaterThan(120);
    table.forEach((windows, iana) -> assertThat(ZoneId.of(iana)).as(windows).isNotNull());
    assertThat(List.of(table.get("GMT Standard Time"), table.get("W. Europe Standard Time"),
        table.get("Pacific Standard Time"), table.get("Tokyo Standard Time")))
        .containsExactly("Europe/London", "Europe/Berlin", "America/Los_Angeles", "Asia/Tokyo");
    assertThat(WindowsZones.of(" gmt standard time ")).contains(LONDON);
  }
}
