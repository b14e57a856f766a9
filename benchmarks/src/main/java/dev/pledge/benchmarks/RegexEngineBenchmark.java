package dev.pledge.benchmarks;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The regular-expression part of SLA classification on its own (issue 19): the 10 pattern rules of
 * {@link SlaClassifyBenchmark} ({@code err(or)?-<k>\d{3}\b}, case-insensitive) searched in the same
 * 2 KB report, by RE2/J ({@code re2j}, the engine policy patterns run on now: linear time) and by
 * {@code java.util.regex} ({@code jdk}, the engine before; backtracking), in one run. One operation
 * searches all 10 patterns over the whole text (no literal prefilter), the worst case for either.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RegexEngineBenchmark {
  @Param({"re2j", "jdk"})
  public String impl;

  private String text;
  private com.google.re2j.Pattern[] re2j;
  private java.util.regex.Pattern[] jdk;

  @Setup
  public void setUp() {
    String seed = "Hello team, since this morning our staff report that the dashboard behaves strangely. "
        + "When a user opens the orders page the totals differ from the export and beta17 shows up in the log. "
        + "We cannot reach 12 of the warehouse printers and the screen shows error-5123 after a refresh. "
        + "Nothing changed on our side as far as we know; the network team checked the firewall and DNS. ";
    StringBuilder b = new StringBuilder();
    while (b.length() < 2048) {
      b.append(seed);
    }
    b.setLength(2048);
    text = b.toString();
    re2j = new com.google.re2j.Pattern[10];
    jdk = new java.util.regex.Pattern[10];
    for (int k = 0; k < 10; k++) {
      String p = "err(or)?-" + k + "\\d{3}\\b";
      re2j[k] = com.google.re2j.Pattern.compile(p, com.google.re2j.Pattern.CASE_INSENSITIVE);
      jdk[k] = java.util.regex.Pattern.compile(p, java.util.regex.Pattern.CASE_INSENSITIVE);
    }
    if (search() != 1) {
      throw new IllegalStateException("benchmark setup: expected 1 matching pattern, got " + search());
    }
  }

  /** How many of the 10 patterns occur in the report (1: error-5123). */
  @Benchmark
  public int search() {
    int found = 0;
    if (impl.equals("re2j")) {
      for (com.google.re2j.Pattern p : re2j) {
        found += p.matcher(text).find() ? 1 : 0;
      }
    } else {
      for (java.util.regex.Pattern p : jdk) {
        found += p.matcher(text).find() ? 1 : 0;
      }
    }
    return found;
  }
}
