package dev.pledge.examples.tour;

import dev.pledge.backup.retention.BackupDecision;
import dev.pledge.backup.retention.BackupKind;
import dev.pledge.backup.retention.BackupRecord;
import dev.pledge.backup.retention.ColdStorageClass;
import dev.pledge.backup.retention.Decision;
import dev.pledge.backup.retention.RetentionPlan;
import dev.pledge.backup.retention.RetentionPlanner;
import dev.pledge.backup.retention.RetentionPolicy;
import dev.pledge.core.time.Durations;
import dev.pledge.examples.report.Charts;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Eight months of simulated backup history of one database (a full backup every night at 02:00
 * London, a log segment every 5 minutes for the last 9 days) run through the retention calculator
 * with the policy's rules: kept for 3 months, then archived to the cold class, thinned beyond
 * (P11, P12), with the point-in-time window still covered (P9).
 */
final class RetentionStep implements TourStep {
  private static final ZoneId LONDON = ZoneId.of("Europe/London");
  private static final int DAYS = 240;

  @Override
  public List<Integer> promises() {
    return List.of(11, 12);
  }

  @Override
  public String tag() {
    return "retention";
  }

  @Override
  public void run(TourContext ctx) {
    RetentionPolicy policy = ctx.policy().section(RetentionPolicy.class).orElse(RetentionPolicy.defaults());
    RetentionPlanner planner = RetentionPlanner.builder(policy).clock(ctx.clock()).build();
    Instant now = ctx.start();
    ctx.clock().set(now);

    List<BackupRecord> history = new ArrayList<>();
    LocalDate today = now.atZone(LONDON).toLocalDate();
    String newestFull = null;
    for (int d = DAYS; d >= 0; d--) {
      Instant at = ZonedDateTime.of(today.minusDays(d), LocalTime.of(2, 0), LONDON).toInstant();
      if (at.isAfter(now)) {
        continue;
      }
      String id = "full-" + today.minusDays(d);
      // Sizes grow with the shop: 40 MB eight months ago to about 64 MB now.
      history.add(new BackupRecord(id, at, BackupKind.FULL, null, 40_000_000L + (DAYS - d) * 100_000L, null));
      if (d <= 9) {
        // Segments run until the next night's full backup (23, 24 or 25 hours later across a clock
        // change) and never past now.
        Instant next = ZonedDateTime.of(today.minusDays(d - 1), LocalTime.of(2, 0), LONDON).toInstant();
        for (Instant t = at.plus(Duration.ofMinutes(5)); t.isBefore(next) && !t.isAfter(now); t = t.plus(Duration.ofMinutes(5))) {
          history.add(new BackupRecord("log-" + t.getEpochSecond(), t, BackupKind.LOG, id, 2_000_000L, null));
        }
      }
      newestFull = id;
    }

    RetentionPlan plan = planner.plan(history);
    Instant hotEdge = now.atZone(planner.zone()).minus(planner.hotPeriod()).toInstant();
    int fulls = 0;
    int logs = 0;
    int recentDeleted = 0;
    int oldKeptHot = 0;
    int archivedCold = 0;
    for (BackupDecision d : plan.decisions()) {
      BackupRecord b = d.backup();
      if (b.kind() == BackupKind.LOG) {
        logs++;
        continue;
      }
      fulls++;
      ctx.chart(new Charts.BackupPoint(b.time(), d.decision().label()));
      boolean recent = !b.time().isBefore(hotEdge);
      if (recent && d.decision() == Decision.DELETE) {
        recentDeleted++;
      }
      if (!recent && d.decision() == Decision.KEEP) {
        oldKeptHot++;
      }
      if (d.decision() == Decision.ARCHIVE) {
        archivedCold++;
      }
    }
    long logsKept = plan.keep().stream().filter(d -> d.backup().kind() == BackupKind.LOG).count();
    Instant pitrStart = now.minus(Duration.ofDays(7));
    long logsInWindowDeleted = plan.delete().stream()
        .filter(d -> d.backup().kind() == BackupKind.LOG && d.backup().time().isAfter(pitrStart)).count();
    ColdStorageClass cold = planner.coldStorageClass();
    ctx.say(tag(), DAYS + " days of nightly full backups (" + fulls + ") and " + logs + " five-minute log segments, "
        + planner.semantics().name().toLowerCase(java.util.Locale.ROOT) + " semantics in " + planner.zone() + ": "
        + countFull(plan, Decision.KEEP) + " full kept hot, " + archivedCold + " archived to " + cold + ", "
        + countFull(plan, Decision.DELETE) + " deleted; " + logsKept + " log segments kept for the 7-day window (P11, P12)");
    ctx.say(tag(), "nothing under " + Durations.formatPeriod(policy.hotPeriod()) + " old deleted: " + (recentDeleted == 0)
        + "; nothing older left in hot storage: " + (oldKeptHot == 0) + "; the point-in-time window intact: "
        + (logsInWindowDeleted == 0) + (plan.warnings().isEmpty() ? "" : "; warnings: " + plan.warnings()));

    Map<String, String> ev = new LinkedHashMap<>();
    ev.put("rules", rules(planner.rules()));
    ev.put("full backups", String.valueOf(fulls));
    ev.put("kept hot", String.valueOf(countFull(plan, Decision.KEEP)));
    ev.put("archived to " + cold, String.valueOf(archivedCold));
    ev.put("deleted", String.valueOf(countFull(plan, Decision.DELETE)));
    ev.put("newest full", newestFull);
    ctx.report().judged(11, recentDeleted == 0 && logsInWindowDeleted == 0,
        "every backup of the last " + Durations.formatPeriod(policy.hotPeriod()) + " is kept; beyond, a weekly and monthly tail",
        recentDeleted + " backups younger than " + Durations.formatPeriod(policy.hotPeriod()) + " would be deleted", ev);
    ctx.report().judged(12, oldKeptHot == 0 && archivedCold > 0,
        "every retained backup older than " + Durations.formatPeriod(policy.hotPeriod()) + " moves to " + cold
            + " (minimum storage " + cold.minimumStorageDuration().toDays() + " days respected)",
        oldKeptHot + " backups older than " + Durations.formatPeriod(policy.hotPeriod()) + " stay in hot storage",
        TourContext.evidence("archived to " + cold, String.valueOf(archivedCold), "hot period", Durations.formatPeriod(policy.hotPeriod()),
            "lifecycle", "the plan can also be emitted as an S3 lifecycle rule (ColdStorageLifecycle)"));
  }

  /** The keep rules as people write them: {@code last 7, daily 93, weekly 26, monthly 24, yearly 7}. */
  private static String rules(dev.pledge.backup.retention.RetentionRules r) {
    List<String> out = new ArrayList<>();
    int[] n = {r.last(), r.hourly(), r.daily(), r.weekly(), r.monthly(), r.yearly()};
    String[] names = {"last", "hourly", "daily", "weekly", "monthly", "yearly"};
    for (int i = 0; i < n.length; i++) {
      if (n[i] > 0) {
        out.add(names[i] + " " + n[i]);
      }
    }
    if (r.within() != null) {
      out.add("everything within " + TourContext.human(r.within()));
    }
    return String.join(", ", out);
  }

  private static long countFull(RetentionPlan plan, Decision d) {
    return plan.with(d).stream().filter(b -> b.backup().kind() != BackupKind.LOG).count();
  }
}
