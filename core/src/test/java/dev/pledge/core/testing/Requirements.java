package dev.pledge.core.testing;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * What an integration test needs from the machine: a running service or a command-line tool.
 *
 * <p>In CI ({@code CI=true}) a missing requirement fails the test, so that a missing service can
 * never pass as a silent skip. Elsewhere the test is skipped by an assumption whose message, printed
 * by Surefire, says exactly what is missing and how to provide it.
 */
public final class Requirements {
  private Requirements() {}

  /** Whether this run is CI's: {@code CI=true} in the environment. */
  public static boolean inCi() {
    return "true".equalsIgnoreCase(System.getenv("CI"));
  }

  /**
   * Requires a TCP service at {@code host:port}, such as the machine's PostgreSQL.
   *
   * @param what the service's name and how to start it, for the message
   */
  public static void requireService(String what, String host, int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(host, port), 1000);
    } catch (IOException e) {
      missing(what + " is not reachable at " + host + ":" + port + " (" + e.getMessage() + ")");
    }
  }

  /** The machine's PostgreSQL on 127.0.0.1:5432. */
  public static void requirePostgres() {
    requireService("PostgreSQL (start: pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start)",
        "127.0.0.1", 5432);
  }

  /** The machine's MariaDB on 127.0.0.1:3306. */
  public static void requireMariaDb() {
    requireService("MariaDB (start: start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd)",
        "127.0.0.1", 3306);
  }

  /** The machine's Redis on 127.0.0.1:6379. */
  public static void requireRedis() {
    requireService("Redis (start: redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save '' --appendonly no)",
        "127.0.0.1", 6379);
  }

  /**
   * Requires an executable on the {@code PATH} (or at an absolute path) and returns its path.
   *
   * @param name the command, such as {@code pg_dump} or {@code restic}
   * @param install how to get it, such as {@code apt-get install restic}
   */
  public static Path requireCommand(String name, String install) {
    Path found = findCommand(name);
    if (found == null) {
      missing("command '" + name + "' is not on the PATH (" + install + ")");
    }
    return found;
  }

  /** The executable {@code name} on the {@code PATH} or in the usual PostgreSQL folders, or null. */
  public static Path findCommand(String name) {
    if (name.contains(File.separator)) {
      Path p = Path.of(name);
      return Files.isExecutable(p) ? p : null;
    }
    List<String> dirs = new ArrayList<>(List.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)));
    dirs.addAll(List.of("/usr/local/bin", "/usr/bin", "/usr/sbin", "/bin", "/sbin"));
    File[] pg = new File("/usr/lib/postgresql").listFiles();
    if (pg != null) {
      for (File v : pg) {
        dirs.add(new File(v, "bin").getPath());
      }
    }
    for (String d : dirs) {
      if (d.isEmpty()) {
        continue;
      }
      Path p = Path.of(d, name);
      if (Files.isExecutable(p)) {
        return p;
      }
    }
    return null;
  }

  /** A TCP port on 127.0.0.1 that was free a moment ago, for a private server a test starts. */
  public static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      s.setReuseAddress(true);
      return s.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException("no free port: " + e.getMessage(), e);
    }
  }

  /** Fails in CI, skips elsewhere; either way says what is missing. */
  public static void missing(String what) {
    if (inCi()) {
      Assertions.fail("required for this test in CI: " + what);
    }
    System.out.println("[skipped] " + what);
    Assumptions.abort("missing: " + what);
  }
}
