package dev.pledge.security.internal;

import dev.pledge.core.evidence.CheckContext;
import dev.pledge.core.evidence.Evidence;
import dev.pledge.core.evidence.Judgement;
import dev.pledge.core.evidence.PromiseCheck;
import dev.pledge.core.time.Durations;
import dev.pledge.security.breach.BreachJournal;
import dev.pledge.security.breach.BreachPolicy;
import dev.pledge.security.breach.BreachReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * Judges P32 (the response is rehearsed every quarter) from the breach journal the policy's
 * {@code breach.journal} names: kept when a complete drill finished within {@code drillEvery} before
 * the period's end, and every drill that finished in the period ran every step; not kept naming the
 * last complete drill and when the next was due, or the first drill that skipped a step. Stateless
 * and thread-safe.
 */
public final class BreachJournalCheck implements PromiseCheck {

  @Override
  public String name() {
    return "security.breach";
  }

  @Override
  public List<Integer> promises() {
    return List.of(32);
  }

  @Override
  public List<Judgement> judge(CheckContext ctx) throws Exception {
    BreachPolicy policy = ctx.policy().section(BreachPolicy.class).orElse(null);
    if (policy == null || policy.journal() == null) {
      return List.of(Judgement.noEvidence(32, policy == null ? "the policy has no breach section"
          : "the policy names no breach journal (breach.journal), so no drill can be shown"));
    }
    String where = policy.journal().startsWith("jdbc:") ? DriverManagerDataSource.redact(policy.journal()) : policy.journal();
    BreachJournal journal;
    if (policy.journal().startsWith("file:")) {
      Path dir = ctx.resolve(policy.journal().substring("file:".length())).normalize();
      if (!Files.isRegularFile(dir.resolve("breach.json"))) {
        return List.of(Judgement.notKept(32, "the breach journal " + where + " is gone: no drill can be shown",
            List.of(Evidence.of("breach journal", dir.resolve("breach.json") + " (no such file)"))));
      }
      journal = BreachJournal.folder(dir);
    } else {
      journal = BreachJournal.jdbc(DriverManagerDataSource.of(policy.journal()));
    }
    try {
      return List.of(judge(ctx, policy, where, journal));
    } finally {
      if (journal instanceof AutoCloseable c) {
        c.close();
      }
    }
  }

  private static Judgement judge(CheckContext ctx, BreachPolicy policy, String where, BreachJournal journal) {
    Instant to = ctx.period().to();
    Instant since = to.atOffset(ZoneOffset.UTC).minus(policy.drillEvery()).toInstant();
    BreachJournal.Entry last = null;
    int drills = 0;
    List<String> incomplete = new ArrayList<>();
    for (BreachJournal.Entry e : journal.entries()) {
      if (!e.incident().drill() || !e.finished() || e.finishedAt().isAfter(to)) {
        continue;
      }
      drills++;
      if (!e.complete()) {
        if (ctx.period().contains(e.finishedAt())) {
          List<String> missing = e.steps().stream().filter(s -> s.status() != BreachReport.StepResult.Status.DONE)
              .map(s -> s.step().name()).toList();
          incomplete.add(e.incident().id() + " " + e.finishedAt() + (missing.isEmpty() ? "" : " (" + String.join(", ", missing)
              + " not done)"));
        }
        continue;
      }
      if (last == null || e.finishedAt().isAfter(last.finishedAt())) {
        last = e;
      }
    }
    List<Evidence> ev = new ArrayList<>();
    ev.add(Evidence.of("breach journal", where));
    ev.add(Evidence.of("drill every", Durations.formatPeriod(policy.drillEvery())));
    ev.add(Evidence.of("drills journaled", drills));
    ev.add(Evidence.of("last complete drill", last == null ? "none" : last.incident().id() + ", finished " + last.finishedAt()
        + ", " + last.steps().size() + " steps"));
    if (last != null) {
      ev.add(Evidence.of("next drill due", last.finishedAt().atOffset(ZoneOffset.UTC).plus(policy.drillEvery()).toInstant()));
    }
    if (!incomplete.isEmpty()) {
      ev.add(Evidence.of("drills that skipped a step", String.join("; ", incomplete)));
    }
    if (last == null) {
      return Judgement.notKept(32, "no complete drill is journaled in " + where, ev);
    }
    boolean recent = !last.finishedAt().isBefore(since);
    return Judgement.judged(32, recent && incomplete.isEmpty(),
        "rehearsed: drill " + last.incident().id() + " ran every step on " + last.finishedAt() + ", within the last "
            + Durations.formatPeriod(policy.drillEvery()),
        !recent ? "no complete drill in the last " + Durations.formatPeriod(policy.drillEvery()) + ": the last one finished "
            + last.finishedAt() : incomplete.size() + " drills in the period skipped a step", ev);
  }
}
