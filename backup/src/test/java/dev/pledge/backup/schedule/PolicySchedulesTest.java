package dev.pledge.backup.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pledge.backup.BackupPolicy;
import dev.pledge.core.Scope;
import dev.pledge.core.audit.AuditTrail;
import dev.pledge.core.lock.SlotLock;
import dev.pledge.core.policy.PolicyLoader;
import dev.pledge.core.time.MutableClock;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** P6, P7: the policy document's backups.schedules drive the scheduler, per site and environment. */
class PolicySchedulesTest {
  private static final Scope SHOP = Scope.of("shop", "production");
  private static final Scope PORTAL = Scope.of("portal", "production");

  private static BackupPolicy load(String resource) throws Exception {
    try (InputStream in = PolicySchedulesTest.class.getResourceAsStream(resource)) {
      return PolicyLoader.create().load(resource, in).require(BackupPolicy.class);
    }
  }

  @Test
  void theBundledSchedulesBecomeOneNamedSchedulePerEntry() throws Exception {
    List<Schedule> all = PolicySchedules.from(load("/policies/schedules/bundled-shape.yaml"));
    assertThat(all).extracting(Schedule::name).containsExactly(
        "shop/production/daily-02:00-Europe/London", "shop/production/every-PT5M",
        "portal/production/daily-02:30-Europe/London", "portal/production/every-PT5M",
        "shop/staging/cron-" + all.get(4).name().substring("shop/staging/cron-".length()));
    assertThat(all.get(4).name()).matches("shop/staging/cron-[0-9a-f]{8}");
    assertThat(all).extracting(Schedule::missedRun).containsExactly(MissedRun.RUN_ONCE, MissedRun.SKIP,
        MissedRun.RUN_ONCE, MissedRun.SKIP, MissedRun.RUN_ONCE);
    assertThat(all.get(1).trigger()).isEqualTo(Trigger.every(Duration.ofMinutes(5)));
    assertThat(PolicySchedules.from(load("/policies/schedules/bundled-shape.yaml"), PORTAL)).hasSize(2)
        .allMatch(s -> s.scope().equals(PORTAL));
    // the cron entry runs Mondays 03:30 UTC
    assertThat(all.get(4).trigger().nextSlotAfter(Instant.parse("2026-10-24T00:00:00Z")))
        .isEqualTo(Instant.parse("2026-10-26T03:30:00Z"));
  }

  @Test
  void theTestResourceHasTheBundledPolicysSchedules() throws Exception {
    Path bundled = Path.of("../examples/src/main/resources/policy.yaml");
    org.junit.jupiter.api.Assumptions.assumeTrue(Files.exists(bundled),
        "the bundled policy is not at " + bundled.toAbsolutePath() + " (built outside the repository)");
    String text = Files.readString(bundled);
    try (InputStream in = getClass().getResourceAsStream("/policies/schedules/bundled-shape.yaml")) {
      new String(in.readAllBytes()).lines().filter(l -> l.contains("{site: ") && l.contains("production"))
          .forEach(line -> assertThat(text).as("bundled policy holds %s", line).contains(line.strip()));
    }
  }

  @Test
  void registeredSchedulesRunEachSiteAtItsLondonTimeAcrossTheDstChange() throws Exception {
    // 24-26 October 2026: London leaves summer time at 02:00 BST on the 25th (01:00 UTC)
    Instant start = Instant.parse("2026-10-24T12:00:00Z");
    MutableClock clock = MutableClock.at(start);
    BackupScheduler scheduler = BackupScheduler.builder("node-a").clock(clock).lock(SlotLock.inMemory())
        .audit(AuditTrail.inMemory()).executor(Runnable::run).build();
    List<ScheduleEvent> started = new CopyOnWriteArrayList<>();
    scheduler.onEvent(e -> {
      if (e.kind() == ScheduleEvent.Kind.SUCCEEDED) {
        started.add(e);
      }
    });
    List<Scope> ran = new CopyOnWriteArrayList<>();
    List<Schedule> registered = PolicySchedules.register(scheduler, load("/policies/schedules/bundled-shape.yaml"),
        scope -> (s, slot) -> ran.add(s));
    assertThat(registered).hasSize(5);
    for (int minute = 0; minute < 48 * 60; minute++) {
      scheduler.tick();
      clock.advance(Duration.ofMinutes(1));
    }
    // RUN_ONCE (the daily entries' default) does not run at first start the 02:00 BST slot that passed
    // before the scheduler ever ran: the first runs are the next nights', at 02:00 London time.
    assertThat(started).filteredOn(e -> e.schedule().equals("shop/production/daily-02:00-Europe/London"))
        .extracting(ScheduleEvent::slot).containsExactly(
            Instant.parse("2026-10-25T02:00:00Z"), Instant.parse("2026-10-26T02:00:00Z"));
    assertThat(started).filteredOn(e -> e.schedule().equals("portal/production/daily-02:30-Europe/London"))
        .extracting(ScheduleEvent::slot).containsExactly(
            Instant.parse("2026-10-25T02:30:00Z"), Instant.parse("2026-10-26T02:30:00Z"));
    assertThat(started).filteredOn(e -> e.schedule().equals("shop/production/every-PT5M")).hasSize(48 * 12)
        .allMatch(e -> e.scope().equals(SHOP));
    // the cron entry names no zone, so it is read in UTC: Monday 03:30 UTC
    assertThat(started).filteredOn(e -> e.schedule().startsWith("shop/staging/cron-")).extracting(ScheduleEvent::slot)
        .containsExactly(Instant.parse("2026-10-26T03:30:00Z"));
    assertThat(ran).hasSize(started.size());
  }

  @Test
  void twoEntriesThatWouldShareALockAreRefusedNamingBoth() {
    BackupPolicy p = PolicyLoader.create().load("dup.yaml", "backups:\n  schedules:\n"
        + "    - {site: shop, environment: production, every: 5m}\n"
        + "    - {site: shop, environment: production, every: 300s}\n").require(BackupPolicy.class);
    assertThatThrownBy(() -> PolicySchedules.from(p))
        .hasMessage("backups.schedules[1] repeats backups.schedules[0] (both are shop/production/every-PT5M)");
  }

  @Test
  void aCronEntryIsReadInItsZoneAndNamedWithIt() {
    BackupPolicy p = PolicyLoader.create().load("cron.yaml", "backups:\n  schedules:\n"
        + "    - {site: shop, environment: staging, cron: \"30 3 * * 1\", zone: Europe/London}\n"
        + "    - {site: shop, environment: staging, cron: \"30 3 * * 2\"}\n").require(BackupPolicy.class);
    List<Schedule> all = PolicySchedules.from(p);
    assertThat(all.get(0).name()).startsWith("shop/staging/cron-").endsWith("-Europe/London");
    assertThat(all.get(0).trigger()).isEqualTo(Trigger.cron("30 3 * * 1", java.time.ZoneId.of("Europe/London")));
    // Monday 19 October 2026 is in British Summer Time: 03:30 in London is 02:30 UTC
    assertThat(all.get(0).trigger().nextSlotAfter(Instant.parse("2026-10-18T12:00:00Z")))
        .isEqualTo(Instant.parse("2026-10-19T02:30:00Z"));
    // Monday 2 November is in GMT: 03:30 UTC
    assertThat(all.get(0).trigger().nextSlotAfter(Instant.parse("2026-11-01T12:00:00Z")))
        .isEqualTo(Instant.parse("2026-11-02T03:30:00Z"));
    // no zone: UTC, stated in the entry's defaults, and the name it had before cron took a zone
    assertThat(p.schedules().get(1).zone()).isEqualTo("UTC");
    assertThat(all.get(1).name()).matches("shop/staging/cron-[0-9a-f]{8}");
    assertThat(all.get(1).trigger()).isEqualTo(Trigger.cron("30 3 * * 2", java.time.ZoneId.of("UTC")));
  }

  @Test
  void aZoneOnAnEntryThatIsNotCronIsRefusedSayingWhere() {
    assertThatThrownBy(() -> PolicyLoader.create().load("z.yaml", "backups:\n  schedules:\n"
        + "    - {site: shop, environment: staging, daily: {at: \"02:00\"}, zone: Europe/London}\n"))
        .hasMessageContaining("zone applies to cron only").hasMessageContaining("daily: {at: ..., zone: Europe/London}");
    assertThatThrownBy(() -> PolicyLoader.create().load("z.yaml", "backups:\n  schedules:\n"
        + "    - {site: shop, environment: staging, cron: \"0 2 * * *\", zone: Europe/Lundon}\n"))
        .hasMessageContaining("zone must be a zone such as Europe/London, got 'Europe/Lundon'");
  }
}
