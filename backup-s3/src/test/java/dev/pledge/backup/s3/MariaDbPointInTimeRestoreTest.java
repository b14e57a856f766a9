package dev.pledge.backup.s3;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pledge.backup.BackupEngine;
import dev.pledge.backup.BackupManifest;
import dev.pledge.backup.crypto.LocalKeyWrapper;
import dev.pledge.backup.pitr.MariaDbDump;
import dev.pledge.backup.pitr.PitrArchive;
import dev.pledge.backup.pitr.RecoveryPoint;
import dev.pledge.backup.pitr.RestorePlan;
import dev.pledge.backup.source.DatabaseUrl;
import dev.pledge.backup.store.S3Location;
import dev.pledge.core.Scope;
import dev.pledge.core.audit.AuditTrail;
import dev.pledge.core.audit.InMemoryAuditTrail;
import dev.pledge.core.testing.Requirements;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * P9 end to end on a private MariaDB: a consistent dump that records its binary-log position and
 * the binary logs, all shipped through the encrypted pipeline into S3 (S3Mock), rows before and after T (their binary-log timestamps set with {@code SET timestamp}, so no test
 * waits for a second to pass), a restore into a fresh server replayed to T, and exactly the rows
 * before T are there.
 */
class MariaDbPointInTimeRestoreTest {
  private static final Scope SCOPE = Scope.of("shop", "production");

  @Test
  void restoringToAnInstantThroughS3KeepsExactlyTheRowsBeforeIt(@TempDir Path tmp) throws Exception {
    // The server writes some events (binlog checkpoints) at its real time, and mariadb-binlog stops at
    // the first event at or after the stop time: so T lies after the real present, and the rows'
    // own timestamps are set around it.
    Instant target = Clock.systemUTC().instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).plusSeconds(3600);
    long t = target.getEpochSecond();
    InMemoryAuditTrail audit = AuditTrail.inMemory();
    BackupEngine engine = BackupEngine.builder(LocalKeyWrapper.generate(tmp.resolve("master.key")))
        .clock(Clock.systemUTC()).auditTrail(audit).build();
    try (S3MockServer s3 = S3MockServer.start("pitr")) {
      S3Store store = S3Store.create(S3Location.parse("s3://pitr/mariadb?region=eu-west-2&endpoint=" + s3.endpoint()));
      PitrArchive archive = PitrArchive.mariaDb(engine, store, SCOPE);
      Path source = Files.createDirectories(tmp.resolve("source"));
      List<Path> binlogs;
      try (PrivateMariaDb db = PrivateMariaDb.start(source)) {
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
          s.execute("SET timestamp = " + (t - 600));
          s.execute("CREATE DATABASE shop");
          s.execute("CREATE TABLE shop.orders (id INT PRIMARY KEY, item VARCHAR(40) NOT NULL) ENGINE=InnoDB");
          for (int i = 1; i <= 3; i++) {
            s.executeUpdate("INSERT INTO shop.orders VALUES (" + i + ", 'in-dump-" + i + "')");
          }
        }
        BackupManifest full = archive.backupFull(MariaDbDump.of(DatabaseUrl.parse("mysql://root@127.0.0.1:" + db.port() + "/shop")));
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
        // the first is closed by the flush; the server's shutdown below closes the last
        BackupManifest first = archive.ship(binlogs.get(0));
        assertThat(first.parent()).isEqualTo(full.id());
        assertThat(first.sourceDescription()).startsWith("mysql-binlog binlog.000001 timeline 1 from ")
            .endsWith(" to " + Instant.ofEpochSecond(t + 60));
      }
      for (Path f : binlogs.subList(1, binlogs.size())) {
        archive.ship(f);
      }
      assertThat(archive.catalog()).hasSize(1 + binlogs.size());

      RestorePlan plan = archive.plan(target);
      assertThat(plan.complete()).as("plan %s", plan).isTrue();
      assertThat(archive.plan(Instant.ofEpochSecond(t + 3600)).gaps()).singleElement().asString()
          .contains("logs end at " + Instant.ofEpochSecond(t + 60));

      Path restoredDir = Files.createDirectories(tmp.resolve("restored"));
      try (PrivateMariaDb fresh = PrivateMariaDb.start(restoredDir)) {
        archive.restoreMariaDb(target, tmp.resolve("work"), fresh.client(), Map.of(),
            Requirements.requireCommand("mariadb-binlog", "apt-get install mariadb-client"));
        List<String> items = new ArrayList<>();
        try (Connection c = fresh.connect(); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT item FROM shop.orders ORDER BY id")) {
          while (r.next()) {
            items.add(r.getString(1));
          }
        }
        assertThat(items).containsExactly("in-dump-1", "in-dump-2", "in-dump-3", "logged-before-4", "logged-before-5");
      }
      assertThat(audit.byAction("backup.restore")).extracting(r -> r.resource())
          .containsExactlyElementsOf(plan.objects().stream().map(RecoveryPoint::id).toList());
      assertThat(tmp.resolve("work").resolve("full.sql")).as("the decrypted dump is removed").doesNotExist();
    }
  }
}
