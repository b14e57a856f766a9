package dev.pledge.core.testing;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Assertions;

/**
 * Waiting on real servers that a test starts (PostgreSQL archiving and replaying WAL, MariaDB
 * starting), bounded, and failing with the server's own diagnostics. Nothing here waits for time
 * to pass: a file the server writes is awaited through the file system's notifications, and a
 * server state that announces itself nowhere is polled in the one place below.
 */
public final class RealServers {
  /** How often {@link #awaitState} asks a server that gives no notification. */
  private static final Duration POLL = Duration.ofMillis(20);

  private RealServers() {}

  /**
   * Blocks until every one of {@code names} exists in {@code dir} (a server's archive spool, say),
   * woken by the file system's create and rename notifications, or fails after {@code timeout}
   * naming what is missing and adding {@code diagnostics}.
   */
  public static void awaitFiles(Path dir, Duration timeout, Supplier<String> diagnostics, String... names)
      throws IOException, InterruptedException {
    List<Path> wanted = Arrays.stream(names).map(dir::resolve).toList();
    long deadline = System.nanoTime() + timeout.toNanos();
    try (WatchService watch = FileSystems.getDefault().newWatchService()) {
      // registered before the first look, so a file that appears in between is not missed
      dir.register(watch, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY);
      while (!wanted.stream().allMatch(Files::exists)) {
        long left = deadline - System.nanoTime();
        WatchKey key = left > 0 ? watch.poll(left, TimeUnit.NANOSECONDS) : null;
        if (key == null) {
          Assertions.fail("not in " + dir + " within " + timeout + ": "
              + wanted.stream().filter(p -> !Files.exists(p)).map(p -> p.getFileName().toString()).toList()
              + "\n" + diagnostics.get());
        }
        key.pollEvents();
        key.reset();
      }
    }
  }

  /**
   * Blocks until {@code reached} answers true (a server has finished recovery, a server accepts
   * logins), asking every 20 ms because such a state is announced nowhere, or fails after
   * {@code timeout} naming {@code what} and adding {@code diagnostics}. An exception from
   * {@code reached} counts as "not yet".
   */
  public static void awaitState(String what, Duration timeout, Callable<Boolean> reached, Supplier<String> diagnostics)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    Exception last = null;
    while (System.nanoTime() < deadline) {
      try {
        if (Boolean.TRUE.equals(reached.call())) {
          return;
        }
      } catch (Exception notYet) {
        last = notYet;
      }
      TimeUnit.NANOSECONDS.sleep(POLL.toNanos()); // the server's pace, not the test's clock
    }
    Assertions.fail(what + ": not within " + timeout + (last == null ? "" : " (last: " + last + ")") + "\n"
        + diagnostics.get());
  }
}
