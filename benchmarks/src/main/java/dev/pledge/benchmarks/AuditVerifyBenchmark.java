package dev.pledge.benchmarks;

import dev.pledge.core.Scope;
import dev.pledge.core.audit.AuditOutcome;
import dev.pledge.core.audit.AuditRecord;
import dev.pledge.core.audit.AuditVerification;
import dev.pledge.core.audit.AuditVerifier;
import dev.pledge.core.audit.ChainedAuditTrail;
import dev.pledge.core.audit.CheckpointKey;
import dev.pledge.core.audit.Durability;
import dev.pledge.core.audit.JsonLinesAuditStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Verifying a JSON Lines trail of 200,000 records with a checkpoint every 1,000 (Ed25519), in one
 * streaming pass (P14, P20). One op = one record verified, so the score is records a second.
 */
@State(org.openjdk.jmh.annotations.Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 1)
@Measurement(iterations = 3)
@Fork(value = 1, jvmArgs = {"-Xmx256m"})
public class AuditVerifyBenchmark {
  static final int RECORDS = 200_000;

  private Path dir;
  private Path file;
  private CheckpointKey key;

  @Setup
  public void setUp() throws IOException {
    dir = Files.createTempDirectory("pledge-audit-verify");
    file = dir.resolve("audit.jsonl");
    key = CheckpointKey.generateEd25519();
    Instant t = Instant.parse("2026-11-01T06:30:00Z");
    try (ChainedAuditTrail trail = ChainedAuditTrail.builder(JsonLinesAuditStore.open(file)).key(key)
        .checkpointEvery(1000).checkpointInterval(null).durability(Durability.grouped(5000)).build()) {
      // 16 writers so that group commit fills the file quickly; the setup is not measured
      java.util.List<Thread> ts = new java.util.ArrayList<>();
      for (int th = 0; th < 16; th++) {
        int id = th;
        Thread x = new Thread(() -> {
          for (int i = id; i < RECORDS; i += 16) {
            trail.record(new AuditRecord(t.plusMillis(i), "user-" + (i % 50), i % 3 == 0 ? "access.grant" : "backup.run",
                "db/shop-" + (i % 7), AuditOutcome.SUCCESS, Scope.of("shop", "production"), Map.of("n",
                    String.valueOf(i), "role", "operations")));
          }
        });
        ts.add(x);
        x.start();
      }
      for (Thread x : ts) {
        try {
          x.join();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  @TearDown
  public void tearDown() throws IOException {
    Files.deleteIfExists(file);
    Files.deleteIfExists(dir);
  }

  @Benchmark
  @OperationsPerInvocation(RECORDS)
  public AuditVerification verify() {
    try (JsonLinesAuditStore s = JsonLinesAuditStore.openForReading(file)) {
      AuditVerification v = AuditVerifier.create().key(key).verify(s);
      if (!v.intact() || v.records() != RECORDS) {
        throw new IllegalStateException(v.toString());
      }
      return v;
    }
  }
}
