package dev.pledge.backup.s3;

import dev.pledge.core.testing.RealServers;
import dev.pledge.core.testing.Requirements;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A private MariaDB server for one test: mariadb-install-db in a temporary folder, on a free port,
 * with binary logging, from the binaries on this machine, never the shared server.
 */
final class PrivateMariaDb implements AutoCloseable {
  private final Path dir;
  private final int port;
  private final Process server;

  private PrivateMariaDb(Path dir, int port, Process server) {
    this.dir = dir;
    this.port = port;
    this.server = server;
  }

  static PrivateMariaDb start(Path dir) throws Exception {
    Path installDb = Requirements.requireCommand("mariadb-install-db", "apt-get install mariadb-server");
    Path mariadbd = Requirements.requireCommand("mariadbd", "apt-get install mariadb-server");
    Path data = dir.resolve("data");
    Process install = new ProcessBuilder(installDb.toString(), "--no-defaults", "--datadir=" + data,
        "--auth-root-authentication-method=normal", "--skip-test-db")
        .redirectErrorStream(true).redirectOutput(dir.resolve("install.log").toFile()).start();
    if (!install.waitFor(120, TimeUnit.SECONDS) || install.exitValue() != 0) {
      throw new IllegalStateException("mariadb-install-db failed:\n" + Files.readString(dir.resolve("install.log")));
    }
    int port = Requirements.freePort();
    Process server = new ProcessBuilder(mariadbd.toString(), "--no-defaults", "--datadir=" + data,
        "--port=" + port, "--socket=" + dir.resolve("mysqld.sock"), "--bind-address=127.0.0.1",
        "--log-bin=" + data.resolve("binlog"), "--server-id=1", "--user=" + System.getProperty("user.name"),
        "--innodb-buffer-pool-size=32M", "--skip-name-resolve")
        .redirectErrorStream(true).redirectOutput(dir.resolve("server.log").toFile()).start();
    PrivateMariaDb db = new PrivateMariaDb(dir, port, server);
    Path log = dir.resolve("server.log");
    try {
      // the port opens before the server accepts logins, so readiness is a login
      RealServers.awaitState("mariadbd accepts logins on port " + port, Duration.ofSeconds(60), () -> {
        if (!server.isAlive()) {
          throw new AssertionError("mariadbd exited with status " + server.exitValue() + ":\n" + Files.readString(log));
        }
        try (Connection c = db.connect()) {
          return true;
        }
      }, () -> "server log:\n" + readQuietly(log));
      return db;
    } catch (AssertionError | InterruptedException e) {
      db.close();
      throw e;
    }
  }

  private static String readQuietly(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      return "(unreadable: " + e + ")";
    }
  }

  Connection connect() throws SQLException {
    return DriverManager.getConnection("jdbc:mariadb://127.0.0.1:" + port + "/?user=root");
  }

  /** The client command for this server. */
  List<String> client() {
    return List.of(Requirements.requireCommand("mariadb", "apt-get install mariadb-client").toString(),
        "--no-defaults", "-h", "127.0.0.1", "-P", String.valueOf(port), "-u", "root");
  }

  int port() {
    return port;
  }

  Path dataDir() {
    return dir.resolve("data");
  }

  @Override
  public void close() throws Exception {
    server.destroy(); // SIGTERM: a clean shutdown
    if (!server.waitFor(60, TimeUnit.SECONDS)) {
      server.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }
}
