package dev.pledge.sla.uptime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pledge.core.Percentage;
import dev.pledge.core.SiteId;
import dev.pledge.core.notify.AlertSeverity;
import dev.pledge.core.notify.Notifier;
import dev.pledge.core.notify.RecordingNotifier;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class BurnRateAlertsTest {
  private static final SiteId SHOP = SiteId.of("shop");
  private static final Percentage TARGET = Percentage.parse("99.9%");
  private final Instant now = Instant.parse("2026-11-10T12:00:00Z");

  @Test
  void aMinuteDownInTheLastHourPagesAtFourteenPointFourTimes() {
    RecordingNotifier n = Notifier.recording();
    BurnRateAlerts alerts = BurnRateAlerts.create(TARGET, Duration.ofDays(30), n, "ops");
    // 60 s of 3600 s = 1.667% errors = 16.67x the 0.1% budget; 60 of 300 s = 200x
    List<BurnRateAlerts.Evaluation> ev = alerts.evaluate(SHOP, List.of(Outage.of(now.minusSeconds(60), now)), now);
    assertThat(ev.get(0).firing()).isTrue();
    assertThat(ev.get(0).longBurn()).isEqualByComparingTo("16.66666666666667");
    assertThat(ev.get(0).shortBurn()).isEqualByComparingTo("200");
    assertThat(ev.get(1).firing()).isFalse();   // 60 of 21600 s = 2.78x < 6x
    assertThat(n.alerts()).singleElement().satisfies(a -> {
      assertThat(a.severity()).isEqualTo(AlertSeverity.CRITICAL);
      assertThat(a.destination()).isEqualTo("ops");
      assertThat(a.title()).contains("shop").contains("16.7x");
    });
    // evaluating again while it fires sends nothing more
    alerts.evaluate(SHOP, List.of(Outage.of(now.minusSeconds(60), now)), now);
    assertThat(n.alerts()).hasSize(1);
  }

  @Test
  void aBurnThatOnlyTheLongWindowSeesDoesNotFire() {
    RecordingNotifier n = Notifier.recording();
    BurnRateAlerts alerts = BurnRateAlerts.create(TARGET, Duration.ofDays(30), n, "ops");
    // one minute down 30 minutes ago: long window 16.7x, short window (last 5 minutes) 0x: it ended
    Instant s = now.minus(Duration.ofMinutes(31));
    List<BurnRateAlerts.Evaluation> ev = alerts.evaluate(SHOP, List.of(Outage.of(s, s.plusSeconds(60))), now);
    assertThat(ev.get(0).longBurn()).isGreaterThan(new java.math.BigDecimal("14.4"));
    assertThat(ev.get(0).firing()).isFalse();
    assertThat(n.alerts()).isEmpty();
  }

  @Test
  void recoveryIsAnnouncedOnce() {
    RecordingNotifier n = Notifier.recording();
    BurnRateAlerts alerts = BurnRateAlerts.create(TARGET, Duration.ofDays(30), n, "ops");
    Outage o = Outage.of(now.minusSeconds(120), now);
    alerts.evaluate(SHOP, List.of(o), now);
    alerts.evaluate(SHOP, List.of(o), now.plus(Duration.ofMinutes(10)));
    alerts.evaluate(SHOP, List.of(o), now.plus(Duration.ofMinutes(11)));
    assertThat(n.alerts()).extracting(a -> a.severity()).containsExactly(AlertSeverity.CRITICAL, AlertSeverity.INFO);
  }

  @Test
  void windowsScaleToTheBudgetPeriod() {
    BurnRateAlerts month31 = BurnRateAlerts.create(TARGET, Duration.ofDays(31), Notifier.recording(), "ops");
    assertThat(month31.scale(Duration.ofHours(1))).isEqualTo(Duration.ofMinutes(62));
    assertThat(month31.scale(Duration.ofDays(3))).isEqualTo(Duration.ofHours(74).plusMinutes(24));
    BurnRateAlerts week = BurnRateAlerts.create(TARGET, Duration.ofDays(7), Notifier.recording(), "ops");
    assertThat(week.scale(Duration.ofMinutes(5))).isEqualTo(Duration.ofSeconds(70));
  }

  @Test
  void aSlowSteadyBurnRaisesOnlyTheTicket() {
    RecordingNotifier n = Notifier.recording();
    BurnRateAlerts alerts = BurnRateAlerts.create(TARGET, Duration.ofDays(30), n, "ops");
    // 1 s down in every 10 minutes for 3 days: 1/600 = 0.167% errors = 1.67x the budget everywhere,
    // which fires the 1x rule only
    java.util.List<Outage> outages = new java.util.ArrayList<>();
    for (Instant t = now.minus(Duration.ofDays(3)); t.isBefore(now); t = t.plus(Duration.ofMinutes(10))) {
      outages.add(Outage.of(t.plusSeconds(599), t.plusSeconds(600)));
    }
    List<BurnRateAlerts.Evaluation> ev = alerts.evaluate(SHOP, outages, now);
    assertThat(ev).extracting(BurnRateAlerts.Evaluation::firing).containsExactly(false, false, true);
    assertThat(n.alerts()).singleElement().satisfies(a -> assertThat(a.severity()).isEqualTo(AlertSeverity.WARNING));
  }

  @Test
  void thePolicyTurnsThemOnOrOff() {
    UptimePolicy on = new UptimePolicy(Percentage.parse("99.95%"), null, null, null, true, "pager");
    UptimePolicy off = new UptimePolicy(null, null, null, null, false, null);
    RecordingNotifier n = Notifier.recording();
    BurnRateAlerts none = BurnRateAlerts.from(off, n);
    assertThat(none.enabled()).isFalse();
    assertThat(none.evaluate(SHOP, List.of(Outage.of(now.minusSeconds(600), now)), now)).isEmpty();
    assertThat(n.alerts()).isEmpty();
    BurnRateAlerts alerts = BurnRateAlerts.from(on, n);
    assertThat(alerts.enabled()).isTrue();
    assertThat(alerts.rules()).isEqualTo(BurnRateAlerts.WORKBOOK_RULES);
    // 60 s in an hour is 1.667% errors: 33.3x a 0.05% budget
    alerts.evaluate(SHOP, List.of(Outage.of(now.minusSeconds(60), now)), now);
    assertThat(n.alerts()).singleElement().satisfies(a -> {
      assertThat(a.destination()).isEqualTo("pager");
      assertThat(a.title()).contains("33.3x");
    });
  }

  @Test
  @SuppressWarnings("removal") // the Optional form stays until it is removed, and must keep working
  void theDeprecatedOptionalFormStillSaysWhetherThePolicyAsksForThem() {
    RecordingNotifier n = Notifier.recording();
    assertThat(BurnRateAlerts.from(new UptimePolicy(null, null, null, null, false, null), Duration.ofDays(30), n)).isEmpty();
    assertThat(BurnRateAlerts.from(new UptimePolicy(null, null, null, null, true, "pager"), Duration.ofDays(31), n)
        .orElseThrow().scale(Duration.ofDays(30))).isEqualTo(Duration.ofDays(31));
  }

  @Test
  void theBuilderChangesOneThingAndToBuilderKeepsTheRest() {
    UptimePolicy on = new UptimePolicy(Percentage.parse("99.95%"), null, null, null, true, "pager");
    RecordingNotifier n = Notifier.recording();
    BurnRateAlerts month = BurnRateAlerts.builder(on).notifier(n).period(Duration.ofDays(31)).build();
    assertThat(month.scale(Duration.ofDays(30))).isEqualTo(Duration.ofDays(31));
    BurnRateAlerts copy = month.toBuilder().build();
    assertThat(copy).usingRecursiveComparison().isEqualTo(month);
    assertThat(month.toBuilder().period(Duration.ofDays(30)).build().scale(Duration.ofDays(30)))
        .isEqualTo(Duration.ofDays(30));
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> BurnRateAlerts.builder(on).build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("notifier");
  }
}
