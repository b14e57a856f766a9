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
import dev.pledge.security.breach.StepKind;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Judges P28-P32 from the breach journal the policy's {@code breach.journal} names, step by step as
 * the {@link dev.pledge.security.breach.BreachRunbook} wrote it down:
 * <ul>
 *   <li>P28-P31: from the real responses to breaches known in the period (detected before its end,
 *       and still open or finished in it), every one of them; when there was no breach, from the
 *       latest drill that finished within {@code drillEvery} before the period's end. Kept when the
 *       promise's steps ({@code NOTIFY_CUSTOMERS} within {@code notifyCustomersWithin} for P28,
 *       {@code REVOKE_EXTERNAL_KEYS} for P29, {@code FORCE_PASSWORD_RESET} for P30,
 *       {@code RESET_CLOUD_CREDENTIALS} and {@code ROTATE_DATASTORE_CREDENTIALS} for P31) are journaled
 *       as done, with what each did and when; not kept naming the step that failed, never finished,
 *       had no action, or is missing from the journal. P28's evidence of a real breach also names the
 *       regulator's deadline ({@code notifyRegulatorWithin}, 72 hours by default): the journal records
 *       no regulator notification, so the deadline is shown, not judged.</li>
 *   <li>P32 (rehearsed every quarter): kept when a complete drill finished within
 *       {@code drillEvery} before the period's end, and every drill that finished in the period ran
 *       every step; not kept naming the last complete drill and when the next was due, or the first
 *       drill that skipped a step.</li>
 * </ul>
 * A {@code file:} journal that does not exist is not kept (the deployment's record is gone), except
 * under the bundled policy, whose {@code file:breach} names a journal of the folder the report runs
 * in: there no journal means no evidence. Stateless and thread-safe.
 */
public final class BreachJournalCheck implements PromiseCheck {

  @Override
  public String name() {
    return "security.breach";
  }

  @Override
  public List<Integer> promises() {
    return List.of(28, 29, 30, 31, 32);
  }

  @Override
  public List<Judgement> judge(CheckContext ctx) throws Exception {
    BreachPolicy policy = ctx.policy().section(BreachPolicy.class).orElse(null);
    if (policy == null || policy.journal() == null) {
      String why = policy == null ? "the policy has no breach section"
          : "the policy names no breach journal (breach.journal), so no response or drill can be shown";
      return promises().stream().map(p -> Judgement.noEvidence(p, why)).toList();
    }
    String where = policy.journal().startsWith("jdbc:") ? DriverManagerDataSource.redact(policy.journal()) : policy.journal();
    BreachJournal journal;
    if (policy.journal().startsWith("file:")) {
      Path dir = ctx.resolve(policy.journal().substring("file:".length())).normalize();
      if (!Files.isRegularFile(dir.resolve("breach.json"))) {
        if (ctx.policy().source().startsWith("bundled:")) {
          return promises().stream().map(p -> Judgement.noEvidence(p, "the bundled policy's breach journal " + where
              + " does not exist in " + ctx.baseDirectory() + ": no response or drill was journaled here")).toList();
        }
        return promises().stream().map(p -> Judgement.notKept(p, "the breach journal " + where + " is gone: no "
            + (p == 32 ? "drill" : "response or drill") + " can be shown",
            List.of(Evidence.of("breach journal", dir.resolve("breach.json") + " (no such file)")))).toList();
      }
      journal = BreachJournal.folder(dir);
    } else {
      journal = BreachJournal.jdbc(DriverManagerDataSource.of(policy.journal()));
    }
    try {
      List<BreachJournal.Entry> entries = journal.entries();
      List<Judgement> out = new ArrayList<>(steps(ctx, policy, where, entries));
      out.add(judge(ctx, policy, where, entries));
      return out;
    } finally {
      if (journal instanceof AutoCloseable c) {
        c.close();
      }
    }
  }

  /** The steps each of P28-P31 needs done, in protocol order. */
  private static final Map<Integer, List<StepKind>> STEPS = Map.of(
      28, List.of(StepKind.NOTIFY_CUSTOMERS),
      29, List.of(StepKind.REVOKE_EXTERNAL_KEYS),
      30, List.of(StepKind.FORCE_PASSWORD_RESET),
      31, List.of(StepKind.RESET_CLOUD_CREDENTIALS, StepKind.ROTATE_DATASTORE_CREDENTIALS));

  private static List<Judgement> steps(CheckContext ctx, BreachPolicy policy, String where,
      List<BreachJournal.Entry> entries) {
    Instant from = ctx.period().from();
    Instant to = ctx.period().to();
    // every real breach known in the period: detected before its end, still open then or finished in it
    List<BreachJournal.Entry> responses = entries.stream().filter(e -> !e.incident().drill())
        .filter(e -> e.incident().detectedAt().isBefore(to))
        .filter(e -> !e.finished() || !e.finishedAt().isBefore(from)).toList();
    List<BreachJournal.Entry> judged;
    String basis;
    if (!responses.isEmpty()) {
      judged = responses;
      basis = responses.size() == 1 ? "the response to " + responses.get(0).incident().id()
          : "the " + responses.size() + " responses to breaches known in the period";
    } else {
      Instant since = to.atOffset(ZoneOffset.UTC).minus(policy.drillEvery()).toInstant();
      BreachJournal.Entry drill = entries.stream().filter(e -> e.incident().drill() && e.finished())
          .filter(e -> !e.finishedAt().isBefore(since) && e.finishedAt().isBefore(to))
          .max(Comparator.comparing(BreachJournal.Entry::finishedAt)).orElse(null);
      if (drill == null) {
        String why = "no breach was known in the period and no drill finished in the last "
            + Durations.formatPeriod(policy.drillEvery()) + " (" + where + "): nothing shows the step runs";
        return STEPS.keySet().stream().sorted().map(p -> Judgement.noEvidence(p, why)).toList();
      }
      judged = List.of(drill);
      basis = "drill " + drill.incident().id() + " of " + drill.finishedAt() + " (no breach was known in the period)";
    }
    List<Judgement> out = new ArrayList<>();
    for (int p : STEPS.keySet().stream().sorted().toList()) {
      List<Evidence> ev = new ArrayList<>();
      ev.add(Evidence.of("breach journal", where));
      ev.add(Evidence.of("judged from", basis));
      List<String> broken = new ArrayList<>();
      for (BreachJournal.Entry e : judged) {
        String id = e.incident().id();
        Instant detected = e.incident().detectedAt();
        for (StepKind k : STEPS.get(p)) {
          BreachReport.StepResult s = e.step(k).orElse(null);
          if (policy.steps().stream().noneMatch(st -> st.step() == k)) {
            if (!broken.contains(k + " is not a step of the policy's protocol")) {
              broken.add(k + " is not a step of the policy's protocol");
            }
          } else if (s == null) {
            broken.add(id + ": " + k + (e.finished() ? " is missing from the journal" : " not done yet (the response is open)"));
          } else if (s.status() != BreachReport.StepResult.Status.DONE) {
            broken.add(id + ": " + k + " " + s.status().name().toLowerCase(Locale.ROOT).replace('_', ' ')
                + (s.detail().isBlank() ? "" : " (" + s.detail() + ")"));
          } else {
            Duration after = Duration.between(detected, s.endedAt());
            ev.add(Evidence.of(id + " " + k, "done " + s.endedAt() + ", " + Durations.format(after.isNegative()
                ? Duration.ZERO : after) + " after " + (e.incident().drill() ? "the drill began" : "the breach was known")
                + ": " + s.detail()));
          }
        }
        if (p == 28) {
          Instant notified = e.customersNotifiedAt() != null ? e.customersNotifiedAt()
              : e.step(StepKind.NOTIFY_CUSTOMERS).filter(s -> s.status() == BreachReport.StepResult.Status.DONE)
                  .map(BreachReport.StepResult::endedAt).orElse(null);
          Instant deadline = detected.plus(policy.notifyCustomersWithin());
          if (notified != null && notified.isAfter(deadline)) {
            broken.add(id + ": customers notified " + Durations.format(Duration.between(detected, notified))
                + " after the breach was known, later than " + Durations.format(policy.notifyCustomersWithin()));
          } else if (notified == null && !e.finished() && to.isAfter(deadline)
              && broken.stream().noneMatch(b -> b.startsWith(id + ": "))) {
            broken.add(id + ": customers not notified " + Durations.format(policy.notifyCustomersWithin())
                + " after the breach was known");
          }
          ev.add(Evidence.of(id + " customers to be notified within", Durations.format(policy.notifyCustomersWithin())
              + " of " + detected));
          if (!e.incident().drill()) {
            Instant regulator = detected.plus(policy.notifyRegulatorWithin());
            ev.add(Evidence.of(id + " regulator to be notified by", regulator + " (" + Durations.format(
                policy.notifyRegulatorWithin()) + " after the breach was known; the journal records no regulator"
                + " notification, so this deadline is shown, not judged)"));
          }
        }
      }
      if (!broken.isEmpty()) {
        ev.add(Evidence.of("steps not done", String.join("; ", broken)));
      }
      String what = STEPS.get(p).stream().map(StepKind::name).collect(java.util.stream.Collectors.joining(" and "));
      String notKept = broken.isEmpty() ? "" : broken.size() == 1 ? "not done: " + broken.get(0)
          : broken.size() + " steps not done, first: " + broken.get(0);
      out.add(Judgement.judged(p, broken.isEmpty(),
          what + " done in " + basis + (p == 28 ? ", within " + Durations.format(policy.notifyCustomersWithin())
              + (responses.isEmpty() ? " of the drill's start" : " of the breach being known") : ""), notKept, ev));
    }
    return out;
  }

  private static Judgement judge(CheckContext ctx, BreachPolicy policy, String where, List<BreachJournal.Entry> entries) {
    Instant to = ctx.period().to();
    Instant since = to.atOffset(ZoneOffset.UTC).minus(policy.drillEvery()).toInstant();
    BreachJournal.Entry last = null;
    int drills = 0;
    List<String> incomplete = new ArrayList<>();
    for (BreachJournal.Entry e : entries) {
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
