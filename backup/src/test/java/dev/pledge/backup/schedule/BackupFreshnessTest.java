package dev.pledge.backup.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pledge.backup.BackupEngine;
import dev.pledge.backup.BackupPolicy;
import dev.pledge.backup.crypto.LocalKeyWrapper;
import dev.pledge.backup.source.DirectorySource;
import dev.pledge.backup.store.FileStore;
import dev.pledge.core.Scope;
import dev.pledge.core.audit.AuditTrail;
import dev.pledge.core.lock.SlotLock;
import dev.pledge.core.policy.PolicyLoader;
import dev.pledge.core.time.MutableClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Freshness read from real encrypted backups in a file store, against each schedule's interval. */
class BackupFreshnessTest {
  private static final Scope SHOP = Scope.of("shop", "production");

  @TempDir Path tmp;

  @Test
  void eachScheduleIsJudgedByTheAgeOfItsScopesNewestAuthenticatedBackup() throws Exception {
    MutableClock clock = MutableClock.at("2026-11-02T02:00:00Z");
    BackupEngine engine = BackupEngine.builder(LocalKeyWrapper.generate(tmp.resolve("master.key"))).clock(clock)
        .auditTrail(AuditTrail.discarding()).build();
    FileStore store = FileStore.builder(tmp.resolve("store")).clock(clock).build();
    Path data = Files.createDirectories(tmp.resolve("data"));
    Files.writeString(data.resolve("orders.csv"), "id,total\n1,19.99\n");
    BackupPolicy policy = PolicyLoader.create().load("p.yaml", """
        backups:
          schedules:
            - {site: shop, environment: production, daily: {at: "02:00", zone: Europe/London}}
            - {site: shop, environment: production, every: 5m}
            - {site: portal, environment: production, daily: {at: "02:30", zone: Europe/London}}
        """).require(BackupPolicy.class);
    long bytes = engine.backup(DirectorySource.of(data), SHOP, List.of(store)).storedBytes();
    BackupFreshness freshness = BackupFreshness.builder(policy, engine, List.of(store)).clock(clock).build();

    clock.advance(Duration.ofMinutes(12)); // 02:12: the backup is 12 minutes old
    List<BackupFreshness.Status> at0212 = freshness.check();
    assertThat(at0212).extracting(BackupFreshness.Status::schedule).containsExactly(
        "shop/production/daily-02:00-Europe/London", "shop/production/every-PT5M",
        "portal/production/daily-02:30-Europe/London");
    assertThat(at0212.get(0).stale()).isFalse();
    assertThat(at0212.get(0).interval()).isEqualTo(Duration.ofDays(1));
    assertThat(at0212.get(0).storedBytes()).isEqualTo(bytes);
    assertThat(at0212.get(1).stale()).as("12 min is within 5 min + 10 min tolerance").isFalse();
    assertThat(at0212.get(1).allowed()).isEqualTo(Duration.ofMinutes(15));
    assertThat(at0212.get(2).stale()).as("portal has no backup at all").isTrue();
    assertThat(at0212.get(2).newest()).isEmpty();

    clock.advance(Duration.ofMinutes(4)); // 02:16: 16 minutes old
    List<BackupFreshness.Status> at0216 = freshness.check();
    assertThat(at0216.get(1).stale()).isTrue();
    assertThat(at0216.get(1).age()).isEqualTo(Duration.ofMinutes(16));
    assertThat(at0216.get(0).stale()).isFalse();
    assertThat(at0216.get(0).newest()).isEqualTo(Optional.of(Instant.parse("2026-11-02T02:00:00Z")));

    clock.advance(Duration.ofDays(1)); // a day and 16 minutes: past one day and 10 minutes
    assertThat(freshness.check().get(0).stale()).isTrue();

    engine.backup(DirectorySource.of(data), SHOP, List.of(store));
    assertThat(freshness.latest(Duration.ofMinutes(1)).get(1).stale()).as("a check this recent is reused").isTrue();
    clock.advance(Duration.ofMinutes(2));
    assertThat(freshness.latest(Duration.ofMinutes(1)).get(1).stale()).as("an older one is redone").isFalse();
  }

  @Test
  void aScheduleIsKeptFreshByItsOwnBackupsOnlyWhileUnnamedBackupsCountForEverySchedule() throws Exception {
    MutableClock clock = MutableClock.at("2026-11-02T02:00:00Z");
    FileStore store = FileStore.builder(tmp.resolve("store")).clock(clock).build();
    Path data = Files.createDirectories(tmp.resolve("data"));
    Files.writeString(data.resolve("orders.csv"), "id,total\n1,19.99\n");
    BackupEngine engine = BackupEngine.builder(LocalKeyWrapper.generate(tmp.resolve("master.key"))).clock(clock)
        .auditTrail(AuditTrail.discarding()).locations(List.of(store)).source(SHOP, DirectorySource.of(data)).build();
    BackupPolicy policy = PolicyLoader.create().load("p.yaml", """
        backups:
          schedules:
            - {site: shop, environment: production, daily: {at: "02:00", zone: UTC}}
            - {site: shop, environment: production, every: 5m}
        """).require(BackupPolicy.class);
    String daily = "shop/production/daily-02:00-UTC";
    String rolling = "shop/production/every-PT5M";
    BackupScheduler scheduler = BackupScheduler.builder("node-a").clock(clock).lock(SlotLock.inMemory())
        .audit(AuditTrail.discarding()).executor(Runnable::run).build();
    PolicySchedules.register(scheduler, policy, scope -> BackupJob.of(engine));
    BackupFreshness freshness = BackupFreshness.builder(policy, engine, List.of(store)).clock(clock)
        .tolerance(Duration.ZERO).build();

    scheduler.tick(); // 02:00: the daily and the rolling schedule both back up
    assertThat(engine.list(store, SHOP)).extracting(dev.pledge.backup.BackupManifest::schedule)
        .containsExactlyInAnyOrder(daily, rolling);
    clock.set(Instant.parse("2026-11-03T01:58:00Z"));
    scheduler.tick(); // the rolling schedule catches up (its 01:55 slot); the daily one is not due yet
    clock.set(Instant.parse("2026-11-03T02:00:30Z")); // the daily 02:00 slot has not run yet
    List<BackupFreshness.Status> s = freshness.check();
    assertThat(s.get(1).schedule()).isEqualTo(rolling);
    assertThat(s.get(1).stale()).isFalse();
    assertThat(s.get(1).newest()).contains(Instant.parse("2026-11-03T01:58:00Z"));
    assertThat(s.get(0).schedule()).isEqualTo(daily);
    assertThat(s.get(0).newest()).as("the rolling schedule's backups do not count for the daily one")
        .contains(Instant.parse("2026-11-02T02:00:00Z"));
    assertThat(s.get(0).stale()).as("a day and 30 s is past a day").isTrue();

    // a backup run by hand names no schedule and counts for both
    engine.backup(SHOP);
    List<BackupFreshness.Status> after = freshness.check();
    assertThat(after).allSatisfy(x -> assertThat(x.stale()).isFalse());
    assertThat(after.get(0).newest()).contains(Instant.parse("2026-11-03T02:00:30Z"));
  }
}
