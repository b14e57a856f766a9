package dev.pledge.benchmarks;

import dev.pledge.core.time.Durations;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Parsing a policy duration: Pledge's grammar on the forms people write, beside the JDK's ISO-8601
 * parser on the same durations written as ISO. Policy loading is not a hot path; this keeps the
 * grammar honest (no regex backtracking, no surprise allocation).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class DurationParseBenchmark {

  @Param({"pledge", "jdk"})
  public String impl;

  private static final String[] HUMAN = {"5m", "120 minutes", "6h", "48 hours", "7d", "1h30m"};
  private static final String[] ISO = {"PT5M", "PT120M", "PT6H", "PT48H", "P7D", "PT1H30M"};
  private int i;

  @Benchmark
  public Duration parse() {
    int k = i++ % HUMAN.length;
    return impl.equals("pledge") ? Durations.parse(HUMAN[k]) : Duration.parse(ISO[k]);
  }
}
