package dev.pledge.examples.cli;

import dev.pledge.core.audit.AuditTrail;
import static org.assertj.core.api.Assertions.assertThat;
import dev.pledge.core.testing.RealServers;
import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pledge.backup.BackupEngine;
import dev.pledge.backup.crypto.LocalKeyWrapper;
import dev.pledge.backup.pitr.PitrArchive;
import dev.pledge.backup.pitr.PostgresBaseBackup;
import dev.pledge.backup.pitr.PostgresRecovery;
import dev.pledge.backup.source.DatabaseUrl;
import dev.pledge.backup.store.FileStore;
import dev.pledge.core.Scope;
import dev.pledge.core.testing.Requirements;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code pledge backup restore --at T} (P9) against a private PostgreSQL: a base backup and WAL
 * shipped through the library into a file store, then the command restores to T and a server
 * started on the result holds exactly the rows committed before T.
 */
class BackupRestoreAtCommandTest {

  @Test
  void anEmptyStoreCannotBeRestoredToAnInstantAndSaysWhatIsMissing(@TempDir Path tmp) {
    String key = tmp.resolve("k").toString();
    assertThat(CliRun.of("backup", "keygen", "--out", key).exitCode()).isZero();
    CliRun r = CliRun.of("backup", "restore", "--store", "file:" + tmp.resolve("store"), "--at", "2026-11-01T06:30:00Z",
        "--to", "dir:" + tmp.resolve("data"), "--key-file", key, "--json");
    assertThat(r.exitCode()).as(r.err()).isEqualTo(1);
    assertThat(r.json().get("restored").asBoolean()).isFalse();
    assertThat(r.json().get("missing").get(0).asText()).isEqualTo("no full backup at all");
    assertThat(r.err()).contains("cannot restore to 2026-11-01T06:30:00Z: no full backup at all");
    assertThat(tmp.resolve("data")).doesNotExist();

    CliRun pg = CliRun.of("backup", "restore", "--store", "file:" + tmp.resolve("store"), "--at", "2026-11-01T06:30:00Z",
        "--to", "postgres:postgresql://postgres@127.0.0.1:5432/shop", "--key-file", key);
    assertThat(pg.exitCode()).isEqualTo(2);
    assertThat(pg.err()).contains("--to: a PostgreSQL point-in-time restore needs an empty data folder");
  }

  @Test
  void restoreAtAnInstantGivesADataFolderHoldingExactlyTheRowsBeforeIt() throws Exception {
    Path work = Files.createTempDirectory("pledge-cli-pitr");
    Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwxrwxrwx"));
    String key = work.resolve("master.key").toString();
    String store = "file:" + work.resolve("store");
    Path spool = work.resolve("spool");
    Path data = work.resolve("data");
    Path restored = work.resolve("restored");
    try {
      as(List.of("mkdir", "-p", spool.toString()));
      assertThat(CliRun.of("backup", "keygen", "--out", key).exitCode()).isZero();
      BackupEngine engine = BackupEngine.builder(LocalKeyWrapper.load(Path.of(key))).clock(Clock.systemUTC()).auditTrail(AuditTrail.inMemory()).build();
      PitrArchive archive = PitrArchive.postgres(engine, FileStore.at(work.resolve("store")), Scope.of("shop", "production"));
      int port = Requirements.freePort();
      as(List.of(cmd("initdb"), "-D", data.toString(), "-A", "trust", "-U", "postgres", "--no-sync", "--no-instructions"));
      conf(data, "port = " + port + "\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = '" + work
          + "'\nfsync = off\nshared_buffers = 16MB\nwal_level = replica\narchive_mode = on\narchive_command = '"
          + PostgresRecovery.archiveCommand(spool) + "'\n");
      as(List.of(cmd("pg_ctl"), "-D", data.toString(), "-l", work.resolve("data.log").toString(), "-w", "start"));
      Instant beforeBase;
      Instant target;
      try {
        sql(port, "CREATE TABLE orders (id int PRIMARY KEY, item text NOT NULL)");
        beforeBase = Clock.systemUTC().instant();
        archive.backupFull(PostgresBaseBackup.of(DatabaseUrl.parse("postgresql://postgres@127.0.0.1:" + port + "/postgres")));
        sql(port, "INSERT INTO orders VALUES (1, 'before-1'), (2, 'before-2')");
        target = Instant.parse(sql(port, "SELECT to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')"));
        sql(port, "INSERT INTO orders VALUES (3, 'after-3')");
        String segment = sql(port, "SELECT pg_walfile_name(pg_switch_wal())");
        RealServers.awaitFiles(spool, Duration.ofSeconds(60), () -> log(work.resolve("data.log")), segment);
        assertThat(archive.shipSpool(spool)).isNotEmpty();
      } finally {
        as(List.of(cmd("pg_ctl"), "-D", data.toString(), "-m", "fast", "-w", "stop"));
      }

      CliRun early = CliRun.of("backup", "restore", "--store", store, "--at", beforeBase.toString(), "--to",
          "dir:" + restored, "--key-file", key);
      assertThat(early.exitCode()).as(early.err()).isEqualTo(1);
      assertThat(early.err()).contains("no full backup completed at or before " + beforeBase);

      CliRun r = CliRun.of("backup", "restore", "--store", store, "--at", target.toString(), "--to", "dir:" + restored,
          "--key-file", key, "--json");
      assertThat(r.exitCode()).as(r.err()).isZero();
      JsonNode out = r.json();
      assertThat(out.get("restored").asBoolean()).isTrue();
      assertThat(out.get("site").asText()).isEqualTo("shop");
      assertThat(out.get("logs")).isNotEmpty();
      Path wal = work.resolve("restored.wal");
      assertThat(restored.resolve("recovery.signal")).exists();

      if ("root".equals(System.getProperty("user.name"))) {
        new ProcessBuilder("chown", "-R", "postgres:postgres", restored.toString(), wal.toString()).inheritIO().start().waitFor();
      }
      int port2 = Requirements.freePort();
      conf(restored, "port = " + port2 + "\n");
      as(List.of(cmd("pg_ctl"), "-D", restored.toString(), "-l", work.resolve("restored.log").toString(), "-w", "start"));
      try {
        RealServers.awaitState("promoted after replaying to T", Duration.ofSeconds(60),
            () -> sql(port2, "SELECT pg_is_in_recovery()").equals("f"), () -> log(work.resolve("restored.log")));
        assertThat(sql(port2, "SELECT string_agg(item, ',' ORDER BY id) FROM orders")).isEqualTo("before-1,before-2");
      } finally {
        as(List.of(cmd("pg_ctl"), "-D", restored.toString(), "-m", "fast", "-w", "stop"));
      }
    } finally {
      try (var files = Files.walk(work)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  /** One statement through psql; its single-value output, trimmed. */
  /** A server's log for a failure message, or why it cannot be read. */
  private static String log(Path file) {
    try {
      return "log " + file + ":\n" + Files.readString(file);
    } catch (java.io.IOException e) {
      return "no log at " + file + ": " + e;
    }
  }

  private static String sql(int port, String statement) throws Exception {
    return as(List.of(cmd("psql"), "-X", "-q", "-At", "-h", "127.0.0.1", "-p", String.valueOf(port), "-U", "postgres",
        "-d", "postgres", "-v", "ON_ERROR_STOP=1", "-c", statement)).strip();
  }

  private static String cmd(String name) {
    return Requirements.requireCommand(name, "apt-get install postgresql").toString();
  }

  private static void conf(Path dataDir, String text) throws Exception {
    as(List.of("sh", "-c", "cat >> '" + dataDir.resolve("postgresql.auto.conf") + "' <<'EOF'\n" + text + "\nEOF"));
  }

  /** Runs a command as the postgres user when we are root (PostgreSQL refuses to run as root). */
  private static String as(List<String> command) throws Exception {
    List<String> full = new ArrayList<>();
    if ("root".equals(System.getProperty("user.name"))) {
      full.addAll(List.of(Requirements.requireCommand("runuser", "util-linux").toString(), "-u", "postgres", "--"));
    }
    full.addAll(command);
    Path out = Files.createTempFile("pledge-cli-pg", ".log");
    try {
      Process p = new ProcessBuilder(full).redirectErrorStream(true).redirectOutput(out.toFile()).start();
      if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
        p.destroyForcibly();
        throw new IllegalStateException("failed: " + String.join(" ", command) + "\n" + Files.readString(out));
      }
      return Files.readString(out);
    } finally {
      Files.deleteIfExists(out);
    }
  }
}
