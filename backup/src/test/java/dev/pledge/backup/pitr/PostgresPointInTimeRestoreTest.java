package dev.pledge.backup.pitr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * P9 end to end on a private PostgreSQL: a base backup and continuous WAL archiving, rows written
 * before and after T, a restore to T, and exactly the rows before T are there.
 */
class PostgresPointInTimeRestoreTest {

  @Test
  void restoringToAnInstantKeepsExactlyTheRowsCommittedBeforeIt() throws Exception {
    Path work = PrivatePostgres.workDir("pledge-pitr");
    Path spool = work.resolve("wal-spool");
    PrivatePostgres.run(List.of("mkdir", "-p", spool.toString(), work.resolve("base").toString()));
    Instant target;
    List<String> before = new ArrayList<>();
    try (PrivatePostgres pg = PrivatePostgres.init(work.resolve("data"),
        "wal_level = replica\narchive_mode = on\narchive_command = '" + PostgresRecovery.archiveCommand(spool) + "'\n")) {
      pg.start();
      try (Connection c = pg.connect(); Statement s = c.createStatement()) {
        s.execute("CREATE TABLE orders (id int PRIMARY KEY, item text NOT NULL)");
      }
      PrivatePostgres.run(List.of(PrivatePostgres.cmd("pg_basebackup"), "-h", "127.0.0.1", "-p",
          String.valueOf(pg.port()), "-U", "postgres", "-D", work.resolve("base").toString(), "-X", "none",
          "--no-sync", "-c", "fast"));
      try (Connection c = pg.connect(); Statement s = c.createStatement()) {
        for (int i = 1; i <= 5; i++) {
          s.executeUpdate("INSERT INTO orders VALUES (" + i + ", 'before-" + i + "')");
          before.add("before-" + i);
        }
        try (ResultSet r = s.executeQuery("SELECT clock_timestamp()")) {
          r.next();
          target = r.getTimestamp(1).toInstant();
        }
        for (int i = 6; i <= 9; i++) {
          s.executeUpdate("INSERT INTO orders VALUES (" + i + ", 'after-" + i + "')");
        }
        String segment;
        try (ResultSet r = s.executeQuery("SELECT pg_walfile_name(pg_switch_wal())")) {
          r.next();
          segment = r.getString(1);
        }
        // The server archives asynchronously; poll the spool with a deadline (a real server's pace).
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (!Files.exists(spool.resolve(segment)) && System.nanoTime() < deadline) {
          Thread.sleep(20); // a real server archives at its own pace: bounded poll, not a wait for time
        }
        assertThat(spool.resolve(segment)).as("segment %s archived; log:%n%s", segment, pg.log()).exists();
      }
    }

    // Restore: the base backup, the archived WAL, recovery to the target.
    Path restored = work.resolve("restored");
    PrivatePostgres.run(List.of("cp", "-a", work.resolve("base").toString(), restored.toString()));
    PostgresRecovery.configureRecovery(restored, spool, target, false);
    try (PrivatePostgres pg = PrivatePostgres.existing(restored, "")) {
      pg.start();
      try (Connection c = pg.connect(); Statement s = c.createStatement()) {
        long deadline = System.nanoTime() + 60_000_000_000L;
        boolean inRecovery = true;
        while (inRecovery && System.nanoTime() < deadline) {
          Thread.sleep(20); // the server replays WAL at its own pace: bounded poll
          try (ResultSet r = s.executeQuery("SELECT pg_is_in_recovery()")) {
            r.next();
            inRecovery = r.getBoolean(1);
          }
        }
        assertThat(inRecovery).as("promoted after recovery; log:%n%s", pg.log()).isFalse();
        List<String> items = new ArrayList<>();
        try (ResultSet r = s.executeQuery("SELECT item FROM orders ORDER BY id")) {
          while (r.next()) {
            items.add(r.getString(1));
          }
        }
        assertThat(items).as("rows at %s", target).containsExactlyElementsOf(before);
      }
    } finally {
      PrivatePostgres.run(List.of("rm", "-rf", work.resolve("data").toString(), restored.toString(),
          work.resolve("base").toString(), spool.toString()));
      try (var files = Files.walk(work)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
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
        .isEqualTo("test ! -f \"/var/spool/wal\"/%f && cp %p \"/var/spool/wal\"/%f");
  }
}
