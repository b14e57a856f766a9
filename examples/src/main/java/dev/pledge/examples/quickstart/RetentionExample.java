package dev.pledge.examples.quickstart;

import dev.pledge.backup.retention.BackupDecision;
import dev.pledge.backup.retention.BackupRecord;
import dev.pledge.backup.retention.RetentionPlan;
import dev.pledge.backup.retention.RetentionPlanner;
import dev.pledge.backup.retention.RetentionPolicy;
import dev.pledge.backup.retention.Semantics;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/** backup: which of 200 nightly backups to keep, archive to Glacier or delete, with the reasons. */
public final class RetentionExample {
  private RetentionExample() {}

  public static void main(String[] args) {
    Instant now = Instant.parse("2026-11-21T09:00:00Z");
    List<BackupRecord> nightly = new ArrayList<>();
    for (int d = 0; d < 200; d++) {
      nightly.add(BackupRecord.of("b" + d, now.minus(Duration.ofDays(d)).minus(Duration.ofHours(7)))
          .withSize(50_000_000L));
    }
    RetentionPolicy policy = Bundled.policy().require(RetentionPolicy.class); // 3 months hot, then GLACIER
    for (Semantics semantics : Semantics.values()) {
      RetentionPlanner planner = RetentionPlanner.builder(policy).semantics(semantics)
          .clock(Clock.fixed(now, ZoneOffset.UTC)).build();
      RetentionPlan plan = planner.plan(nightly);
      System.out.println(semantics + ": keep " + plan.keep().size() + ", archive " + plan.archive().size()
          + ", delete " + plan.delete().size());
    }
    RetentionPlan plan = RetentionPlanner.builder(policy).clock(Clock.fixed(now, ZoneOffset.UTC)).build().plan(nightly);
    for (BackupDecision d : List.of(plan.keep().get(0), plan.archive().get(0), plan.delete().get(0))) {
      System.out.println("  " + d.backup().id() + " " + d.backup().time() + ": " + d.decision().label() + " " + d.reasons());
    }
  }
}
