package dev.pledge.backup.pitr;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RestorePlannerTest {
  private static final Instant DAY = Instant.parse("2026-11-01T00:00:00Z");
  private final RestorePlanner planner = RestorePlanner.create();

  /** Daily fulls at 02:00 (taking 10 minutes) and 5-minute log segments for three days. */
  private static List<RecoveryPoint> catalog() {
    List<RecoveryPoint> c = new ArrayList<>();
    for (int d = 0; d < 3; d++) {
      Instant start = DAY.plus(Duration.ofDays(d)).plus(Duration.ofHours(2));
      c.add(RecoveryPoint.full("full-" + d, start, start.plus(Duration.ofMinutes(10))));
    }
    for (Instant t = DAY.plus(Duration.ofHours(2)); t.isBefore(DAY.plus(Duration.ofDays(3))); t = t.plus(Duration.ofMinutes(5))) {
      c.add(RecoveryPoint.log("wal-" + t.getEpochSecond(), t, t.plus(Duration.ofMinutes(5))));
    }
    return c;
  }

  @Test
  void picksTheNewestFullBeforeTheTargetAndTheLogsUpToIt() {
    Instant target = Instant.parse("2026-11-02T09:41:17Z");
    RestorePlan plan = planner.plan(catalog(), target);

    assertThat(plan.complete()).isTrue();
    assertThat(plan.base()).get().extracting(RecoveryPoint::id).isEqualTo("full-1");
    assertThat(plan.logs().get(0).start()).isEqualTo(Instant.parse("2026-11-02T02:10:00Z"));
    assertThat(plan.logs().get(plan.logs().size() - 1).end()).isAfterOrEqualTo(target);
    assertThat(plan.logs().get(plan.logs().size() - 1).start()).isBeforeOrEqualTo(target);
    assertThat(plan.logs()).hasSize(91); // 02:10 .. 09:45 in 5-minute segments
    assertThat(plan.replay()).isEqualTo(Duration.between(Instant.parse("2026-11-02T02:10:00Z"), target));
  }

  @Test
  void aFullStillRunningAtTheTargetIsNotABase() {
    RestorePlan plan = planner.plan(catalog(), Instant.parse("2026-11-02T02:05:00Z"));
    assertThat(plan.base()).get().extracting(RecoveryPoint::id).isEqualTo("full-0");
  }

  @Test
  void aMissingSegmentIsNamed() {
    List<RecoveryPoint> c = new ArrayList<>(catalog());
    c.removeIf(p -> p.id().equals("wal-" + Instant.parse("2026-11-02T05:00:00Z").getEpochSecond()));
    RestorePlan plan = planner.plan(c, Instant.parse("2026-11-02T09:00:00Z"));
    assertThat(plan.complete()).isFalse();
    assertThat(plan.gaps()).containsExactly("no log covers 2026-11-02T05:00:00Z .. 2026-11-02T05:05:00Z");
  }

  @Test
  void aTargetBeyondTheLogsOrBeforeEveryFullIsRefusedWithTheReason() {
    assertThat(planner.plan(catalog(), Instant.parse("2026-11-05T00:00:00Z")).gaps())
        .singleElement().asString().contains("logs end at 2026-11-04T00:00:00Z");
    RestorePlan early = planner.plan(catalog(), Instant.parse("2026-11-01T01:00:00Z"));
    assertThat(early.complete()).isFalse();
    assertThat(early.gaps()).singleElement().asString().contains("the earliest completed at 2026-11-01T02:10:00Z");
  }

  @Test
  void logsOfAnotherTimelineAreNeverChained() {
    List<RecoveryPoint> c = new ArrayList<>(List.of(RecoveryPoint.full("f", DAY, DAY.plusSeconds(60))));
    c.add(new RecoveryPoint("other", RecoveryPoint.Kind.LOG, DAY.plusSeconds(60), DAY.plusSeconds(600), "2"));
    assertThat(planner.plan(c, DAY.plusSeconds(300)).complete()).isFalse();
  }

  @Test
  void keepingAWindowRestorableKeepsTheFullBeforeItsStartAndEveryLogSince() {
    Instant from = Instant.parse("2026-11-02T12:00:00Z");
    Instant to = Instant.parse("2026-11-03T12:00:00Z");
    List<RecoveryPoint> needed = planner.needed(catalog(), from, to);
    assertThat(needed).filteredOn(p -> p.kind() == RecoveryPoint.Kind.FULL).extracting(RecoveryPoint::id)
        .containsExactly("full-1", "full-2");
    assertThat(needed).filteredOn(p -> p.kind() == RecoveryPoint.Kind.LOG)
        .allSatisfy(p -> assertThat(p.end()).isAfter(Instant.parse("2026-11-02T02:10:00Z")));
    // every instant of the window is plannable from what is kept
    for (Instant t = from; !t.isAfter(to); t = t.plus(Duration.ofMinutes(37))) {
      assertThat(planner.plan(needed, t).complete()).as("restorable at " + t).isTrue();
    }
  }

  /**
   * A full backup at 00:00, WAL segments 1..6 of timeline 1 every five minutes from 00:01, and a
   * failover at 00:40 onto timeline 2, branching in segment 4: timeline 2's segments 4..6 follow
   * timeline 1's segment 3, and timeline 1's segments 4..6 hold WAL of the abandoned branch.
   */
  private static final TimelineSwitch TO_2 = new TimelineSwitch("history-2", "2", "1", DAY.plus(Duration.ofMinutes(40)), 4);

  private static List<RecoveryPoint> twoTimelines() {
    List<RecoveryPoint> c = new ArrayList<>(List.of(RecoveryPoint.full("full", DAY, DAY.plusSeconds(60))));
    for (int i = 1; i <= 6; i++) {
      Instant start = DAY.plus(Duration.ofMinutes(1 + 5L * (i - 1)));
      c.add(new RecoveryPoint("tl1-" + i, RecoveryPoint.Kind.LOG, start, start.plus(Duration.ofMinutes(5)), "1", i));
    }
    Instant end3 = DAY.plus(Duration.ofMinutes(16));
    c.add(new RecoveryPoint("tl2-4", RecoveryPoint.Kind.LOG, end3, DAY.plus(Duration.ofMinutes(45)), "2", 4));
    c.add(new RecoveryPoint("tl2-5", RecoveryPoint.Kind.LOG, DAY.plus(Duration.ofMinutes(45)), DAY.plus(Duration.ofMinutes(50)), "2", 5));
    c.add(new RecoveryPoint("tl2-6", RecoveryPoint.Kind.LOG, DAY.plus(Duration.ofMinutes(50)), DAY.plus(Duration.ofMinutes(55)), "2", 6));
    return c;
  }

  @Test
  void aTargetAfterAFailoverIsReachedOnTheNewTimelineThroughTheParentsSegmentsBeforeTheSwitch() {
    RestorePlan plan = planner.plan(twoTimelines(), List.of(TO_2), DAY.plus(Duration.ofMinutes(47)));

    assertThat(plan.complete()).as(plan.toString()).isTrue();
    assertThat(plan.base()).get().extracting(RecoveryPoint::id).isEqualTo("full");
    assertThat(plan.logs()).extracting(RecoveryPoint::id).containsExactly("tl1-1", "tl1-2", "tl1-3", "tl2-4", "tl2-5");
    assertThat(plan.timelines()).containsExactly(TO_2);
    assertThat(plan.timeline()).isEqualTo("2");
  }

  @Test
  void aTargetBeforeTheFailoverStaysOnTheOldTimelineWithItsOwnLaterSegments() {
    RestorePlan plan = planner.plan(twoTimelines(), List.of(TO_2), DAY.plus(Duration.ofMinutes(30)));

    assertThat(plan.complete()).as(plan.toString()).isTrue();
    assertThat(plan.logs()).extracting(RecoveryPoint::id).containsExactly("tl1-1", "tl1-2", "tl1-3", "tl1-4", "tl1-5", "tl1-6");
    assertThat(plan.timelines()).isEmpty();
    assertThat(plan.timeline()).isEqualTo("1");
  }

  @Test
  void theNewTimelinesFirstSegmentMissingIsAHoleNotAReasonToReplayTheAbandonedBranch() {
    List<RecoveryPoint> c = new ArrayList<>(twoTimelines());
    c.removeIf(p -> p.id().equals("tl2-4"));
    RestorePlan plan = planner.plan(c, List.of(TO_2), DAY.plus(Duration.ofMinutes(47)));

    assertThat(plan.complete()).isFalse();
    assertThat(plan.gaps()).containsExactly("no log covers 2026-11-01T00:16:00Z .. 2026-11-01T00:45:00Z");
    assertThat(plan.logs()).extracting(RecoveryPoint::id).doesNotContain("tl1-4", "tl1-5", "tl1-6");
  }

  @Test
  void aFullBackupTakenAfterTheFailoverIsTheBaseOnTheNewTimeline() {
    List<RecoveryPoint> c = new ArrayList<>(twoTimelines());
    c.add(RecoveryPoint.full("full-after", DAY.plus(Duration.ofMinutes(46)), DAY.plus(Duration.ofMinutes(48))));
    RestorePlan plan = planner.plan(c, List.of(TO_2), DAY.plus(Duration.ofMinutes(52)));

    assertThat(plan.complete()).as(plan.toString()).isTrue();
    assertThat(plan.base()).get().extracting(RecoveryPoint::id).isEqualTo("full-after");
    assertThat(plan.logs()).extracting(RecoveryPoint::id).containsExactly("tl2-5", "tl2-6");
    assertThat(plan.timelines()).containsExactly(TO_2);
  }

  @Test
  void aTimelineWhoseParentsHistoryIsMissingIsNamed() {
    TimelineSwitch to3 = new TimelineSwitch("history-3", "3", "2", DAY.plus(Duration.ofMinutes(50)), 6);
    RestorePlan plan = planner.plan(twoTimelines(), List.of(to3), DAY.plus(Duration.ofMinutes(52)));
    assertThat(plan.complete()).isFalse();
    assertThat(plan.gaps()).contains("timeline 3 branched off timeline 2, whose own history (00000002.history) is not in the archive");
  }

  @Test
  void aSwitchIsValidatedNamingTheField() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> new TimelineSwitch("h", "1", "2", DAY, 1))
        .hasMessageContaining("timeline 1 cannot branch off timeline 2");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> new TimelineSwitch("h", "two", "1", DAY, 1))
        .hasMessageContaining("timeline must be a timeline number").hasMessageContaining("'two'");
  }
}
