package dev.pledge.sla.uptime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pledge.core.Percentage;
import dev.pledge.core.SiteId;
import dev.pledge.sla.maintenance.MaintenanceWindow;
import dev.pledge.sla.uptime.MaintenanceDecision.Reason;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class UptimeCalculatorTest {
  private static final SiteId SHOP = SiteId.of("shop");
  private static final ZoneId LONDON = ZoneId.of("Europe/London");
  private final UptimeCalculator utc = UptimeCalculator.builder().build();

  private static Instant t(String s) {
    return Instant.parse(s);
  }

  private static Outage outage(String start, Duration d) {
    return Outage.of(t(start), t(start).plus(d));
  }

  @ParameterizedTest(name = "{0}: {1} minutes, allowed {2} s")
  @CsvSource({
      // month, minutes (days * 1440), allowed downtime at 99.9% = minutes * 60 * 0.001 seconds
      "2026-02, 40320, 2419.2",   // 28 days
      "2028-02, 41760, 2505.6",   // 29 days (leap year)
      "2026-11, 43200, 2592",     // 30 days: 43 min 12 s
      "2026-10, 44640, 2678.4",   // 31 days: 44 min 38.4 s
  })
  void eachMonthHasItsRealLengthAndAllowance(String month, long minutes, String allowedSeconds) {
    MonthlyUptimeReport r = utc.report(SHOP, YearMonth.parse(month), List.of(), List.of());
    assertThat(r.minutes()).isEqualTo(minutes);
    assertThat(r.allowedDowntimeSeconds()).isEqualByComparingTo(allowedSeconds);
    assertThat(r.uptimePercent()).isEqualByComparingTo("100");
    assertThat(r.met()).isTrue();
  }

  @Test
  void thirtyDayMonthAllowsExactly43Min12S() {
    YearMonth nov = YearMonth.of(2026, 11);
    MonthlyUptimeReport atLimit = utc.report(SHOP, nov,
        List.of(outage("2026-11-05T10:00:00Z", Duration.ofMinutes(43).plusSeconds(12))), List.of());
    assertThat(atLimit.met()).isTrue();
    assertThat(atLimit.uptimePercent()).isEqualByComparingTo("99.9");
    assertThat(atLimit.budgetRemainingSeconds()).isEqualByComparingTo("0");

    MonthlyUptimeReport over = utc.report(SHOP, nov,
        List.of(outage("2026-11-05T10:00:00Z", Duration.ofMinutes(43).plusSeconds(13))), List.of());
    assertThat(over.met()).isFalse();
    // (2592000 - 2593) / 2592000 * 100 = 99.89996..., rounded down to 4 places
    assertThat(over.uptimePercent()).isEqualByComparingTo("99.8999");
    assertThat(over.budgetRemainingSeconds()).isEqualByComparingTo("-1");
  }

  @Test
  void thirtyOneDayMonthAllows44Min38Point4S() {
    YearMonth oct = YearMonth.of(2026, 10);
    Duration limit = Duration.ofMinutes(44).plusMillis(38_400);
    assertThat(utc.report(SHOP, oct, List.of(outage("2026-10-05T10:00:00Z", limit)), List.of()).met()).isTrue();
    MonthlyUptimeReport over = utc.report(SHOP, oct,
        List.of(outage("2026-10-05T10:00:00Z", limit.plusMillis(1))), List.of());
    assertThat(over.met()).isFalse();
    assertThat(over.budgetRemainingSeconds()).isEqualByComparingTo("-0.001");
  }

  @Test
  void februaryFigures() {
    // 28 days: 40 minutes down of 40320 is 99.90079...%, 41 minutes is 99.89831...%
    MonthlyUptimeReport feb40 = utc.report(SHOP, YearMonth.of(2026, 2),
        List.of(outage("2026-02-10T00:00:00Z", Duration.ofMinutes(40))), List.of());
    assertThat(feb40.uptimePercent()).isEqualByComparingTo("99.9007");
    assertThat(feb40.met()).isTrue();
    MonthlyUptimeReport feb41 = utc.report(SHOP, YearMonth.of(2026, 2),
        List.of(outage("2026-02-10T00:00:00Z", Duration.ofMinutes(41))), List.of());
    assertThat(feb41.uptimePercent()).isEqualByComparingTo("99.8983");
    assertThat(feb41.met()).isFalse();
    // 29 days: 41 minutes of 41760 is 99.90182...% and met; 42 minutes exceeds 41.76
    MonthlyUptimeReport leap41 = utc.report(SHOP, YearMonth.of(2028, 2),
        List.of(outage("2028-02-29T12:00:00Z", Duration.ofMinutes(41))), List.of());
    assertThat(leap41.uptimePercent()).isEqualByComparingTo("99.9018");
    assertThat(leap41.met()).isTrue();
    assertThat(utc.report(SHOP, YearMonth.of(2028, 2),
        List.of(outage("2028-02-29T12:00:00Z", Duration.ofMinutes(42))), List.of()).met()).isFalse();
  }

  @Test
  void londonMonthsWithClockChangesHaveAnHourLessOrMore() {
    UptimeCalculator london = UptimeCalculator.builder().zone(LONDON).build();
    // clocks go forward on 29 March 2026: 31 days less one hour
    MonthlyUptimeReport march = london.report(SHOP, YearMonth.of(2026, 3), List.of(), List.of());
    assertThat(march.minutes()).isEqualTo(44_580);
    assertThat(march.start()).isEqualTo(t("2026-03-01T00:00:00Z"));
    assertThat(march.end()).isEqualTo(t("2026-03-31T23:00:00Z"));
    assertThat(march.allowedDowntimeSeconds()).isEqualByComparingTo("2674.8");
    // clocks go back on 25 October 2026: 31 days and one hour, starting at midnight BST
    MonthlyUptimeReport october = london.report(SHOP, YearMonth.of(2026, 10), List.of(), List.of());
    assertThat(october.minutes()).isEqualTo(44_700);
    assertThat(october.start()).isEqualTo(t("2026-09-30T23:00:00Z"));
    assertThat(october.allowedDowntimeSeconds()).isEqualByComparingTo("2682");
  }

  @Test
  void anOutageAtLondonMidnightBelongsToTheLondonMonth() {
    UptimeCalculator london = UptimeCalculator.builder().zone(LONDON).build();
    // 22:30Z-23:30Z on 30 September is 23:30-00:30 BST: half in September, half in October
    List<Outage> o = List.of(outage("2026-09-30T22:30:00Z", Duration.ofHours(1)));
    assertThat(london.report(SHOP, YearMonth.of(2026, 9), o, List.of()).downtime()).isEqualTo(Duration.ofMinutes(30));
    MonthlyUptimeReport oct = london.report(SHOP, YearMonth.of(2026, 10), o, List.of());
    assertThat(oct.downtime()).isEqualTo(Duration.ofMinutes(30));
    assertThat(oct.incidents()).singleElement().satisfies(i -> {
      assertThat(i.startedBeforeMonth()).isTrue();
      assertThat(i.start()).isEqualTo(t("2026-09-30T23:00:00Z"));
    });
    // in UTC the same hour is all September's
    assertThat(utc.report(SHOP, YearMonth.of(2026, 9), o, List.of()).downtime()).isEqualTo(Duration.ofHours(1));
    assertThat(utc.report(SHOP, YearMonth.of(2026, 10), o, List.of()).downtime()).isZero();
  }

  @Test
  void anOutageSpanningMonthsIsSplitAtMidnight() {
    List<Outage> o = List.of(Outage.of(t("2026-10-31T23:50:00Z"), t("2026-11-01T00:20:00Z")));
    MonthlyUptimeReport oct = utc.report(SHOP, YearMonth.of(2026, 10), o, List.of());
    MonthlyUptimeReport nov = utc.report(SHOP, YearMonth.of(2026, 11), o, List.of());
    assertThat(oct.downtime()).isEqualTo(Duration.ofMinutes(10));
    assertThat(nov.downtime()).isEqualTo(Duration.ofMinutes(20));
    assertThat(oct.incidents().get(0).endedAfterMonth()).isTrue();
    assertThat(nov.incidents().get(0).startedBeforeMonth()).isTrue();
  }

  @Test
  void aShortOutageOnEitherSideOfTheBoundaryCountsWhenTheWholeIsLongEnough() {
    // 40 s in October and 40 s in November: one 80 s outage, above the 1 minute minimum
    List<Outage> o = List.of(Outage.of(t("2026-10-31T23:59:20Z"), t("2026-11-01T00:00:40Z")));
    assertThat(utc.report(SHOP, YearMonth.of(2026, 10), o, List.of()).downtime()).isEqualTo(Duration.ofSeconds(40));
    assertThat(utc.report(SHOP, YearMonth.of(2026, 11), o, List.of()).downtime()).isEqualTo(Duration.ofSeconds(40));
  }

  @Test
  void outagesBelowTheMinimumAreIgnoredAndOverlappingOnesMerge() {
    List<Outage> o = List.of(
        outage("2026-11-02T10:00:00Z", Duration.ofSeconds(59)),            // ignored
        outage("2026-11-03T10:00:00Z", Duration.ofSeconds(40)),            // merges with the next: 70 s
        outage("2026-11-03T10:00:30Z", Duration.ofSeconds(40)),
        outage("2026-11-04T10:00:00Z", Duration.ofMinutes(10)),            // contains the next one
        outage("2026-11-04T10:02:00Z", Duration.ofMinutes(3)),
        outage("2026-11-05T10:00:00Z", Duration.ofMinutes(2)),             // touches the next: 4 minutes
        outage("2026-11-05T10:02:00Z", Duration.ofMinutes(2)));
    MonthlyUptimeReport r = utc.report(SHOP, YearMonth.of(2026, 11), o, List.of());
    assertThat(r.incidents()).hasSize(3);
    assertThat(r.downtime()).isEqualTo(Duration.ofSeconds(70 + 600 + 240));
    UptimeCalculator all = UptimeCalculator.builder().minimumOutage(Duration.ZERO).build();
    assertThat(all.report(SHOP, YearMonth.of(2026, 11), o, List.of()).downtime())
        .isEqualTo(Duration.ofSeconds(59 + 70 + 600 + 240));
  }

  @Test
  void maintenanceAnnouncedInTimeIsExcludedButItsOverrunCounts() {
    Instant start = t("2026-11-10T02:00:00Z");
    MaintenanceWindow w = MaintenanceWindow.of(start, start.plus(Duration.ofHours(2)), start.minus(Duration.ofHours(72)));
    List<Outage> o = List.of(Outage.of(start, start.plus(Duration.ofMinutes(150))));
    MonthlyUptimeReport r = utc.report(SHOP, YearMonth.of(2026, 11), o, List.of(w));
    assertThat(r.excluded()).isEqualTo(Duration.ofHours(2));
    assertThat(r.downtime()).isEqualTo(Duration.ofMinutes(30));
    assertThat(r.maintenance()).singleElement().satisfies(d -> {
      assertThat(d.excluded()).isTrue();
      assertThat(d.reason()).isEqualTo(Reason.ANNOUNCED_IN_TIME);
      assertThat(d.overrun()).isEqualTo(Duration.ofMinutes(30));
      assertThat(d.explanation()).contains("announced 3d ahead").contains("overran its window by 30m");
    });
  }

  @Test
  void maintenanceAnnouncedOneMinuteTooLateCounts() {
    Instant start = t("2026-11-10T02:00:00Z");
    MaintenanceWindow w = MaintenanceWindow.of(start, start.plus(Duration.ofHours(2)),
        start.minus(Duration.ofHours(72)).plus(Duration.ofMinutes(1)));
    List<Outage> o = List.of(Outage.of(start, start.plus(Duration.ofHours(2))));
    MonthlyUptimeReport r = utc.report(SHOP, YearMonth.of(2026, 11), o, List.of(w));
    assertThat(r.excluded()).isZero();
    assertThat(r.downtime()).isEqualTo(Duration.ofHours(2));
    assertThat(r.met()).isFalse();
    assertThat(r.maintenance()).singleElement().satisfies(d -> {
      assertThat(d.excluded()).isFalse();
      assertThat(d.reason()).isEqualTo(Reason.LATE_NOTICE);
      assertThat(d.explanation()).contains("2d23h59m ahead, 1m short of the notice period 3d");
    });
  }

  @Test
  void emergencyMaintenanceCountsAsDowntime() {
    Instant start = t("2026-11-10T02:00:00Z");
    MaintenanceWindow w = new MaintenanceWindow(start, start.plus(Duration.ofHours(1)),
        start.minus(Duration.ofDays(10)), true, "checkout offline");
    MonthlyUptimeReport r = utc.report(SHOP, YearMonth.of(2026, 11),
        List.of(Outage.of(start, start.plus(Duration.ofMinutes(20)))), List.of(w));
    assertThat(r.downtime()).isEqualTo(Duration.ofMinutes(20));
    assertThat(r.maintenance().get(0).reason()).isEqualTo(Reason.EMERGENCY);
  }

  @Test
  void aHigherTargetAllowsLess() {
    UptimeCalculator fourNines = UptimeCalculator.builder().target(Percentage.parse("99.99%")).build();
    MonthlyUptimeReport r = fourNines.report(SHOP, YearMonth.of(2026, 11),
        List.of(outage("2026-11-01T00:00:00Z", Duration.ofMinutes(5))), List.of());
    assertThat(r.allowedDowntimeSeconds()).isEqualByComparingTo(new BigDecimal("259.2"));
    assertThat(r.met()).isFalse();
  }

  @Test
  void reportsEverySiteInOneCall() {
    SiteId portal = SiteId.of("portal");
    List<MonthlyUptimeReport> all = utc.reportAll(YearMonth.of(2026, 11),
        Map.of(portal, List.of(outage("2026-11-01T00:00:00Z", Duration.ofMinutes(5))), SHOP, List.of()),
        Map.of());
    assertThat(all).extracting(MonthlyUptimeReport::site).containsExactly(portal, SHOP);
    assertThat(all.get(0).downtime()).isEqualTo(Duration.ofMinutes(5));
  }

  @Test
  void theJsonCarriesTheContractFields() {
    MonthlyUptimeReport r = utc.report(SHOP, YearMonth.of(2026, 10),
        List.of(outage("2026-10-05T10:00:00Z", Duration.ofSeconds(90))), List.of());
    var json = r.toJson();
    assertThat(json.get("site").asText()).isEqualTo("shop");
    assertThat(json.get("month").asText()).isEqualTo("2026-10");
    assertThat(json.get("minutes").asLong()).isEqualTo(44640);
    assertThat(json.get("downMinutes").decimalValue()).isEqualByComparingTo("1.5");
    assertThat(json.get("excludedMinutes").decimalValue()).isEqualByComparingTo("0");
    assertThat(json.get("uptimePercent").decimalValue()).isEqualByComparingTo("99.9966");
    assertThat(json.get("target").decimalValue()).isEqualByComparingTo("99.9");
    assertThat(json.get("met").asBoolean()).isTrue();
  }

  @Test
  void theRunningMonthIsJudgedUpToNowNotOverItsWholeLength() {
    UptimeCalculator calc = UptimeCalculator.builder().target(Percentage.parse("99%")).build();
    YearMonth december = YearMonth.of(2026, 12);
    List<Outage> outages = List.of(outage("2026-12-01T10:00:00Z", Duration.ofMinutes(60)),
        outage("2026-12-20T10:00:00Z", Duration.ofMinutes(600)));
    Instant now = t("2026-12-02T00:00:00Z");

    MonthlyUptimeReport soFar = calc.report(SHOP, december, outages, List.of(), now);
    assertThat(soFar.end()).isEqualTo(now);
    assertThat(soFar.minutes()).as("one day has passed").isEqualTo(1440);
    assertThat(soFar.downtime()).as("the outage to come is not counted yet").isEqualTo(Duration.ofMinutes(60));
    // (1440 - 60) / 1440 = 95.83%: one hour down in one day misses 99%, though it is 0.13% of the whole month
    assertThat(soFar.uptimePercent()).isLessThan(new BigDecimal("95.84")).isGreaterThan(new BigDecimal("95.83"));
    assertThat(soFar.met()).isFalse();

    MonthlyUptimeReport over = calc.report(SHOP, december, outages, List.of(), t("2027-01-05T00:00:00Z"));
    assertThat(over).as("a month over is reported whole").isEqualTo(calc.report(SHOP, december, outages, List.of()));
    assertThat(over.minutes()).isEqualTo(44_640);

    org.assertj.core.api.Assertions.assertThatThrownBy(() -> calc.report(SHOP, december, outages, List.of(),
        t("2026-11-30T23:59:59Z"))).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("has not begun");
  }
}
