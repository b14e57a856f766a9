package dev.pledge.backup.pitr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pledge.core.testing.Requirements;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * P9 end to end on a private MariaDB: a consistent dump that records its binary-log position,
 * rows before and after T (their binary-log timestamps set with {@code SET timestamp}, so no test
 * waits for a second to pass), a restore into a fresh server replayed to T, and exactly the rows
 * before T are there.
 */
class MariaDbPointInTimeRestoreTest {

  @Test
  void restoringToAnInstantKeepsExactlyTheRowsBeforeIt(@TempDir Path tmp) throws Exception {
    // The server writes some events (binlog checkpoints) at its real time, and mariadb-binlog stops at
    // the first event at or after the stop time: so T lies after the real present, and the rows'
    // own timestamps are set around it.
    Instant target = java.time.Clock.systemUTC().instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS)
        .plusSeconds(3600);
    long t = target.getEpochSecond();
    Path dump = tmp.resolve("shop.sql");
    List<Path> binlogs;
    Path source = Files.createDirectories(tmp.resolve("source"));
    try (PrivateMariaDb db = PrivateMariaDb.start(source)) {
      try (Connection c = db.connect(); Statement s = c.createStatement()) {
        s.execute("SET timestamp = " + (t - 600));
        s.execute("CREATE DATABASE shop");
        s.execute("CREATE TABLE shop.orders (id INT PRIMARY KEY, item VARCHAR(40) NOT NULL) ENGINE=InnoDB");
        for (int i = 1; i <= 3; i++) {
          s.executeUpdate("INSERT INTO shop.orders VALUES (" + i + ", 'in-dump-" + i + "')");
        }
      }
      Process p = new ProcessBuilder(Requirements.requireCommand("mariadb-dump", "apt-get install mariadb-client").toString(),
          "--no-defaults", "-h", "127.0.0.1", "-P", String.valueOf(db.port()), "-u", "root", "--single-transaction",
          "--master-data=2", "--databases", "shop").redirectOutput(dump.toFile())
          .redirectError(tmp.resolve("dump.err").toFile()).start();
      assertThat(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0).as(Files.readString(tmp.resolve("dump.err"))).isTrue();
      try (Connection c = db.connect(); Statement s = c.createStatement()) {
        s.execute("SET timestamp = " + (t - 60));
        s.executeUpdate("INSERT INTO shop.orders VALUES (4, 'logged-before-4')");
        s.execute("SET timestamp = " + (t - 1));
        s.executeUpdate("INSERT INTO shop.orders VALUES (5, 'logged-before-5')");
        s.execute("SET timestamp = " + t);
        s.executeUpdate("INSERT INTO shop.orders VALUES (6, 'at-t-6')");
        s.execute("SET timestamp = " + (t + 60));
        s.executeUpdate("INSERT INTO shop.orders VALUES (7, 'after-7')");
        s.executeUpdate("DELETE FROM shop.orders WHERE id = 1");
        s.execute("FLUSH BINARY LOGS");
      }
      try (Stream<Path> files = Files.list(db.dataDir())) {
        binlogs = files.filter(f -> f.getFileName().toString().matches("binlog\\.\\d+")).sorted().toList();
      }
    }

    MariaDbRecovery.BinlogPosition start = MariaDbRecovery.positionInDump(dump).orElseThrow();
    assertThat(start.file()).isEqualTo("binlog.000001");
    List<Path> fromStart = binlogs.stream().filter(f -> f.getFileName().toString().compareTo(start.file()) >= 0).toList();

    Path restoredDir = Files.createDirectories(tmp.resolve("restored"));
    try (PrivateMariaDb fresh = PrivateMariaDb.start(restoredDir)) {
      Process load = new ProcessBuilder(fresh.client()).redirectInput(dump.toFile()).redirectErrorStream(true)
          .redirectOutput(tmp.resolve("load.log").toFile()).start();
      assertThat(load.waitFor(60, TimeUnit.SECONDS) && load.exitValue() == 0).as(Files.readString(tmp.resolve("load.log"))).isTrue();

      MariaDbRecovery.replay(Requirements.requireCommand("mariadb-binlog", "apt-get install mariadb-client"),
          fromStart, start, target, fresh.client(), Map.of());

      List<String> items = new ArrayList<>();
      try (Connection c = fresh.connect(); Statement s = c.createStatement();
           ResultSet r = s.executeQuery("SELECT item FROM shop.orders ORDER BY id")) {
        while (r.next()) {
          items.add(r.getString(1));
        }
      }
      assertThat(items).containsExactly("in-dump-1", "in-dump-2", "in-dump-3", "logged-before-4", "logged-before-5");
    }
  }

  @Test
  void theStopTimeIsTheStartOfTheTargetsSecondInUtc() {
    assertThat(MariaDbRecovery.stopDatetime(Instant.parse("2026-11-20T12:00:00.900Z"))).isEqualTo("2026-11-20 12:00:00");
  }

  @Test
  void replayMustStartAtTheDumpsBinaryLog(@TempDir Path tmp) throws Exception {
    Path dump = tmp.resolve("d.sql");
    Files.writeString(dump, "-- MariaDB dump\n-- CHANGE MASTER TO MASTER_LOG_FILE='binlog.000007', MASTER_LOG_POS=344;\n");
    var pos = MariaDbRecovery.positionInDump(dump).orElseThrow();
    assertThat(pos).isEqualTo(new MariaDbRecovery.BinlogPosition("binlog.000007", 344));
    assertThatThrownBy(() -> MariaDbRecovery.binlogCommand(Path.of("mariadb-binlog"), List.of(Path.of("binlog.000006")),
        pos, Instant.EPOCH)).hasMessageContaining("must be binlog.000007");
    Files.writeString(dump, "-- no position here\n");
    assertThat(MariaDbRecovery.positionInDump(dump)).isEmpty();
  }
}
