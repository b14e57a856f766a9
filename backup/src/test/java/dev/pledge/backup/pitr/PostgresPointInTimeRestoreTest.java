package dev.pledge.backup.pitr;

import dev.pledge.core.audit.AuditTrail;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import dev.pledge.core.testing.RealServers;
import java.time.Duration;

import dev.pledge.backup.BackupEngine;
import dev.pledge.backup.BackupManifest;
import dev.pledge.backup.crypto.LocalKeyWrapper;
import dev.pledge.backup.source.DatabaseUrl;
import dev.pledge.backup.store.FileStore;
import dev.pledge.core.Scope;
import dev.pledge.core.audit.InMemoryAuditTrail;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * P9 end to end on a private PostgreSQL: a base backup and continuous WAL archiving, both shipped
 * through the encrypted pipeline into a file store, rows written before and after T, a restore to T
 * that fetches exactly the planned objects back, and exactly the rows before T are there.
 */
class PostgresPointInTimeRestoreTest {
  private static final Scope SCOPE = Scope.of("shop", "production");

  @Test
  void restoringToAnInstantThroughTheEncryptedStoreKeepsExactlyTheRowsCommittedBeforeIt() throws Exception {
    Path work = PrivatePostgres.workDir("pledge-pitr");
    Path spool = work.resolve("wal-spool");
    Path storeDir = work.resolve("store");
    PrivatePostgres.run(List.of("mkdir", "-p", spool.toString()));
    InMemoryAuditTrail audit = dev.pledge.core.audit.AuditTrail.inMemory();
    // real server, real WAL: the archive's spans come from the server's own clock and file times
    BackupEngine engine = BackupEngine.builder(LocalKeyWrapper.generate(work.resolve("master.key")))
        .clock(Clock.systemUTC()).auditTrail(audit).build();
    PitrArchive archive = PitrArchive.postgres(engine, FileStore.at(storeDir), SCOPE);
    Instant target;
    List<String> before = new ArrayList<>();
    Path restored = work.resolve("restored");
    Path restoredWal = work.resolve("restored-wal");
    try {
      try (PrivatePostgres pg = PrivatePostgres.init(work.resolve("data"),
          "wal_level = replica\narchive_mode = on\narchive_command = '" + PostgresRecovery.archiveCommand(spool) + "'\n")) {
        pg.start();
        try (Connection c = pg.connect(); Statement s = c.createStatement()) {
          s.execute("CREATE TABLE orders (id int PRIMARY KEY, item text NOT NULL)");
        }
        archive.backupFull(PostgresBaseBackup.of(DatabaseUrl.parse("postgresql://postgres@127.0.0.1:" + pg.port() + "/postgres")));
        try (Connection c = pg.connect(); Statement s = c.createStatement()) {
          for (int i = 1; i <= 5; i++) {
            s.executeUpdate("INSERT INTO orders VALUES (" + i + ", 'before-" + i + "')");
            before.add("before-" + i);
          }
          try (ResultSet r = s.executeQuery("SELECT clock_timestamp()")) {
            r.next();
            target = r.getTimestamp(1).toInstant();
          }
          int next = 6;
          for (; next <= 9; next++) {
            s.executeUpdate("INSERT INTO orders VALUES (" + next + ", 'after-" + next + "')");
          }
          // The archive takes a WAL segment's end from its modification time, which the kernel stamps
          // from a coarse clock (up to a tick behind the server's clock_timestamp()). Keep committing
          // rows after T until the server's current WAL file shows a write after T, so the shipped
          // span honestly reaches T: a bounded poll of a real server's file, not a wait for time.
          // The file is named from the insert position, past the rows above even before their WAL is
          // written (the write position may still sit on the previous segment's last byte, naming that one).
          Path walFile;
          try (ResultSet r = s.executeQuery("SELECT pg_walfile_name(pg_current_wal_insert_lsn())")) {
            r.next();
            walFile = work.resolve("data").resolve("pg_wal").resolve(r.getString(1));
          }
          s.execute("SET synchronous_commit = on"); // each commit writes its WAL now (the server runs with it off)
          long writeDeadline = System.nanoTime() + 10_000_000_000L;
          // (the file may not exist yet: the insert position can name a segment nothing has been written to)
          while (!writtenAfter(walFile, target) && System.nanoTime() < writeDeadline) {
            s.executeUpdate("INSERT INTO orders VALUES (" + next + ", 'after-" + next + "')");
            next++;
          }
          assertThat(writtenAfter(walFile, target)).as("%s written after %s", walFile, target).isTrue();
          String segment;
          try (ResultSet r = s.executeQuery("SELECT pg_walfile_name(pg_switch_wal())")) {
            r.next();
            segment = r.getString(1);
          }
          // The server archives asynchronously: the spool's file notifications say when.
          RealServers.awaitFiles(spool, Duration.ofSeconds(60), pg::log, segment);
          Path resend = Files.createDirectories(work.resolve("resend")).resolve(segment);
          Files.copy(spool.resolve(segment), resend, java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
          List<BackupManifest> shipped = archive.shipSpool(spool);
          assertThat(shipped).extracting(BackupManifest::sourceKind).containsOnly(PitrArchive.WAL_KIND);
          BackupManifest last = shipped.get(shipped.size() - 1);
          assertThat(last.sourceDescription()).startsWith(PitrArchive.WAL_KIND + " " + segment + " timeline 1 from ");
          assertThat(shipped).allSatisfy(m -> assertThat(m.parent()).isNotNull());
          try (var left = Files.list(spool)) {
            assertThat(left.map(p -> p.getFileName().toString()))
                .as("shipped segments leave the spool").noneMatch(n -> n.matches("[0-9A-F]{24}"));
          }
          // an archive_command retry with the same bytes stores nothing new; other bytes are refused
          assertThat(archive.ship(resend).id()).isEqualTo(last.id());
          Files.write(resend, new byte[] {1, 2, 3});
          assertThatThrownBy(() -> archive.ship(resend)).hasMessageContaining("different content");
        }
      }
      for (Path data : storedDataObjects(storeDir)) {
        assertThat(new String(Files.readAllBytes(data), java.nio.charset.StandardCharsets.ISO_8859_1))
            .as("%s holds no plaintext row", data).doesNotContain("before-1").doesNotContain("after-6");
      }

      RestorePlan plan = archive.plan(target);
      assertThat(plan.complete()).as("plan %s", plan).isTrue();
      assertThat(plan.logs()).isNotEmpty();
      assertThat(archive.restorePostgres(target, restored, restoredWal)).isEqualTo(plan);
      assertThat(audit.byAction("backup.restore")).hasSize(plan.objects().size())
          .extracting(r -> r.resource()).containsExactlyElementsOf(plan.objects().stream().map(RecoveryPoint::id).toList());
      if ("root".equals(System.getProperty("user.name"))) {
        new ProcessBuilder("chown", "-R", "postgres:postgres", restored.toString(), restoredWal.toString())
            .inheritIO().start().waitFor();
      }
      try (PrivatePostgres pg = PrivatePostgres.existing(restored, "")) {
        pg.start();
        try (Connection c = pg.connect(); Statement s = c.createStatement()) {
          RealServers.awaitState("promoted after replaying to T", Duration.ofSeconds(60), () -> {
            try (ResultSet r = s.executeQuery("SELECT pg_is_in_recovery()")) {
              r.next();
              return !r.getBoolean(1);
            }
          }, pg::log);
          List<String> items = new ArrayList<>();
          try (ResultSet r = s.executeQuery("SELECT item FROM orders ORDER BY id")) {
            while (r.next()) {
              items.add(r.getString(1));
            }
          }
          assertThat(items).as("rows at %s", target).containsExactlyElementsOf(before);
        }
      }
    } finally {
      PrivatePostgres.run(List.of("rm", "-rf", work.resolve("data").toString(), spool.toString()));
      try (var files = Files.walk(work)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  @Test
  void aTargetBeforeTheFirstFullBackupIsRefusedNamingWhatIsMissing(@TempDir Path dir) {
    BackupEngine engine = BackupEngine.builder(LocalKeyWrapper.generate(dir.resolve("k"))).auditTrail(AuditTrail.inMemory()).build();
    PitrArchive archive = PitrArchive.postgres(engine, FileStore.at(dir.resolve("store")), SCOPE);
    assertThatThrownBy(() -> archive.restorePostgres(Instant.parse("2026-11-01T00:00:00Z"), dir.resolve("d"), dir.resolve("w")))
        .isInstanceOf(TargetNotCoveredException.class).hasMessageContaining("no full backup at all");
    assertThat(dir.resolve("d")).doesNotExist();
  }

  private static List<Path> storedDataObjects(Path store) throws Exception {
    try (var files = Files.walk(store)) {
      return files.filter(p -> p.toString().endsWith(".data")).toList();
    }
  }

  @Test
  void recoveryIsRefusedOnAFolderThatIsNotADataFolder(@TempDir Path dir) {
    assertThatThrownBy(() -> PostgresRecovery.configureRecovery(dir, dir, Instant.EPOCH, false))
        .hasMessageContaining("not a PostgreSQL data folder");
  }

  @Test
  void theTargetIsWrittenToTheMicrosecondInUtc() {
    assertThat(PostgresRecovery.targetTime(Instant.parse("2026-11-01T06:30:00.123456789Z")))
        .isEqualTo("2026-11-01 06:30:00.123456+00");
    assertThat(PostgresRecovery.archiveCommand(Path.of("/var/spool/wal")))
        .isEqualTo("test ! -f \"/var/spool/wal\"/%f && cp -p %p \"/var/spool/wal\"/%f.partial"
            + " && mv \"/var/spool/wal\"/%f.partial \"/var/spool/wal\"/%f");
  }

  private static boolean writtenAfter(Path file, Instant t) throws java.io.IOException {
    return Files.exists(file) && Files.getLastModifiedTime(file).toInstant().isAfter(t);
  }
}
