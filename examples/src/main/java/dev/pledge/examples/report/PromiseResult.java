package dev.pledge.examples.report;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A promise's status in a report and why.
 *
 * @param promise the promise
 * @param status kept, not kept, or not applicable
 * @param summary one sentence: what proves it, or why not
 * @param evidence the figures the run measured, by name, in order
 */
public record PromiseResult(Promise promise, PromiseStatus status, String summary, Map<String, String> evidence) {

  /** Validates and copies. */
  public PromiseResult {
    Objects.requireNonNull(promise, "promise");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(summary, "summary");
    evidence = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(evidence));
    if (status == PromiseStatus.KEPT && evidence.isEmpty()) {
      throw new IllegalArgumentException(promise.id() + " is marked kept without evidence");
    }
  }
}
