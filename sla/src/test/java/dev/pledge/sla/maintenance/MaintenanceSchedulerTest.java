package dev.pledge.sla.maintenance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pledge.core.SiteId;
import dev.pledge.core.notify.AlertSeverity;
import dev.pledge.core.notify.Notifier;
import dev.pledge.core.notify.RecordingNotifier;
import dev.pledge.core.time.MutableClock;
import dev.pledge.sla.uptime.MaintenanceDecision;
import dev.pledge.sla.uptime.Outage;
import dev.pledge.sla.uptime.UptimeCalculator;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.util.List;
import org.junit.jupiter.api.Test;

class MaintenanceSchedulerTest {
  private static final SiteId SHOP = SiteId.of("shop");
  private final MutableClock clock = MutableClock.at("2026-11-01T09:00:00Z");
  private final RecordingNotifier n = Notifier.recording();
  private final MaintenanceScheduler scheduler = MaintenanceScheduler.builder(MaintenancePolicy.defaults()).clock(clock).notifier(n).build();
  private final Instant start = Instant.parse("2026-11-05T02:00:00Z");

  @Test
  void announcesAtSchedulingAndRemindsOnTheNoticePeriods() {
    scheduler.schedule(SHOP, start, start.plus(Duration.ofHours(1)), "checkout unavailable", false);
    assertThat(n.alerts()).singleElement().satisfies(a -> {
      assertThat(a.title()).isEqualTo("Planned maintenance of shop on 2026-11-05T02:00:00Z");
      assertThat(a.body()).contains("checkout unavailable").contains("(1h)");
      assertThat(a.destination()).isEqualTo("customers");
    });
    clock.set(start.minus(Duration.ofHours(24)).minusSeconds(1));
    assertThat(scheduler.runDue()).isZero();
    clock.advance(Duration.ofSeconds(1));
    assertThat(scheduler.runDue()).isEqualTo(1);
    assertThat(scheduler.runDue()).isZero();
    clock.set(start.minus(Duration.ofHours(1)));
    assertThat(scheduler.runDue()).isEqualTo(1);
    assertThat(n.alerts()).extracting(a -> a.title()).containsExactly(
        "Planned maintenance of shop on 2026-11-05T02:00:00Z",
        "Reminder: maintenance of shop starts in 1d",
        "Reminder: maintenance of shop starts in 1h");
  }

  @Test
  void afterAPauseOnlyTheLatestReminderIsSent() {
    scheduler.schedule(SHOP, start, start.plus(Duration.ofHours(1)), "", false);
    clock.set(start.minus(Duration.ofMinutes(30)));
    assertThat(scheduler.runDue()).isEqualTo(1);
    clock.set(start.plusSeconds(1));
    assertThat(scheduler.runDue()).isZero();
    assertThat(n.alerts()).hasSize(2);
  }

  @Test
  void shortNoticeIsRefusedUnlessAnEmergency() {
    Instant soon = clock.instant().plus(Duration.ofHours(72)).minusSeconds(60);
    assertThatThrownBy(() -> scheduler.schedule(SHOP, soon, soon.plus(Duration.ofHours(1)), "", false))
        .isInstanceOf(MaintenanceException.class)
        .hasMessageContaining("gives 2d23h59m of notice and the policy requires 3d");
    assertThat(n.alerts()).isEmpty();
    scheduler.schedule(SHOP, soon, soon.plus(Duration.ofHours(1)), "db failover", true);
    assertThat(n.alerts()).singleElement().satisfies(a -> assertThat(a.severity()).isEqualTo(AlertSeverity.HIGH));
    // and its downtime counts in the month's report
    var report = UptimeCalculator.builder().build().report(SHOP, YearMonth.of(2026, 11),
        List.of(Outage.of(soon, soon.plus(Duration.ofMinutes(20)))), scheduler.windows(SHOP));
    assertThat(report.downtime()).isEqualTo(Duration.ofMinutes(20));
    assertThat(report.maintenance().get(0).reason()).isEqualTo(MaintenanceDecision.Reason.EMERGENCY);
  }

  @Test
  void aPolicyWithoutEmergenciesRefusesThem() {
    MaintenanceScheduler strict = MaintenanceScheduler.builder(
        new MaintenancePolicy(Duration.ofHours(72), List.of(), false, null)).clock(clock).notifier(n).build();
    Instant soon = clock.instant().plus(Duration.ofHours(1));
    assertThatThrownBy(() -> strict.schedule(SHOP, soon, soon.plus(Duration.ofHours(1)), "", true))
        .hasMessageContaining("allows no emergency maintenance");
  }

  @Test
  void windowsScheduledInTimeAreExcludedFromDowntime() {
    scheduler.schedule(SHOP, start, start.plus(Duration.ofHours(1)), "", false);
    var report = UptimeCalculator.builder().build().report(SHOP, YearMonth.of(2026, 11),
        List.of(Outage.of(start, start.plus(Duration.ofMinutes(50)))), scheduler.windows(SHOP));
    assertThat(report.downtime()).isZero();
    assertThat(report.excluded()).isEqualTo(Duration.ofMinutes(50));
  }

  @Test
  void cancellingTellsCustomers() {
    var s = scheduler.schedule(SHOP, start, start.plus(Duration.ofHours(1)), "", false);
    scheduler.cancel(s.id());
    assertThat(scheduler.windows(SHOP)).isEmpty();
    assertThat(n.alerts().get(1).title()).contains("cancelled");
    assertThatThrownBy(() -> scheduler.cancel("nope")).hasMessageContaining("'nope'");
  }

  @Test
  @SuppressWarnings("removal") // the positional form stays until it is removed, and must keep working
  void theDeprecatedPositionalFormStillFollowsThePolicyOnTheGivenClock() {
    RecordingNotifier announced = Notifier.recording();
    MaintenanceScheduler positional = MaintenanceScheduler.create(MaintenancePolicy.defaults(), clock, announced);
    positional.schedule(SHOP, start, start.plus(Duration.ofHours(1)), "checkout unavailable", false);
    assertThat(announced.alerts()).singleElement().satisfies(a -> assertThat(a.at()).isEqualTo(clock.instant()));
    assertThatThrownBy(() -> positional.schedule(SHOP, clock.instant().plus(Duration.ofHours(1)),
        clock.instant().plus(Duration.ofHours(2)), "checkout unavailable", false))
        .isInstanceOf(MaintenanceException.class);
  }
}
