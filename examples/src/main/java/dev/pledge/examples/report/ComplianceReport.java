package dev.pledge.examples.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.pledge.core.internal.Json;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The compliance report: every promise of PROMISES.md by number with its status and evidence, and
 * the charts of the run. Rendered as one self-contained HTML page ({@link HtmlReport}) and as JSON
 * with the same content. Immutable.
 *
 * @param organisation whose promises these are
 * @param policySource the policy document the run used
 * @param generatedAt when the report was made
 * @param periodFrom the start of the period the evidence was judged over, or null for a tour's own measurements
 * @param periodTo the end of that period (excluded), or null
 * @param promises one result per promise, in number order
 * @param charts the data behind the charts
 */
public record ComplianceReport(String organisation, String policySource, Instant generatedAt,
    Instant periodFrom, Instant periodTo, List<PromiseResult> promises, Charts charts) {

  /** Validates that every promise appears exactly once, in order. */
  public ComplianceReport {
    Objects.requireNonNull(organisation, "organisation");
    Objects.requireNonNull(policySource, "policySource");
    Objects.requireNonNull(generatedAt, "generatedAt");
    promises = List.copyOf(promises);
    for (int i = 0; i < promises.size(); i++) {
      if (promises.get(i).promise().number() != i + 1) {
        throw new IllegalArgumentException("promises must be P1..P" + promises.size() + " in order; position "
            + (i + 1) + " holds " + promises.get(i).promise().id());
      }
    }
    Objects.requireNonNull(charts, "charts");
  }

  /** How many promises have each status. */
  public Map<PromiseStatus, Integer> counts() {
    Map<PromiseStatus, Integer> c = new EnumMap<>(PromiseStatus.class);
    for (PromiseStatus s : PromiseStatus.values()) {
      c.put(s, 0);
    }
    promises.forEach(p -> c.merge(p.status(), 1, Integer::sum));
    return c;
  }

  /** The promises that are not kept: not kept, without evidence, or not judged because of an error. */
  public List<PromiseResult> failing() {
    return promises.stream().filter(p -> p.status().failing()).toList();
  }

  /**
   * An error as a report names it: the exception's simple name and its message, such as
   * {@code IllegalArgumentException: the report is already assigned to engineer bob}.
   */
  public static String describe(Throwable error) {
    String m = error.getMessage();
    return error.getClass().getSimpleName() + (m == null || m.isBlank() ? "" : ": " + m);
  }

  /** The result of promise {@code number}. */
  public PromiseResult promise(int number) {
    return promises.get(number - 1);
  }

  /** The report as one JSON document. */
  public String toJson() {
    try {
      return Json.mapper().copy().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(this);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write the report: " + e.getOriginalMessage(), e);
    }
  }

  /** The report as one self-contained HTML page. */
  public String toHtml() {
    return HtmlReport.render(this);
  }

  /**
   * Collects results promise by promise; any promise no step spoke for is reported as
   * {@link PromiseStatus#NO_EVIDENCE}, so a report can never claim more than the run measured.
   */
  public static Builder builder(String organisation, String policySource, Instant generatedAt) {
    return new Builder(organisation, policySource, generatedAt);
  }

  /** Builds a {@link ComplianceReport}. Not thread-safe. */
  public static final class Builder {
    private final String organisation;
    private final String policySource;
    private final Instant generatedAt;
    private final Map<Integer, PromiseResult> results = new java.util.TreeMap<>();
    private final List<Promise> catalog = Promise.all();
    private Charts charts = Charts.none();
    private Instant from;
    private Instant to;

    private Builder(String organisation, String policySource, Instant generatedAt) {
      this.organisation = organisation;
      this.policySource = policySource;
      this.generatedAt = generatedAt;
    }

    /** Marks promise {@code number} kept, with its evidence. */
    public Builder kept(int number, String summary, Map<String, String> evidence) {
      return put(number, PromiseStatus.KEPT, summary, evidence);
    }

    /** Marks promise {@code number} not kept, with the reason. */
    public Builder notKept(int number, String reason, Map<String, String> evidence) {
      return put(number, PromiseStatus.NOT_KEPT, reason, evidence);
    }

    /** Marks promise {@code number} as having no evidence, saying what was looked for. */
    public Builder noEvidence(int number, String what) {
      return put(number, PromiseStatus.NO_EVIDENCE, what, Map.of());
    }

    /** Marks promise {@code number} as not judged because its check failed, with the error. */
    public Builder failed(int number, String summary, Map<String, String> evidence) {
      return put(number, PromiseStatus.ERROR, summary, evidence);
    }

    /** The period the evidence was judged over, shown in the report. */
    public Builder period(Instant from, Instant to) {
      this.from = from;
      this.to = to;
      return this;
    }

    /** The results recorded so far, by promise number. */
    public Map<Integer, PromiseResult> recorded() {
      return java.util.Collections.unmodifiableMap(results);
    }

    /** Marks promise {@code number} not applicable to software, with the reason. */
    public Builder notApplicable(int number, String reason) {
      return put(number, PromiseStatus.NOT_APPLICABLE, reason, Map.of());
    }

    /**
     * Marks promise {@code number} as not judged because its measurement threw {@code error}, unless a
     * result was already recorded for it (what was measured before the failure stands).
     */
    public Builder error(int number, String where, Throwable error) {
      if (results.containsKey(number)) {
        return this;
      }
      return put(number, PromiseStatus.ERROR, where + " failed: " + describe(error),
          Map.of("error", describe(error)));
    }

    /** Kept when {@code kept}, else not kept with the same evidence. */
    public Builder judged(int number, boolean kept, String keptSummary, String notKeptReason,
        Map<String, String> evidence) {
      return kept ? kept(number, keptSummary, evidence) : notKept(number, notKeptReason, evidence);
    }

    /** The charts. */
    public Builder charts(Charts charts) {
      this.charts = Objects.requireNonNull(charts, "charts");
      return this;
    }

    private Builder put(int number, PromiseStatus status, String summary, Map<String, String> evidence) {
      if (number < 1 || number > catalog.size()) {
        throw new IllegalArgumentException("no promise P" + number + " (P1..P" + catalog.size() + ")");
      }
      PromiseResult old = results.get(number);
      if (old != null && old.status() == PromiseStatus.NOT_KEPT && status == PromiseStatus.KEPT) {
        return this; // one failing measurement is not undone by another that passed
      }
      results.put(number, new PromiseResult(catalog.get(number - 1), status, summary, evidence));
      return this;
    }

    /** The report. */
    public ComplianceReport build() {
      List<PromiseResult> all = new ArrayList<>();
      for (Promise p : catalog) {
        all.add(results.getOrDefault(p.number(),
            new PromiseResult(p, PromiseStatus.NO_EVIDENCE, "no evidence: nothing in this run measured it", Map.of())));
      }
      return new ComplianceReport(organisation, policySource, generatedAt, from, to, all, charts);
    }
  }
}
