package dev.pledge.core.evidence;

import java.util.List;

/**
 * The service-provider interface through which a module registers the checks of the promises it
 * keeps. A check reads the deployment's real state named by the policy (its backup stores, audit
 * trail, schedules, settings) and judges its promises over a period. Modules list implementations in
 * {@code META-INF/services/dev.pledge.core.evidence.PromiseCheck}; {@link Assessment#run} finds every
 * one on the class path, so core names no module's checks.
 *
 * <p>A check returns one {@link Judgement} per promise it names in {@link #promises()}; it answers
 * {@link Verdict#NO_EVIDENCE} when the deployment holds nothing to read (the policy names no such
 * store, the period holds no slot). It may throw: the assessment then reports each of its promises as
 * {@link Verdict#ERROR} naming the exception, and the other checks still run. Implementations must be
 * stateless and thread-safe.
 */
public interface PromiseCheck {

  /** A short stable name, such as {@code backup.stores}, used in reports. */
  String name();

  /** The numbers of the promises this check judges (P1 to P40). */
  List<Integer> promises();

  /**
   * Judges this check's promises from the deployment's evidence over {@code ctx.period()}.
   *
   * @return one judgement per promise of {@link #promises()}
   * @throws Exception when the evidence cannot be read; reported as {@link Verdict#ERROR}
   */
  List<Judgement> judge(CheckContext ctx) throws Exception;
}
