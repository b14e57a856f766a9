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
}
