package dev.pledge.backup.pitr;

import dev.pledge.core.testing.Requirements;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A private PostgreSQL server for one test: initdb in a temporary folder, on a free port, from the
 * binaries on this machine, never the shared server. As root, the server's commands run as the
 * {@code postgres} user (PostgreSQL refuses to run as root).
 */
final class PrivatePostgres implements AutoCloseable {
  private final Path dataDir;
  private final Path log;
  private final int port;
  private boolean running;

  private PrivatePostgres(Path dataDir, int port) {
    this.dataDir = dataDir;
    this.log = dataDir.resolveSibling(dataDir.getFileName() + ".log");
    this.port = port;
  }

  /** A folder every test process, and the postgres user, may write. */
  static Path workDir(String prefix) throws IOException {
    Path dir = Files.createTempDirectory(prefix);
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
    return dir;
  }

  /** Creates a cluster in {@code dataDir} with {@code extraConf} appended to its configuration. */
  static PrivatePostgres init(Path dataDir, String extraConf) throws Exception {
    PrivatePostgres pg = new PrivatePostgres(dataDir, Requirements.freePort());
    run(List.of(cmd("initdb"), "-D", dataDir.toString(), "-A", "trust", "-U", "postgres", "--no-sync",
        "--no-instructions"));
    pg.appendConf("port = " + pg.port + "\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = '"
        + dataDir.getParent() + "'\nfsync = off\nsynchronous_commit = off\nshared_buffers = 16MB\n" + extraConf);
    return pg;
  }

  /** Wraps a data folder restored from a backup, on a new free port. */
  static PrivatePostgres existing(Path dataDir, String extraConf) throws Exception {
    PrivatePostgres pg = new PrivatePostgres(dataDir, Requirements.freePort());
    pg.appendConf("port = " + pg.port + "\n" + extraConf);
    return pg;
  }

  private void appendConf(String conf) throws Exception {
    // postgresql.auto.conf is read last; appending there keeps the owner and the permissions.
    run(List.of("sh", "-c", "cat >> '" + dataDir.resolve("postgresql.auto.conf") + "' <<'PLEDGE_EOF'\n" + conf
        + "\nPLEDGE_EOF"));
  }

  void start() throws Exception {
    try {
      run(List.of(cmd("pg_ctl"), "-D", dataDir.toString(), "-l", log.toString(), "-w", "-t", "60", "start"));
    } catch (IllegalStateException e) {
      throw new IllegalStateException(e.getMessage() + "\nserver log:\n" + log(), e);
    }
    running = true;
  }

  void stop() throws Exception {
    if (running) {
      run(List.of(cmd("pg_ctl"), "-D", dataDir.toString(), "-m", "fast", "-w", "stop"));
      running = false;
    }
  }

  Connection connect() throws SQLException {
    return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/postgres?user=postgres");
  }

  int port() {
    return port;
  }

  Path dataDir() {
    return dataDir;
  }

  String log() {
    try {
      return Files.exists(log) ? Files.readString(log) : "(no log)";
    } catch (IOException e) {
      return "(log unreadable: " + e.getMessage() + ")";
    }
  }

  @Override
  public void close() throws Exception {
    stop();
  }

  static String cmd(String name) {
    return Requirements.requireCommand(name, "apt-get install postgresql").toString();
  }

  /** Runs a command (as postgres when we are root) and fails with its output if it fails. */
  static void run(List<String> command) throws Exception {
    List<String> full = new ArrayList<>();
    if ("root".equals(System.getProperty("user.name"))) {
      full.addAll(List.of(Requirements.requireCommand("runuser", "util-linux").toString(), "-u", "postgres", "--"));
    }
    full.addAll(command);
    Path out = Files.createTempFile("pledge-pg-cmd", ".log");
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
