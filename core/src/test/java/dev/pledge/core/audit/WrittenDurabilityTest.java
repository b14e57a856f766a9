package dev.pledge.core.audit;

import static dev.pledge.core.audit.JsonLinesDurabilityTest.rec;
import static dev.pledge.core.audit.JsonLinesDurabilityTest.recordSixOnAFullDisk;
import static dev.pledge.core.audit.JsonLinesDurabilityTest.resources;
import static dev.pledge.core.audit.JsonLinesDurabilityTest.verify;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pledge.core.PledgeException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link Durability#written}: a record is acknowledged once written to the OS and forced by a
 * background force at most the bound later (driven here by a {@link ManualScheduler}, so no time
 * passes); write errors still reach their caller, and a failed force fails the trail loudly (P20).
 */
class WrittenDurabilityTest {
  private static final Duration BOUND = Duration.ofMillis(5);

  @TempDir
  Path dir;

  private final AtomicReference<FullDiskChannel> disk = new AtomicReference<>();
  private final ManualScheduler scheduler = new ManualScheduler();

  private JsonLinesAuditStore store(Path file, long free) {
    return JsonLinesAuditStore.openWith(file, f -> {
      FullDiskChannel ch = new FullDiskChannel(FileChannel.open(f, StandardOpenOption.CREATE, StandardOpenOption.READ,
          StandardOpenOption.WRITE), free);
      disk.set(ch);
      return ch;
    });
  }

  private ChainedAuditTrail.Builder written(JsonLinesAuditStore store) {
    return ChainedAuditTrail.builder(store).durability(Durability.written(BOUND)).forceScheduler(scheduler);
  }

  @Test
  void recordReturnsOnceWrittenAndTheSchedulerForcesItAtMostTheBoundLater() {
    Path file = dir.resolve("audit.jsonl");
    ChainedAuditTrail trail = written(store(file, Long.MAX_VALUE)).build();
    int forcesAtOpen = disk.get().forces.get();
    trail.record(rec(1));
    trail.record(rec(2));
    trail.record(rec(3));

    assertThat(disk.get().forces.get()).as("no force before record returns").isEqualTo(forcesAtOpen);
    assertThat(resources(file)).as("written to the OS: another reader sees them").containsExactly("r-1", "r-2", "r-3");
    assertThat(scheduler.pending()).as("one force for all three, the bound after the first")
        .singleElement().satisfies(t -> assertThat(t.delay).isEqualTo(BOUND));

    assertThat(scheduler.runAll()).isEqualTo(1);
    assertThat(disk.get().forces.get()).isEqualTo(forcesAtOpen + 1);
    assertThat(scheduler.runAll()).as("nothing new written, nothing scheduled").isZero();

    trail.record(rec(4)); // the first record after a force schedules the next one
    assertThat(scheduler.pending()).hasSize(1);
    trail.close();
    assertThat(disk.get().forces.get()).as("close forces what is left").isEqualTo(forcesAtOpen + 2);
    assertThat(scheduler.pending()).as("the scheduled force was cancelled").isEmpty();
    assertThat(scheduler.isShutdown()).as("a scheduler the trail was given is not its to stop").isFalse();
    assertThat(resources(file)).containsExactly("r-1", "r-2", "r-3", "r-4");
    assertThat(verify(file, null).intact()).isTrue();
  }

  @Test
  void aRecordWrittenWhileAForceRunsSchedulesTheNextForce() {
    Path file = dir.resolve("audit.jsonl");
    try (ChainedAuditTrail trail = written(store(file, Long.MAX_VALUE)).build()) {
      trail.record(rec(1));
      disk.get().duringForce = () -> {
        disk.get().duringForce = null;
        trail.record(rec(2)); // may or may not be covered by the force under way: the next one covers it
      };
      assertThat(scheduler.runAll()).isEqualTo(1);
      assertThat(scheduler.pending()).singleElement().satisfies(t -> assertThat(t.delay).isEqualTo(BOUND));
      int forces = disk.get().forces.get();
      scheduler.runAll();
      assertThat(disk.get().forces.get()).isEqualTo(forces + 1);
    }
    assertThat(resources(file)).containsExactly("r-1", "r-2");
  }

  @Test
  void aCheckpointIsForcedBeforeItIsPublishedSoNoCopyCoversRecordsTheDiskLacks() throws Exception {
    Path file = dir.resolve("audit.jsonl");
    Path other = dir.resolve("published");
    CheckpointKey key = CheckpointKey.generateEd25519();
    try (ChainedAuditTrail trail = written(store(file, Long.MAX_VALUE)).key(key).checkpointEvery(3)
        .checkpointInterval(null).publishTo(CheckpointPublisher.toFolder(other)).build()) {
      int before = disk.get().forces.get();
      trail.record(rec(1));
      trail.record(rec(2));
      assertThat(disk.get().forces.get()).isEqualTo(before);
      trail.record(rec(3)); // closes a checkpoint: forced with it, then published
      assertThat(disk.get().forces.get()).isEqualTo(before + 1);
      try (Stream<AuditCheckpoint> published = CheckpointPublisher.toFolder(other).published()) {
        assertThat(published.map(AuditCheckpoint::seq)).containsExactly(3L);
      }
      scheduler.runAll(); // the force scheduled by record 1 finds nothing left to force
      assertThat(disk.get().forces.get()).isEqualTo(before + 1);
      trail.record(rec(4));
      trail.checkpoint(); // an explicit checkpoint forces too
      assertThat(disk.get().forces.get()).isEqualTo(before + 2);
    }
    assertThat(verify(file, key).intact()).isTrue();
  }

  @Test
  void aFullDiskFailsTheRecordWhoseWriteFailedAndTheTrailCarriesOnWhenSpaceReturns() throws Exception {
    Path file = dir.resolve("audit.jsonl");
    List<String> acknowledged;
    try (ChainedAuditTrail trail = written(store(file, 700)).build()) {
      acknowledged = new ArrayList<>(recordSixOnAFullDisk(trail, scheduler::runAll,
          "No space left on device", "audit.jsonl", "not written"));
      assertThat(acknowledged).as("a 700-byte disk holds some of six records").isNotEmpty();
      assertThat(6 - acknowledged.size()).isPositive();
      assertThat(Files.readString(file)).endsWith("\n");
      disk.get().free.set(Long.MAX_VALUE); // space returns
      trail.record(rec(7));
      acknowledged.add("r-7");
    }
    assertThat(resources(file)).containsExactlyElementsOf(acknowledged);
    assertThat(verify(file, null).intact()).isTrue();
  }

  @Test
  void aBackgroundForceThatFailsFailsTheTrailLoudlyNamingTheFileAndTheCause() {
    Path file = dir.resolve("audit.jsonl");
    ChainedAuditTrail trail = written(store(file, Long.MAX_VALUE)).key(CheckpointKey.generateEd25519()).build();
    trail.record(rec(1));
    scheduler.runAll(); // forced: seq 1 is on disk
    trail.record(rec(2));
    trail.record(rec(3));
    disk.get().failForces.set(true); // fsync reports EIO
    scheduler.runAll(); // nobody is waiting: the trail must remember

    for (Runnable call : List.<Runnable>of(() -> trail.record(rec(4)), trail::checkpoint)) {
      assertThatThrownBy(call::run).isInstanceOf(PledgeException.class)
          .hasMessageContaining(file.toString()).hasMessageContaining("Input/output error")
          .hasMessageContaining("after seq 1").hasMessageContaining("may not be on disk");
    }
    disk.get().failForces.set(false); // a later force succeeding does not bring back what the failed one lost
    assertThatThrownBy(() -> trail.record(rec(5))).hasMessageContaining("Input/output error");
    assertThatThrownBy(trail::close).isInstanceOf(PledgeException.class).hasMessageContaining("Input/output error");
    assertThatThrownBy(() -> trail.record(rec(6))).isInstanceOf(IllegalStateException.class);
    assertThat(resources(file)).as("what was written stays for verification").containsExactly("r-1", "r-2", "r-3");
  }

  @Test
  void aStoreThatCommitsEachGroupItselfRefusesWrittenDurability() {
    try (JdbcAuditStore jdbc = JdbcAuditStore.create("jdbc:h2:mem:audit_written;DB_CLOSE_DELAY=-1", "written_audit")) {
      assertThatThrownBy(() -> ChainedAuditTrail.builder(jdbc).durability(Durability.written(BOUND)).build())
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("written").hasMessageContaining("grouped");
    }
    assertThatThrownBy(() -> Durability.written(Duration.ZERO)).hasMessageContaining("positive");
    assertThat(Durability.written(BOUND)).hasToString("written(forced within 5ms)");
  }
}
