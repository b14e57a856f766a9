package dev.pledge.core.evidence;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;

/**
 * Runs promise checks over a deployment and gathers their judgements by promise. A check that throws,
 * or returns no judgement for a promise it named, never takes the assessment down: its promises are
 * reported as {@link Verdict#ERROR} naming the exception. Immutable once run; thread-safe.
 */
public final class Assessment {
  private final Map<Integer, List<Judgement>> byPromise;
  private final List<String> checks;

  private Assessment(Map<Integer, List<Judgement>> byPromise, List<String> checks) {
    this.byPromise = byPromise;
    this.checks = checks;
  }

  /** Every check registered on the class path (modules' {@code META-INF/services}), by name. */
  public static List<PromiseCheck> registered() {
    List<PromiseCheck> out = new ArrayList<>();
    ServiceLoader.load(PromiseCheck.class, Assessment.class.getClassLoader()).forEach(out::add);
    ServiceLoader.load(PromiseCheck.class).forEach(c -> {
      if (out.stream().noneMatch(o -> o.getClass() == c.getClass())) {
        out.add(c);
      }
    });
    out.sort(java.util.Comparator.comparing(PromiseCheck::name));
    return out;
  }

  /** Runs every {@link #registered()} check over {@code ctx}. */
  public static Assessment run(CheckContext ctx) {
    return run(ctx, registered());
  }

  /** Runs {@code checks} over {@code ctx}, in order. */
  public static Assessment run(CheckContext ctx, List<? extends PromiseCheck> checks) {
    Map<Integer, List<Judgement>> by = new TreeMap<>();
    List<String> names = new ArrayList<>();
    for (PromiseCheck check : checks) {
      names.add(check.name());
      List<Judgement> got;
      try {
        got = List.copyOf(check.judge(ctx));
      } catch (Exception | LinkageError | AssertionError e) {
        for (int p : check.promises()) {
          by.computeIfAbsent(p, k -> new ArrayList<>()).add(error(p, check, e));
        }
        continue;
      }
      for (int p : check.promises()) {
        List<Judgement> mine = got.stream().filter(j -> j.promise() == p).toList();
        by.computeIfAbsent(p, k -> new ArrayList<>()).addAll(mine.isEmpty()
            ? List.of(new Judgement(p, Verdict.ERROR, "check " + check.name() + " returned no judgement for P" + p,
                List.of(Evidence.of("check", check.name()))))
            : mine);
      }
    }
    Map<Integer, List<Judgement>> frozen = new LinkedHashMap<>();
    by.forEach((k, v) -> frozen.put(k, List.copyOf(v)));
    return new Assessment(Collections.unmodifiableMap(frozen), List.copyOf(names));
  }

  private static Judgement error(int promise, PromiseCheck check, Throwable e) {
    String m = e.getMessage();
    String what = e.getClass().getSimpleName() + (m == null || m.isBlank() ? "" : ": " + m);
    return new Judgement(promise, Verdict.ERROR, "check " + check.name() + " failed: " + what,
        List.of(Evidence.of("check", check.name()), Evidence.of("error", what)));
  }

  /** The names of the checks that ran, in order. */
  public List<String> checks() {
    return checks;
  }

  /** The promises some check judged, in number order. */
  public List<Integer> promises() {
    return List.copyOf(byPromise.keySet());
  }

  /** Every judgement of promise {@code number}; empty when no check judges it. */
  public List<Judgement> judgements(int number) {
    return byPromise.getOrDefault(number, List.of());
  }

  /**
   * The verdict on promise {@code number}: {@link Verdict#ERROR} if any check failed on it, else
   * {@link Verdict#NOT_KEPT} if any check found a violation, else {@link Verdict#KEPT} if at least one
   * check found it kept, else {@link Verdict#NO_EVIDENCE} (also when no check judges it).
   */
  public Verdict verdict(int number) {
    List<Judgement> js = judgements(number);
    for (Verdict v : List.of(Verdict.ERROR, Verdict.NOT_KEPT, Verdict.KEPT)) {
      if (js.stream().anyMatch(j -> j.verdict() == v)) {
        return v;
      }
    }
    return Verdict.NO_EVIDENCE;
  }
}
