package dev.pledge.core.evidence;

import java.util.List;
import java.util.Objects;

/**
 * A check's conclusion about one promise: the verdict, one sentence saying why, and the evidence
 * (what it read, the counts, the first violations). Immutable.
 *
 * @param promise the promise's number in PROMISES.md (P1 to P40)
 * @param verdict kept, not kept, no evidence or error
 * @param summary one sentence a reader understands: what proves it, or what broke it
 * @param evidence what was read and found, in order
 */
public record Judgement(int promise, Verdict verdict, String summary, List<Evidence> evidence) {

  /** Validates; a kept promise must show its evidence. */
  public Judgement {
    if (promise < 1) {
      throw new IllegalArgumentException("promise must be a positive number, got " + promise);
    }
    Objects.requireNonNull(verdict, "verdict");
    Objects.requireNonNull(summary, "summary");
    evidence = List.copyOf(evidence);
    if (verdict == Verdict.KEPT && evidence.isEmpty()) {
      throw new IllegalArgumentException("P" + promise + " is judged kept without evidence");
    }
  }

  /** Kept, with the evidence that shows it. */
  public static Judgement kept(int promise, String summary, List<Evidence> evidence) {
    return new Judgement(promise, Verdict.KEPT, summary, evidence);
  }

  /** Not kept, with the violations. */
  public static Judgement notKept(int promise, String summary, List<Evidence> evidence) {
    return new Judgement(promise, Verdict.NOT_KEPT, summary, evidence);
  }

  /** Kept when {@code kept}, else not kept, with the same evidence. */
  public static Judgement judged(int promise, boolean kept, String keptSummary, String notKeptSummary,
      List<Evidence> evidence) {
    return kept ? kept(promise, keptSummary, evidence) : notKept(promise, notKeptSummary, evidence);
  }

  /** Nothing to read, saying what was looked for. */
  public static Judgement noEvidence(int promise, String what) {
    return new Judgement(promise, Verdict.NO_EVIDENCE, what, List.of());
  }
}
