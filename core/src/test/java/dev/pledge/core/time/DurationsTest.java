package dev.pledge.core.time;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Period;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsTest {

  @ParameterizedTest(name = "{0} = {1}")
  @CsvSource(delimiter = '|', value = {
      "5m|PT5M",
      "5 m|PT5M",
      "120 minutes|PT2H",
      "1 minute|PT1M",
      "6h|PT6H",
      "48 hours|PT48H",
      "7d|PT168H",
      "30 days|PT720H",
      "2w|PT336H",
      "1.5h|PT1H30M",
      "1h30m|PT1H30M",
      "1h 30m|PT1H30M",
      "1 hour, 30 minutes|PT1H30M",
      "1 hour and 30 minutes|PT1H30M",
      "250ms|PT0.25S",
      "90s|PT1M30S",
      "10 SECONDS|PT10S",
      "3 Hrs|PT3H",
      "PT2H|PT2H",
      "pt2h|PT2H",
      "P7D|PT168H",
      "PT1H30M|PT1H30M",
      "1ns|PT0.000000001S",
      "0s|PT0S",
      "  5m  |PT5M",
  })
  void parsesTheFormsPeopleWrite(String text, String iso) {
    assertThat(Durations.parse(text)).isEqualTo(Duration.parse(iso));
  }

  @ParameterizedTest(name = "rejects [{0}]")
  @CsvSource(delimiter = '|', value = {
      "''|empty duration",
      "'   '|empty duration",
      "5|needs a unit",
      "-5m|must not be negative",
      "+5m|takes no sign",
      "PT-5M|must not be negative",
      "5 fortnights|unknown unit 'fortnights'",
      "3 months|calendar period",
      "1y|calendar period",
      "P3M|not an ISO-8601 duration",
      "PT|not an ISO-8601 duration",
      "m5|expected a number",
      "5m5m|given twice",
      "1.2.3h|is not a number",
      "0.5ns|not a whole number of nanoseconds",
      "5m;|unexpected ';'",
      "99999999999999999999d|too long",
  })
  void rejectsWithAMessageThatSaysWhy(String text, String why) {
    assertThatThrownBy(() -> Durations.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(why);
  }

  @Test
  void theMessageQuotesTheInput() {
    assertThatThrownBy(() -> Durations.parse("5 fortnights")).hasMessageStartingWith("'5 fortnights'");
  }

  @ParameterizedTest
  @ValueSource(strings = {"0s", "0m", "PT0S", "0 hours"})
  void parsePositiveRejectsZero(String text) {
    assertThatThrownBy(() -> Durations.parsePositive(text)).hasMessageContaining("greater than zero");
  }

  @ParameterizedTest(name = "{0} = {1}")
  @CsvSource(delimiter = '|', value = {
      "3 months|P3M",
      "1 month|P1M",
      "3mo|P3M",
      "1 year|P1Y",
      "2y|P2Y",
      "1 year 6 months|P1Y6M",
      "7d|P7D",
      "2 weeks|P14D",
      "P3M|P3M",
      "p1y|P1Y",
  })
  void periodsStayCalendarPeriods(String text, String iso) {
    assertThat(Durations.parsePeriod(text)).isEqualTo(Period.parse(iso));
  }

  @Test
  void threeMonthsIsNotNinetyDays() {
    assertThat(Durations.parsePeriod("3 months")).isNotEqualTo(Period.ofDays(90));
    assertThat(Durations.parsePeriod("3 months").getMonths()).isEqualTo(3);
  }

  @ParameterizedTest(name = "rejects period [{0}]")
  @CsvSource(delimiter = '|', value = {
      "''|empty period",
      "3m|means minutes; write",
      "5h|not a calendar unit",
      "1.5 months|whole months",
      "0 months|greater than zero",
      "P0D|greater than zero",
      "-1y|takes no sign",
      "P-1M|must not be negative",
      "Pnope|not an ISO-8601 period",
      "3|needs a unit",
  })
  void rejectsBadPeriods(String text, String why) {
    assertThatThrownBy(() -> Durations.parsePeriod(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(why);
  }

  @ParameterizedTest(name = "{0} formats as {1}")
  @CsvSource(delimiter = '|', value = {
      "PT2H|2h",
      "PT1H30M|1h30m",
      "PT168H|7d",
      "PT0.25S|250ms",
      "PT0S|0s",
      "PT0.000001S|1us",
      "PT0.000000007S|7ns",
      "PT26H1M1S|1d2h1m1s",
  })
  void formatsShortlyAndParsesBack(String iso, String text) {
    Duration d = Duration.parse(iso);
    assertThat(Durations.format(d)).isEqualTo(text);
    assertThat(Durations.parse(text)).isEqualTo(d);
  }

  @Test
  void formatsPeriodsAsWordsThatParseBack() {
    assertThat(Durations.formatPeriod(Period.ofMonths(3))).isEqualTo("3 months");
    assertThat(Durations.formatPeriod(Period.of(1, 6, 1))).isEqualTo("1 year 6 months 1 day");
    assertThat(Durations.parsePeriod(Durations.formatPeriod(Period.of(1, 6, 1)))).isEqualTo(Period.of(1, 6, 1));
  }

  @Test
  void rejectsNegativeWhenFormatting() {
    assertThatThrownBy(() -> Durations.format(Duration.ofSeconds(-1))).isInstanceOf(IllegalArgumentException.class);
  }
}
