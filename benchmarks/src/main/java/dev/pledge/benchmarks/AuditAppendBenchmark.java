package dev.pledge.benchmarks;

import dev.pledge.core.audit.AuditOutcome;
import dev.pledge.core.audit.AuditRecord;
import dev.pledge.core.audit.AuditTrail;
import dev.pledge.core.audit.ChainedAuditTrail;
import dev.pledge.core.audit.Durability;
import dev.pledge.core.audit.JsonLinesAuditStore;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Appending audit records to a JSON Lines file from 8 threads, each record durable before the call
 * returns (P20): the chained trail with group commit ({@code grouped}; {@code grouped-nogather}
 * without waiting for the callers just acknowledged, as before gathering; {@code grouped-prealloc} on
 * a store that writes zeros ahead of its data, so each force flushes data only), the chained trail forcing
 * each record alone ({@code per-record}), and the trail Pledge had before the chain
 * ({@code legacy}: open the file, append one line, force, close, under one lock). Beside them,
 * {@code written-5ms}: the chained trail with {@link Durability#written} (5 ms), where one op is one
 * record written to the OS before the call returns and forced by a background force at most 5 ms
 * later (it survives the process being killed, not an OS crash or power loss within those 5 ms).
 * Files live under {@code target/}, on the disk, not on a tmpfs, so a force is a real one. One op =
 * one record.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 1, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(1)
@Threads(8)
public class AuditAppendBenchmark {
  @Param({"grouped", "grouped-prealloc", "grouped-nogather", "per-record", "written-5ms", "legacy"})
  public String impl;

  private Path dir;
  private AuditTrail trail;
  private final AuditRecord record = AuditRecord.of(Instant.parse("2026-11-01T06:30:00Z"), "alice",
      "access.grant", "db/shop", AuditOutcome.SUCCESS).withDetail("role", "operations");

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    dir = Files.createDirectories(Path.of("target", "audit-bench")).resolve(impl + "-" + System.nanoTime());
    Files.createDirectories(dir);
    Path file = dir.resolve("audit.jsonl");
    trail = switch (impl) {
      case "grouped" -> ChainedAuditTrail.builder(JsonLinesAuditStore.open(file)).durability(Durability.grouped())
          .build();
      case "grouped-prealloc" -> ChainedAuditTrail.builder(JsonLinesAuditStore.openPreallocated(file))
          .durability(Durability.grouped()).build();
      case "grouped-nogather" -> ChainedAuditTrail.builder(JsonLinesAuditStore.open(file))
          .durability(Durability.grouped().withoutGathering()).build();
      case "per-record" -> ChainedAuditTrail.builder(JsonLinesAuditStore.open(file))
          .durability(Durability.perRecord()).build();
      case "written-5ms" -> ChainedAuditTrail.builder(JsonLinesAuditStore.open(file))
          .durability(Durability.written(java.time.Duration.ofMillis(5))).build();
      default -> new Legacy(file);
    };
  }

  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    if (trail instanceof ChainedAuditTrail c) {
      c.close();
    }
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  @Benchmark
  public void record() {
    trail.record(record);
  }

  /** The trail as it was: one open, write and force per record, under one lock. */
  static final class Legacy implements AuditTrail {
    private final Path file;

    Legacy(Path file) {
      this.file = file;
    }

    @Override
    public synchronized void record(AuditRecord r) {
      byte[] line = ("{\"at\":\"" + r.at() + "\",\"actor\":\"" + r.actor() + "\",\"action\":\"" + r.action()
          + "\",\"resource\":\"" + r.resource() + "\",\"outcome\":\"" + r.outcome() + "\",\"details\":{\"role\":\""
          + r.details().get("role") + "\"}}\n").getBytes(StandardCharsets.UTF_8);
      try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
          StandardOpenOption.APPEND)) {
        ByteBuffer buf = ByteBuffer.wrap(line);
        while (buf.hasRemaining()) {
          ch.write(buf);
        }
        ch.force(false);
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }
  }
}
