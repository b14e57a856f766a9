package dev.pledge.core.audit;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The child process of {@link JsonLinesDurabilityTest}: 8 threads append to the trail named by the
 * first argument and print {@code ack T N} on stdout once record N of thread T is acknowledged. It
 * runs until the parent kills it with SIGKILL. A third argument {@code preallocated} opens the store
 * with {@link JsonLinesAuditStore#openPreallocated}; {@code written} appends with
 * {@link Durability#written} (5 ms), acknowledging records before they are forced.
 */
public final class AppendAndDie {
  private AppendAndDie() {}

  /** Appends until killed. */
  public static void main(String[] args) throws Exception {
    Path file = Path.of(args[0]);
    String mode = args.length > 2 ? args[2] : "grouped";
    ChainedAuditTrail trail = ChainedAuditTrail.builder(mode.equals("preallocated")
        ? JsonLinesAuditStore.openPreallocated(file) : JsonLinesAuditStore.open(file))
        .durability(mode.equals("written") ? Durability.written(java.time.Duration.ofMillis(5)) : Durability.grouped())
        .key(CheckpointKey.load(Path.of(args[1]))).checkpointEvery(50).checkpointInterval(null).build();
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < 8; t++) {
      String actor = "writer-" + t;
      Thread th = new Thread(() -> {
        for (long n = 1; ; n++) {
          trail.record(AuditRecord.of(Instant.EPOCH.plusSeconds(n), actor, "test.append", "r-" + n,
              AuditOutcome.SUCCESS));
          synchronized (System.out) {
            System.out.println("ack " + actor + " " + n);
            System.out.flush();
          }
        }
      });
      threads.add(th);
      th.start();
    }
    for (Thread th : threads) {
      th.join();
    }
  }
}
