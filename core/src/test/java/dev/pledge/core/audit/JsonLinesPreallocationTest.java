package dev.pledge.core.audit;

import static dev.pledge.core.audit.JsonLinesDurabilityTest.rec;
import static dev.pledge.core.audit.JsonLinesDurabilityTest.recordSixOnAFullDisk;
import static dev.pledge.core.audit.JsonLinesDurabilityTest.resources;
import static dev.pledge.core.audit.JsonLinesDurabilityTest.verify;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pledge.core.PledgeException;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A JSON Lines store that writes zeros ahead of its data ({@link JsonLinesAuditStore#openPreallocated})
 * keeps the promises of the plain one: nothing acknowledged is lost through a full disk or
 * {@code kill -9}, a torn or zero-filled tail is set aside on open, and readers never see the zeros
 * (P14, P20).
 */
class JsonLinesPreallocationTest {
  @TempDir
  Path dir;

  @Test
  void zerosAheadOfTheDataAreInvisibleToReadersAndCutOffOnClose() throws Exception {
    Path file = dir.resolve("audit.jsonl");
    try (ChainedAuditTrail t = ChainedAuditTrail.builder(JsonLinesAuditStore.openPreallocated(file)).build()) {
      t.record(rec(1));
      t.record(rec(2));
      byte[] live = Files.readAllBytes(file);
      assertThat(live.length).as("the file is extended ahead of its data").isGreaterThan(64 * 1024);
      assertThat(live[live.length - 1]).isZero();
      assertThat(resources(file)).containsExactly("r-1", "r-2"); // another reader, while the writer is open
      assertThat(t.records()).hasSize(2);
      assertThat(verify(file, null).intact()).isTrue();
    }
    assertThat(Files.readAllLines(file)).hasSize(2).allSatisfy(l -> assertThat(l).startsWith("{\"seq\":"));
    assertThat(Files.readString(file)).endsWith("\n");
  }

  @Test
  void aTornLineAndThePiecesOfAGroupWrittenIntoTheZerosAreSetAsideOnOpen() throws Exception {
    Path file = dir.resolve("audit.jsonl");
    try (ChainedAuditTrail t = ChainedAuditTrail.builder(JsonLinesAuditStore.openPreallocated(file)).build()) {
      t.record(rec(1));
      t.record(rec(2));
    }
    // what a power cut can leave: a torn line, zeros, and a later page of the same unacknowledged group
    String torn = "{\"seq\":3,\"at\":\"2026-11-01T06:00:03Z\",\"actor\":\"ali";
    String later = "\"r-4\",\"outcome\":\"SUCCESS\"}\n";
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
      ch.write(java.nio.ByteBuffer.wrap(torn.getBytes(StandardCharsets.UTF_8)));
      ch.write(java.nio.ByteBuffer.wrap(new byte[5000]));
      ch.write(java.nio.ByteBuffer.wrap(later.getBytes(StandardCharsets.UTF_8)));
      ch.write(java.nio.ByteBuffer.wrap(new byte[70_000]));
    }
    try (ChainedAuditTrail t = ChainedAuditTrail.builder(JsonLinesAuditStore.openPreallocated(file)).build()) {
      assertThat(t.append(rec(3)).seq()).isEqualTo(3);
    }
    String aside = Files.readString(file.resolveSibling("audit.jsonl.torn"));
    assertThat(aside).startsWith(torn).contains(later.trim());
    assertThat(Files.readAllLines(file)).hasSize(3).allSatisfy(l -> assertThat(l).startsWith("{\"seq\":"));
    assertThat(resources(file)).containsExactly("r-1", "r-2", "r-3");
    assertThat(verify(file, null).intact()).isTrue();
  }

  @Test
  void aFullDiskFallsBackToWritingAtTheEndAndLosesNothing() throws Exception {
    Path file = dir.resolve("audit.jsonl");
    JsonLinesAuditStore store = JsonLinesAuditStore.openWith(file, f -> new FullDiskChannel(
        FileChannel.open(f, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE), 700), true);
    List<String> acknowledged;
    try (ChainedAuditTrail trail = ChainedAuditTrail.builder(store).durability(Durability.perRecord()).build()) {
      acknowledged = recordSixOnAFullDisk(trail, () -> { }, "No space left on device", "not written");
      assertThat(acknowledged).as("the zeros did not fit, the records did").isNotEmpty();
      assertThat(6 - acknowledged.size()).isPositive();
      assertThat(Files.readString(file)).endsWith("\n");
    }
    assertThat(resources(file)).containsExactlyElementsOf(acknowledged);
    assertThat(verify(file, null).intact()).isTrue();
  }

  @Test
  void everyAcknowledgedRecordSurvivesKillDashNineWhileEightThreadsAppend() throws Exception {
    Path file = dir.resolve("audit.jsonl");
    Path keyFile = dir.resolve("audit.key");
    CheckpointKey key = CheckpointKey.generateEd25519();
    key.writeTo(keyFile);
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
        AppendAndDie.class.getName(), file.toString(), keyFile.toString(), "preallocated")
        .redirectError(ProcessBuilder.Redirect.DISCARD).start();
    Set<String> acked = new HashSet<>();
    try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while (acked.size() < 1500 && (line = out.readLine()) != null) {
        String[] p = line.split(" ");
        acked.add(p[1] + "/r-" + p[2]);
      }
      Process kill = new ProcessBuilder("kill", "-KILL", String.valueOf(child.pid())).start();
      assertThat(kill.waitFor(10, TimeUnit.SECONDS) && kill.exitValue() == 0).isTrue();
      assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(child.exitValue()).isEqualTo(128 + 9);
      while ((line = out.readLine()) != null) {
        String[] p = line.split(" ");
        if (p.length == 3) {
          acked.add(p[1] + "/r-" + p[2]);
        }
      }
    }
    assertThat(acked).hasSizeGreaterThanOrEqualTo(1500);
    byte[] left = Files.readAllBytes(file);
    assertThat(left[left.length - 1]).as("the kill left the zeros ahead of the data").isZero();
    try (ChainedAuditTrail reopened = ChainedAuditTrail.builder(JsonLinesAuditStore.openPreallocated(file)).key(key)
        .build()) {
      reopened.record(rec(1));
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
