package dev.pledge.core.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pledge.core.PledgeException;
import dev.pledge.core.testing.RealServers;
import dev.pledge.core.testing.Requirements;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A private PostgreSQL (never the shared one) stopped with {@code pg_ctl -m immediate} (a crash) and
 * started again while four threads append: the groups in flight fail at their callers, the trail
 * carries on once the server is back, and every acknowledged record is there with the chain intact
 * (P14, P20).
 */
class JdbcRestartTest {

  @Test
  void aPostgresCrashAndRestartMidAppendLosesNoAcknowledgedRecord() throws Exception {
    Path work = Files.createTempDirectory("pledge-audit-pg");
    Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwxrwxrwx"));
    Path data = work.resolve("data");
    Path log = work.resolve("server.log");
    int port = Requirements.freePort();
    run("initdb", "-D", data.toString(), "-A", "trust", "-U", "postgres", "--no-instructions");
    Files.writeString(data.resolve("postgresql.auto.conf"), "port = " + port
        + "\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = '" + work + "'\nshared_buffers = 16MB\n",
        java.nio.file.StandardOpenOption.APPEND);
    String url = "jdbc:postgresql://127.0.0.1:" + port + "/postgres?user=postgres&connectTimeout=5";
    run("pg_ctl", "-D", data.toString(), "-l", log.toString(), "-w", "-t", "60", "start");
    try {
      Set<String> acked = ConcurrentHashMap.newKeySet();
      AtomicInteger failed = new AtomicInteger();
      AtomicInteger phase = new AtomicInteger(); // 0 before the crash, 1 down, 2 back up
      CheckpointKey key = CheckpointKey.generateEd25519();
      try (ChainedAuditTrail trail = ChainedAuditTrail.builder(JdbcAuditStore.create(url, "audit")).key(key)
          .checkpointEvery(25).build()) {
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
          String actor = "w" + t;
          Thread th = new Thread(() -> {
            int afterRestart = 0;
            for (int n = 0; afterRestart < 20 && n < 100_000; n++) {
              try {
                trail.record(AuditRecord.of(Instant.EPOCH, actor, "test.append", "r-" + n, AuditOutcome.SUCCESS));
                acked.add(actor + "/r-" + n);
                if (phase.get() == 2) {
                  afterRestart++;
                }
              } catch (PledgeException e) {
                failed.incrementAndGet();
                Thread.onSpinWait();
              }
            }
          });
          threads.add(th);
          th.start();
        }
        RealServers.awaitState("100 records acknowledged", Duration.ofSeconds(60), () -> acked.size() >= 100,
            () -> "acked " + acked.size());
        run("pg_ctl", "-D", data.toString(), "-m", "immediate", "-w", "stop");
        phase.set(1);
        int before = failed.get();
        RealServers.awaitState("appends failing while the server is down", Duration.ofSeconds(60),
            () -> failed.get() > before, () -> "failures " + failed.get());
        run("pg_ctl", "-D", data.toString(), "-l", log.toString(), "-w", "-t", "60", "start");
        phase.set(2);
        for (Thread th : threads) {
          th.join(TimeUnit.SECONDS.toMillis(120));
          assertThat(th.isAlive()).as("writer finished after the restart").isFalse();
        }
      }
      assertThat(failed.get()).isPositive();
      try (JdbcAuditStore s = JdbcAuditStore.create(url, "audit")) {
        Set<String> present = ConcurrentHashMap.newKeySet();
        try (Stream<ChainedRecord> r = s.records(AuditQuery.all())) {
          r.forEach(c -> present.add(c.record().actor() + "/" + c.record().resource()));
        }
        assertThat(present).containsAll(acked);
        AuditVerification v = AuditVerifier.create().key(key).verify(s);
        assertThat(v.intact()).as(v.toString()).isTrue();
      }
    } finally {
      try {
        run("pg_ctl", "-D", data.toString(), "-m", "immediate", "-w", "stop");
      } catch (IllegalStateException alreadyStopped) {
        // stopped by the test, or never started
      }
      try (Stream<Path> files = Files.walk(work)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private static void run(String... command) throws Exception {
    List<String> full = new ArrayList<>();
    if ("root".equals(System.getProperty("user.name"))) {
      full.addAll(List.of(Requirements.requireCommand("runuser", "util-linux").toString(), "-u", "postgres", "--"));
    }
    full.add(Requirements.requireCommand(command[0], "apt-get install postgresql").toString());
    full.addAll(List.of(command).subList(1, command.length));
    Path out = Files.createTempFile("pledge-audit-pg", ".log");
    try {
      Process p = new ProcessBuilder(full).redirectErrorStream(true).redirectOutput(out.toFile()).start();
      if (!p.waitFor(120, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException("timed out: " + String.join(" ", command));
      }
      if (p.exitValue() != 0) {
        throw new IllegalStateException("failed (" + p.exitValue() + "): " + String.join(" ", command) + "\n"
            + Files.readString(out));
      }
    } finally {
      Files.deleteIfExists(out);
    }
  }
}
