package dev.pledge.core.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pledge.core.PledgeException;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The JSON Lines store keeps every acknowledged record through a full disk and {@code kill -9}, never
 * appends onto a torn line, and shares one force among concurrent callers (P14, P20).
 */
class JsonLinesDurabilityTest {
  @TempDir
  Path dir;

  static AuditRecord rec(int n) {
    return AuditRecord.of(Instant.parse("2026-11-01T06:00:00Z").plusSeconds(n), "alice", "test.append", "r-" + n,
        AuditOutcome.SUCCESS);
  }

  static List<String> resources(Path file) {
    try (JsonLinesAuditStore s = JsonLinesAuditStore.openForReading(file);
        Stream<ChainedRecord> r = s.records(AuditQuery.all())) {
      return r.map(c -> c.record().resource()).toList();
    }
  }

  static AuditVerification verify(Path file, CheckpointKey key) {
    try (JsonLinesAuditStore s = JsonLinesAuditStore.openForReading(file)) {
      return (key == null ? AuditVerifier.create() : AuditVerifier.create().key(key)).verify(s);
    }
  }

  /**
   * Records r-1 to r-6 on a trail whose disk fills up, running {@code afterEach} after each attempt;
   * every refusal must be the disk's, its message containing {@code messageParts}. Returns the
   * resources of the records acknowledged; the rest failed.
   */
  static List<String> recordSixOnAFullDisk(ChainedAuditTrail trail, Runnable afterEach, String... messageParts) {
    List<String> acknowledged = new ArrayList<>();
    for (int n = 1; n <= 6; n++) {
      try {
        trail.record(rec(n));
        acknowledged.add("r-" + n);
      } catch (PledgeException e) {
        assertThat(e.getMessage()).contains(messageParts);
      }
      afterEach.run();
    }
    return acknowledged;
  }

  @Test
  void aTornLastLineIsSetAsideOnOpenAndNeverAppendedTo() throws Exception {
    Path file = dir.resolve("audit.jsonl");
    try (ChainedAuditTrail t = AuditTrail.jsonLines(file)) {
      t.record(rec(1));
      t.record(rec(2));
    }
    String torn = "{\"seq\":3,\"at\":\"2026-11-01T06:00:03Z\",\"actor\":\"ali";
    Files.writeString(file, torn, StandardOpenOption.APPEND);

    try (ChainedAuditTrail t = AuditTrail.jsonLines(file)) {
      ChainedRecord c = t.append(rec(3));
      assertThat(c.seq()).isEqualTo(3);
    }
    assertThat(Files.readString(file.resolveSibling("audit.jsonl.torn"))).isEqualTo(torn + "\n");
    assertThat(Files.readAllLines(file)).hasSize(3).allSatisfy(l -> assertThat(l).startsWith("{\"seq\":"));
    assertThat(resources(file)).containsExactly("r-1", "r-2", "r-3");
    assertThat(verify(file, null).intact()).isTrue();
  }

  @Test
  void aFullDiskFailsTheRecordLeavesNoPartialLineAndTheTrailCarriesOnWhenSpaceReturns() throws Exception {
    Path file = dir.resolve("audit.jsonl");
    AtomicReference<FullDiskChannel> disk = new AtomicReference<>();
    JsonLinesAuditStore store = JsonLinesAuditStore.openWith(file, f -> {
      FullDiskChannel ch = new FullDiskChannel(FileChannel.open(f, StandardOpenOption.CREATE, StandardOpenOption.READ,
          StandardOpenOption.WRITE), 700);
      disk.set(ch);
      return ch;
    });
    List<String> acknowledged;
    try (ChainedAuditTrail trail = ChainedAuditTrail.builder(store).durability(Durability.perRecord()).build()) {
      acknowledged = new ArrayList<>(recordSixOnAFullDisk(trail, () -> { },
          "No space left on device", "audit.jsonl", "not written"));
      assertThat(6 - acknowledged.size()).as("a 700-byte disk holds only some of six records").isPositive();
      assertThat(Files.readString(file)).endsWith("\n");
      disk.get().free.set(Long.MAX_VALUE); // space returns
      trail.record(rec(7));
      acknowledged.add("r-7");
    }
    assertThat(resources(file)).containsExactlyElementsOf(acknowledged);
    assertThat(verify(file, null).intact()).isTrue();
  }

  @Test
  void aRealTmpfsThatFillsUpLosesNoAcknowledgedRecord() throws Exception {
    Path mnt = Files.createDirectories(dir.resolve("small"));
    Process mount = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=16k", "tmpfs", mnt.toString())
        .redirectErrorStream(true).start();
    boolean mounted = mount.waitFor(10, TimeUnit.SECONDS) && mount.exitValue() == 0;
    // the failing-channel test above covers this everywhere; a real full file system needs mount rights
    Assumptions.assumeTrue(mounted, "mount -t tmpfs is not permitted here; the failing-channel test stands in");
    try {
      Path file = mnt.resolve("audit.jsonl");
      List<String> acknowledged = new ArrayList<>();
      int failures = 0;
      try (ChainedAuditTrail trail = ChainedAuditTrail.builder(JsonLinesAuditStore.open(file))
          .durability(Durability.perRecord()).build()) {
        for (int n = 1; n <= 200 && failures < 3; n++) {
          try {
            trail.record(rec(n).withDetail("pad", "x".repeat(100)));
            acknowledged.add("r-" + n);
          } catch (PledgeException e) {
            failures++;
            assertThat(e.getMessage()).contains("No space left on device");
          }
        }
        assertThat(failures).isEqualTo(3);
        assertThat(Files.readString(file)).endsWith("\n");
        // space returns: the file system grows, and the same trail carries on on a clean line
        Process grow = new ProcessBuilder("mount", "-o", "remount,size=1m", mnt.toString()).start();
        assertThat(grow.waitFor(10, TimeUnit.SECONDS) && grow.exitValue() == 0).isTrue();
        trail.record(rec(1000));
        acknowledged.add("r-1000");
      }
      assertThat(resources(file)).containsExactlyElementsOf(acknowledged);
      assertThat(verify(file, null).intact()).isTrue();
    } finally {
      new ProcessBuilder("umount", mnt.toString()).start().waitFor(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void eightConcurrentWritersShareForcesAndKeepOneLinearChain() throws Exception {
    Path file = dir.resolve("audit.jsonl");
    AtomicReference<FullDiskChannel> disk = new AtomicReference<>();
    JsonLinesAuditStore store = JsonLinesAuditStore.openWith(file, f -> {
      FullDiskChannel ch = new FullDiskChannel(FileChannel.open(f, StandardOpenOption.CREATE, StandardOpenOption.READ,
          StandardOpenOption.WRITE), Long.MAX_VALUE);
      disk.set(ch);
      return ch;
    });
    int threads = 8;
    int each = 100;
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> ts = new ArrayList<>();
    try (ChainedAuditTrail trail = ChainedAuditTrail.builder(store).durability(Durability.grouped(64)).build()) {
      for (int t = 0; t < threads; t++) {
        int id = t;
        Thread th = new Thread(() -> {
          try {
            start.await();
          } catch (InterruptedException e) {
            return;
          }
          for (int n = 0; n < each; n++) {
            trail.record(AuditRecord.of(Instant.EPOCH, "w" + id, "test.append", "r-" + id + "-" + n,
                AuditOutcome.SUCCESS));
          }
        });
        ts.add(th);
        th.start();
      }
      start.countDown();
      for (Thread th : ts) {
        th.join();
      }
    }
    List<String> all = resources(file);
    assertThat(all).hasSize(threads * each).doesNotHaveDuplicates();
    assertThat(verify(file, null).intact()).isTrue();
    assertThat(disk.get().forces.get()).as("forces for %d records", threads * each).isLessThan(threads * each);
  }

  @Test
  void everyAcknowledgedRecordSurvivesKillDashNineWhileEightThreadsAppend() throws Exception {
    killWhileEightThreadsAppend("grouped");
  }

  @Test
  void everyRecordAcknowledgedBeforeItsForceSurvivesKillDashNineToo() throws Exception {
    // Durability.written: acknowledged once in the OS's cache, which outlives the killed process
    killWhileEightThreadsAppend("written");
  }

  private void killWhileEightThreadsAppend(String mode) throws Exception {
    Path file = dir.resolve("audit.jsonl");
    Path keyFile = dir.resolve("audit.key");
    CheckpointKey key = CheckpointKey.generateEd25519();
    key.writeTo(keyFile);
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
        AppendAndDie.class.getName(), file.toString(), keyFile.toString(), mode)
        .redirectError(ProcessBuilder.Redirect.DISCARD).start();
    Set<String> acked = new HashSet<>();
    try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while (acked.size() < 1500 && (line = out.readLine()) != null) {
        String[] p = line.split(" ");
        acked.add(p[1] + "/r-" + p[2]);
      }
      // SIGKILL: no shutdown hook, no close, no final checkpoint (destroyForcibly would close our pipe)
      Process kill = new ProcessBuilder("kill", "-KILL", String.valueOf(child.pid())).start();
      assertThat(kill.waitFor(10, TimeUnit.SECONDS) && kill.exitValue() == 0).isTrue();
      assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(child.exitValue()).isEqualTo(128 + 9);
      while ((line = out.readLine()) != null) { // acks printed before the kill landed
        String[] p = line.split(" ");
        if (p.length == 3) {
          acked.add(p[1] + "/r-" + p[2]);
        }
      }
    }
    assertThat(acked).hasSizeGreaterThanOrEqualTo(1500);
    try (ChainedAuditTrail reopened = ChainedAuditTrail.builder(JsonLinesAuditStore.open(file)).key(key).build()) {
      reopened.record(rec(1)); // appends after whatever the kill left, on a clean line
    }
    Set<String> present = new HashSet<>();
    try (JsonLinesAuditStore s = JsonLinesAuditStore.openForReading(file);
        Stream<ChainedRecord> r = s.records(AuditQuery.all())) {
      r.forEach(c -> present.add(c.record().actor() + "/" + c.record().resource()));
    }
    assertThat(present).containsAll(acked);
    AuditVerification v = verify(file, key);
    assertThat(v.intact()).as(v.toString()).isTrue();
    assertThat(v.checkpoints()).isPositive();
  }
}
