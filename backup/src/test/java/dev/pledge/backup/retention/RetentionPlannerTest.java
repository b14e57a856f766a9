package dev.pledge.backup.retention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pledge.core.time.MutableClock;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.Period;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class RetentionPlannerTest {
  static final Instant NOW = Instant.parse("2026-11-21T12:00:00Z");
  static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

  static List<BackupRecord> dailyAt(Instant newest, int days) {
    List<BackupRecord> out = new ArrayList<>();
    for (int i = 0; i < days; i++) {
      out.add(BackupRecord.of("d" + i, newest.minus(Duration.ofDays(i))));
    }
    return out;
  }

  static Map<String, Decision> decisions(RetentionPlan plan) {
    return plan.decisions().stream().collect(Collectors.toMap(d -> d.backup().id(), BackupDecision::decision));
  }

  static RetentionPlanner.Builder planner() {
    return RetentionPlanner.builder().clock(CLOCK);
  }

  @Test
  void everyBackupGetsADecisionWithTheRulesThatDecidedIt() {
    List<BackupRecord> backups = dailyAt(NOW.minus(Duration.ofHours(1)), 20);
    RetentionPlan plan = planner().rules(RetentionRules.builder().last(2).daily(3).weekly(2).build())
        .build().plan(backups);
    assertThat(plan.decisions()).hasSize(20);
    assertThat(plan.decisions().get(0).reasons()).containsExactly("last", "daily", "weekly");
    assertThat(plan.decisions().get(2).reasons()).containsExactly("daily");
    assertThat(plan.delete()).allSatisfy(d -> assertThat(d.reasons()).containsExactly("no keep rule matched"));
    assertThat(plan.keep()).hasSize(4); // d0 d1 d2, and the newest of the previous ISO week
  }

  @Test
  void decisionsDoNotDependOnInputOrder() {
    List<BackupRecord> backups = dailyAt(NOW, 40);
    RetentionPlanner p = planner().rules(RetentionRules.builder().daily(5).monthly(2).build()).build();
    List<BackupRecord> shuffled = new ArrayList<>(backups);
    Collections.shuffle(shuffled, new java.util.Random(7));
    assertThat(p.plan(shuffled).decisions()).isEqualTo(p.plan(backups).decisions());
  }

  @Test
  void resticMeasuresKeepWithinFromTheNewestBackupAndPledgeFromNow() {
    // the newest backup is 30 days old: backups stopped
    List<BackupRecord> backups = dailyAt(NOW.minus(Duration.ofDays(30)), 10);
    RetentionRules within = RetentionRules.builder().within(Duration.ofDays(3)).build();
    RetentionPlan restic = planner().semantics(Semantics.RESTIC).rules(within).build().plan(backups);
    assertThat(restic.keep()).extracting(d -> d.backup().id()).containsExactly("d0", "d1", "d2");
    // a backup dated in the future does not move restic's reference point
    List<BackupRecord> withFuture = new ArrayList<>(backups);
    withFuture.add(BackupRecord.of("future", NOW.plus(Duration.ofDays(400))));
    assertThat(planner().semantics(Semantics.RESTIC).rules(within).build().plan(withFuture).keep())
        .extracting(d -> d.backup().id()).containsExactly("future", "d0", "d1", "d2");
    RetentionPlan pledge = planner().semantics(Semantics.PLEDGE).rules(within).build().plan(backups);
    // nothing is within 3 days of now, but Pledge never deletes the newest backup
    assertThat(pledge.keep()).singleElement().satisfies(d -> {
      assertThat(d.backup().id()).isEqualTo("d0");
      assertThat(d.reasons()).containsExactly("newest");
    });
  }

  @Test
  void borgDoesNotCountWhatAnEarlierRuleKeptAndKeepsTheOldestWhenShort() {
    List<BackupRecord> backups = dailyAt(NOW, 5);
    RetentionPlan plan = planner().semantics(Semantics.BORG)
        .rules(RetentionRules.builder().last(2).daily(2).weekly(10).build()).build().plan(backups);
    Map<String, List<String>> reasons = plan.decisions().stream()
        .collect(Collectors.toMap(d -> d.backup().id(), BackupDecision::reasons));
    assertThat(reasons.get("d0")).containsExactly("last #1");
    assertThat(reasons.get("d1")).containsExactly("last #2");
    assertThat(reasons.get("d2")).containsExactly("daily #1");
    assertThat(reasons.get("d3")).containsExactly("daily #2");
    // weekly: all five share one ISO week (Mon 16 to Sun 22 November), whose newest (d0) an earlier
    // rule kept, so weekly counts nothing and falls back to the oldest backup
    assertThat(reasons.get("d4")).containsExactly("weekly[oldest] #1");
  }

  @Test
  void periodsFollowTheZonesWallClock() {
    // 23:30 UTC on 31 March is 00:30 on 1 April in London
    List<BackupRecord> backups = List.of(BackupRecord.of("a", Instant.parse("2026-03-31T23:30:00Z")),
        BackupRecord.of("b", Instant.parse("2026-03-31T22:30:00Z")));
    RetentionRules monthly = RetentionRules.builder().monthly(2).build();
    assertThat(decisions(planner().rules(monthly).zone(ZoneId.of("Europe/London")).build().plan(backups)))
        .containsEntry("a", Decision.KEEP).containsEntry("b", Decision.KEEP);
    assertThat(decisions(planner().rules(monthly).zone(ZoneOffset.UTC).build().plan(backups)))
        .containsEntry("a", Decision.KEEP).containsEntry("b", Decision.DELETE);
  }

  @Test
  void aKeptIncrementalKeepsItsWholeParentChain() {
    Instant t = NOW.minus(Duration.ofDays(3));
    List<BackupRecord> backups = List.of(
        BackupRecord.of("full", t, BackupKind.FULL, null),
        BackupRecord.of("inc1", t.plus(Duration.ofDays(1)), BackupKind.INCREMENTAL, "full"),
        BackupRecord.of("inc2", t.plus(Duration.ofDays(2)), BackupKind.INCREMENTAL, "inc1"));
    RetentionPlan plan = planner().rules(RetentionRules.builder().last(1).build()).build().plan(backups);
    assertThat(plan.delete()).isEmpty();
    assertThat(plan.decisions()).extracting(d -> String.join(",", d.reasons()))
        .containsExactly("last", "needed by inc2", "needed by inc1");
  }

  @Test
  void aPlanThatWouldLeaveABackupUnrestorableIsRefused() {
    List<BackupRecord> backups = List.of(
        BackupRecord.of("inc", NOW.minus(Duration.ofHours(1)), BackupKind.INCREMENTAL, "gone"));
    assertThatThrownBy(() -> planner().rules(RetentionRules.builder().last(1).build()).build().plan(backups))
        .isInstanceOf(RetentionException.class)
        .hasMessageContaining("'inc'").hasMessageContaining("parent 'gone'").hasMessageContaining("refusing");
  }

  @Test
  void thePitrWindowKeepsTheNewestFullBeforeItsStartAndEveryLogAfter() {
    List<BackupRecord> backups = new ArrayList<>();
    Instant start = NOW.minus(Duration.ofDays(7));
    backups.add(BackupRecord.of("full-old", start.minus(Duration.ofDays(5)), BackupKind.FULL, null));
    backups.add(BackupRecord.of("full-base", start.minus(Duration.ofDays(1)), BackupKind.FULL, null));
    backups.add(BackupRecord.of("full-new", NOW.minus(Duration.ofHours(2)), BackupKind.FULL, null));
    for (int h = 0; h < 8 * 24; h += 12) {
      backups.add(BackupRecord.of("log" + h, start.minus(Duration.ofDays(1)).plus(Duration.ofHours(h + 1)),
          BackupKind.LOG, null));
    }
    RetentionPlan plan = planner().rules(RetentionRules.builder().last(1).build())
        .pitrWindow(Duration.ofDays(7)).build().plan(backups);
    Map<String, Decision> d = decisions(plan);
    assertThat(d).containsEntry("full-new", Decision.KEEP).containsEntry("full-base", Decision.KEEP)
        .containsEntry("full-old", Decision.DELETE);
    assertThat(plan.decisions()).filteredOn(x -> x.backup().kind() == BackupKind.LOG)
        .allSatisfy(x -> assertThat(x.decision()).isEqualTo(Decision.KEEP));
    assertThat(plan.decisions()).filteredOn(x -> x.backup().id().equals("full-base")).singleElement()
        .satisfies(x -> assertThat(x.reasons().get(0)).startsWith("pitr base"));
  }

  @Test
  void aWindowWithNoFullBeforeItIsReportedNotHidden() {
    List<BackupRecord> backups = List.of(BackupRecord.of("log", NOW.minus(Duration.ofDays(1)), BackupKind.LOG, null));
    RetentionPlan plan = planner().pitrWindow(Duration.ofDays(7)).rules(RetentionRules.builder().last(1).build())
        .build().plan(backups);
    assertThat(plan.warnings()).singleElement().asString().contains("not covered");
  }

  @Test
  void retainedBackupsOlderThanTheHotPeriodMoveToTheColdClass() {
    List<BackupRecord> backups = List.of(
        BackupRecord.of("new", NOW.minus(Duration.ofDays(10))),
        BackupRecord.of("old", NOW.minus(Duration.ofDays(100))).withSize(10_000_000),
        BackupRecord.of("tiny", NOW.minus(Duration.ofDays(200))).withSize(4096));
    RetentionPlan plan = planner().rules(RetentionRules.builder().monthly(12).build())
        .hotPeriod(Period.ofMonths(3)).coldStorageClass(ColdStorageClass.DEEP_ARCHIVE).build().plan(backups);
    assertThat(decisions(plan)).containsEntry("new", Decision.KEEP).containsEntry("old", Decision.ARCHIVE)
        .containsEntry("tiny", Decision.ARCHIVE);
    assertThat(plan.archive().get(0).reasons()).contains("cold: older than 3 months -> DEEP_ARCHIVE");
    assertThat(plan.archive().get(1).reasons()).anySatisfy(r -> assertThat(r).startsWith("under 128 KiB"));
  }

  @Test
  void aColdBackupIsNotDeletedBeforeTheClassMinimumStorageDuration() {
    MutableClock clock = MutableClock.at(NOW);
    List<BackupRecord> backups = List.of(
        BackupRecord.of("keep", NOW.minus(Duration.ofDays(1))),
        BackupRecord.of("cold", NOW.minus(Duration.ofDays(150))).withColdSince(NOW.minus(Duration.ofDays(60))));
    RetentionPlanner p = RetentionPlanner.builder().clock(clock).rules(RetentionRules.builder().last(1).build())
        .hotPeriod(Period.ofMonths(3)).coldStorageClass(ColdStorageClass.GLACIER).build();
    BackupDecision held = p.plan(backups).decisions().get(1);
    assertThat(held.decision()).isEqualTo(Decision.ARCHIVE);
    assertThat(held.reasons()).anySatisfy(r -> assertThat(r).startsWith("held until 2026-12-21T12:00:00Z"));
    clock.advance(Duration.ofDays(30));
    assertThat(p.plan(backups).decisions().get(1).decision()).isEqualTo(Decision.DELETE);
  }

  @Test
  void noRulesKeepsEverything() {
    RetentionPlan plan = planner().build().plan(dailyAt(NOW, 3));
    assertThat(plan.keep()).hasSize(3);
    assertThat(plan.keep().get(0).reasons()).containsExactly("no keep rules: everything is kept");
  }

  @Test
  void badSettingsNameTheFieldAndValue() {
    assertThatThrownBy(() -> RetentionRules.builder().daily(-1).build()).hasMessage("daily must be 0 (off) or more, got -1");
    assertThatThrownBy(() -> RetentionRules.builder().within(Duration.ZERO).build()).hasMessageContaining("within");
    assertThatThrownBy(() -> BackupRecord.of(" ", NOW)).hasMessageContaining("id must not be blank");
    assertThatThrownBy(() -> planner().hotPeriod(Period.ZERO).build()).hasMessageContaining("hotPeriod");
    assertThatThrownBy(() -> Semantics.parse("bork")).hasMessageContaining("'bork'");
  }
}
