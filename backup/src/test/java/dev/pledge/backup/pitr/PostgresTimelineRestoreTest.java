package dev.pledge.backup.pitr;

import dev.pledge.core.audit.AuditTrail;
import static org.assertj.core.api.Assertions.assertThat;
import dev.pledge.core.testing.RealServers;
import java.time.Duration;

import dev.pledge.backup.BackupEngine;
import dev.pledge.backup.BackupManifest;
import dev.pledge.backup.crypto.LocalKeyWrapper;
import dev.pledge.backup.source.DatabaseUrl;
import dev.pledge.backup.store.FileStore;
import dev.pledge.core.Scope;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * P9 across a timeline switch on private PostgreSQL servers: server A (timeline 1) is backed up and
 * archives its WAL; a point-in-time restore of A into server B promotes B onto timeline 2, and B
 * archives into the same spool ({@code 00000002.history} and its own WAL); rows written on A after
 * the switch point belong to the abandoned branch. A restore to an instant on timeline 2 must hold
 * exactly A's rows before the switch point and B's rows before that instant.
 */
class PostgresTimelineRestoreTest {
  private static final Scope SCOPE = Scope.of("shop", "production");

  @Test
  void aRestoreToAnInstantOnTheNewTimelineFollowsTheFailoverAndLeavesTheAbandonedBranchOut() throws Exception {
    Path work = PrivatePostgres.workDir("pledge-pitr-tl");
    Path spool = work.resolve("wal-spool");
    PrivatePostgres.run(List.of("mkdir", "-p", spool.toString()));
    String archiving = "wal_level = replica\narchive_mode = on\narchive_command = '" + PostgresRecovery.archiveCommand(spool) + "'\n";
    BackupEngine engine = BackupEngine.builder(LocalKeyWrapper.generate(work.resolve("master.key")))
        .clock(Clock.systemUTC()).auditTrail(AuditTrail.inMemory()).build();
    PitrArchive archive = PitrArchive.postgres(engine, FileStore.at(work.resolve("store")), SCOPE);
    List<String> expected = new ArrayList<>();
    try {
      Instant switchPoint;
      try (PrivatePostgres a = PrivatePostgres.init(work.resolve("a"), archiving)) {
        a.start();
        try (Connection c = a.connect(); Statement s = c.createStatement()) {
          s.execute("CREATE TABLE orders (id int PRIMARY KEY, item text NOT NULL)");
        }
        archive.backupFull(PostgresBaseBackup.of(DatabaseUrl.parse("postgresql://postgres@127.0.0.1:" + a.port() + "/postgres")));
        try (Connection c = a.connect(); Statement s = c.createStatement()) {
          for (int i = 1; i <= 3; i++) {
            s.executeUpdate("INSERT INTO orders VALUES (" + i + ", 'a-" + i + "')");
            expected.add("a-" + i);
          }
          switchPoint = now(s);
          writeUntilWalPasses(s, work.resolve("a"), switchPoint, 100, "a-abandoned-");
          switchAndShip(s, a, spool, archive, false);
        }
      }

      Path b = work.resolve("b");
      archive.restorePostgres(switchPoint, b, work.resolve("b-wal"));
      chownToPostgres(b, work.resolve("b-wal"));
      Instant target;
      try (PrivatePostgres pg = PrivatePostgres.existing(b, archiving)) {
        pg.start();
        try (Connection c = pg.connect(); Statement s = c.createStatement()) {
          awaitPromotion(s, pg);
          assertThat(items(s)).as("B starts at the switch point").containsExactlyElementsOf(expected);
          try (ResultSet r = s.executeQuery("SELECT timeline_id FROM pg_control_checkpoint()")) {
            r.next();
            assertThat(r.getInt(1)).as("B promoted onto timeline 2").isEqualTo(2);
          }
          for (int i = 1; i <= 3; i++) {
            s.executeUpdate("INSERT INTO orders VALUES (" + (200 + i) + ", 'b-" + i + "')");
            expected.add("b-" + i);
          }
          target = now(s);
          writeUntilWalPasses(s, b, target, 300, "b-after-");
          switchAndShip(s, pg, spool, archive, true);
        }
      }

      RestorePlan plan = archive.plan(target);
      assertThat(plan.complete()).as("plan %s", plan).isTrue();
      assertThat(plan.timeline()).isEqualTo("2");
      Path restored = work.resolve("c");
      Path restoredWal = work.resolve("c-wal");
      assertThat(archive.restorePostgres(target, restored, restoredWal)).isEqualTo(plan);
      assertThat(restoredWal.resolve("00000002.history")).exists();
      assertThat(Files.readString(restored.resolve("postgresql.auto.conf"))).contains("recovery_target_timeline = '2'");
      chownToPostgres(restored, restoredWal);
      try (PrivatePostgres pg = PrivatePostgres.existing(restored, "");
          Connection c = start(pg); Statement s = c.createStatement()) {
        awaitPromotion(s, pg);
        assertThat(items(s)).as("rows at %s on timeline 2", target).containsExactlyElementsOf(expected);
      }
    } finally {
      PrivatePostgres.run(List.of("rm", "-rf", work.resolve("a").toString(), work.resolve("b").toString(),
          work.resolve("c").toString(), spool.toString()));
      try (var files = Files.walk(work)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private static Connection start(PrivatePostgres pg) throws Exception {
    pg.start();
    return pg.connect();
  }

  private static Instant now(Statement s) throws SQLException {
    try (ResultSet r = s.executeQuery("SELECT clock_timestamp()")) {
      r.next();
      return r.getTimestamp(1).toInstant();
    }
  }

  /**
   * Commits rows after {@code t} until the server's current WAL file shows a write after {@code t},
   * so the shipped span (the file's modification time, stamped from the kernel's coarse clock)
   * honestly reaches {@code t}: a bounded poll of a real server's file, not a wait for time.
   */
  private static void writeUntilWalPasses(Statement s, Path dataDir, Instant t, int firstId, String label) throws Exception {
    Path walFile;
    try (ResultSet r = s.executeQuery("SELECT pg_walfile_name(pg_current_wal_insert_lsn())")) {
      r.next();
      walFile = dataDir.resolve("pg_wal").resolve(r.getString(1));
    }
    s.execute("SET synchronous_commit = on");
    int id = firstId;
    s.executeUpdate("INSERT INTO orders VALUES (" + id + ", '" + label + id + "')");
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (!Files.getLastModifiedTime(walFile).toInstant().isAfter(t) && System.nanoTime() < deadline) {
      id++;
      s.executeUpdate("INSERT INTO orders VALUES (" + id + ", '" + label + id + "')");
    }
    assertThat(Files.getLastModifiedTime(walFile).toInstant()).as("last write to %s", walFile).isAfter(t);
  }

  /** Ends the current WAL segment, waits for the server to archive it (and its timeline history), ships the spool. */
  private static void switchAndShip(Statement s, PrivatePostgres pg, Path spool, PitrArchive archive, boolean history)
      throws Exception {
    String segment;
    try (ResultSet r = s.executeQuery("SELECT pg_walfile_name(pg_switch_wal())")) {
      r.next();
      segment = r.getString(1);
    }
    // The server archives asynchronously: the spool's file notifications say when.
    RealServers.awaitFiles(spool, Duration.ofSeconds(60), pg::log,
        history ? new String[] {segment, "00000002.history"} : new String[] {segment});
    List<BackupManifest> shipped = archive.shipSpool(spool);
    if (history) {
      assertThat(shipped).extracting(BackupManifest::sourceKind).contains(PitrArchive.HISTORY_KIND);
    }
  }

  private static void awaitPromotion(Statement s, PrivatePostgres pg) throws Exception {
    RealServers.awaitState("promoted after recovery", Duration.ofSeconds(60), () -> {
      try (ResultSet r = s.executeQuery("SELECT pg_is_in_recovery()")) {
        r.next();
        return !r.getBoolean(1);
      }
    }, pg::log);
  }

  private static List<String> items(Statement s) throws SQLException {
    List<String> items = new ArrayList<>();
    try (ResultSet r = s.executeQuery("SELECT item FROM orders ORDER BY id")) {
      while (r.next()) {
        items.add(r.getString(1));
      }
    }
    return items;
  }

  private static void chownToPostgres(Path... dirs) throws Exception {
    if ("root".equals(System.getProperty("user.name"))) {
      List<String> cmd = new ArrayList<>(List.of("chown", "-R", "postgres:postgres"));
      for (Path d : dirs) {
        cmd.add(d.toString());
      }
      new ProcessBuilder(cmd).inheritIO().start().waitFor();
    }
  }
}
