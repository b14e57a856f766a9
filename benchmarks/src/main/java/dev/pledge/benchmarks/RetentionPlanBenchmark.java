package dev.pledge.benchmarks;

import dev.pledge.backup.retention.BackupRecord;
import dev.pledge.backup.retention.RetentionPlan;
import dev.pledge.backup.retention.RetentionPlanner;
import dev.pledge.backup.retention.RetentionRules;
import dev.pledge.backup.retention.Semantics;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.Period;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
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
 * A retention plan over 1,000,000 backups (one every 5 minutes with jitter, about 9.5 years, in
 * shuffled order; bundled-policy rules in Europe/London with a 3-month hot period), beside sorting
 * the same 1,000,000 timestamps ({@code Instant[]}, natural order) in the same run (P11, P12).
 * The goal is a plan within 3x of the sort.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class RetentionPlanBenchmark {

  @Param({"pledge", "restic", "borg", "sort"})
  public String impl;

  @Param({"1000000"})
  public int backups;

  private List<BackupRecord> inventory;
  private Instant[] times;
  private RetentionPlanner planner;

  @Setup
  public void setUp() {
    Random random = new Random(42);
    Instant newest = Instant.parse("2026-11-21T00:00:00Z");
    inventory = new ArrayList<>(backups);
    for (int i = 0; i < backups; i++) {
      Instant t = newest.minus(Duration.ofMinutes(5L * i)).plusSeconds(random.nextInt(60));
      inventory.add(BackupRecord.of("b" + i, t));
    }
    Collections.shuffle(inventory, random);
    times = inventory.stream().map(BackupRecord::time).toArray(Instant[]::new);
    Semantics semantics = impl.equals("sort") ? Semantics.PLEDGE : Semantics.parse(impl);
    planner = RetentionPlanner.builder().semantics(semantics).zone(ZoneId.of("Europe/London"))
        .clock(Clock.fixed(newest.plusSeconds(3600), ZoneOffset.UTC)).hotPeriod(Period.ofMonths(3))
        .rules(RetentionRules.builder().last(7).hourly(24).daily(92).weekly(26).monthly(24).yearly(7).build())
        .build();
  }

  @Benchmark
  public Object run() {
    if (impl.equals("sort")) {
      Instant[] copy = times.clone();
      Arrays.sort(copy);
      return copy;
    }
    RetentionPlan plan = planner.plan(inventory);
    return plan;
  }
}
