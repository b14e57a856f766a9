package dev.pledge.backup.pitr;

import dev.pledge.core.PledgeException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The MariaDB/MySQL side of point-in-time restore (P9): a full dump taken with
 * {@code --single-transaction --master-data=2} records the binary-log position it is consistent
 * with; restoring to T loads that dump, then replays the binary logs from that position with
 * {@code mariadb-binlog --stop-datetime}.
 *
 * <p>Binary-log events carry whole seconds, so the replay keeps every event stamped before the
 * second that contains T: a transaction in T's own second is left out rather than risk applying one
 * that came after T. Stateless and thread-safe.
 */
public final class MariaDbRecovery {
  private static final Pattern CHANGE_MASTER = Pattern.compile(
      "CHANGE MASTER TO MASTER_LOG_FILE='([^']+)',\\s*MASTER_LOG_POS=(\\d+)");
  private static final DateTimeFormatter STOP =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

  private MariaDbRecovery() {}

  /**
   * A place in the binary logs.
   *
   * @param file the binary-log file name, such as {@code binlog.000001}
   * @param position the byte offset of the first event to replay
   */
  public record BinlogPosition(String file, long position) {
    /** Validates the position. */
    public BinlogPosition {
      Objects.requireNonNull(file, "file");
      if (position < 4) {
        throw new IllegalArgumentException("a binlog position is at least 4, got " + position);
      }
    }
  }

  /**
   * The binary-log position a dump is consistent with, read from its {@code CHANGE MASTER} comment
   * (written by {@code --master-data=2}) in its first lines.
   */
  public static Optional<BinlogPosition> positionInDump(Path dump) {
    try (BufferedReader r = Files.newBufferedReader(dump, StandardCharsets.UTF_8)) {
      for (int i = 0; i < 200; i++) {
        String line = r.readLine();
        if (line == null) {
          break;
        }
        Matcher m = CHANGE_MASTER.matcher(line);
        if (m.find()) {
          return Optional.of(new BinlogPosition(m.group(1), Long.parseLong(m.group(2))));
        }
      }
      return Optional.empty();
    } catch (IOException e) {
      throw new PledgeException("cannot read dump " + dump + ": " + e.getMessage(), e);
    }
  }

  /** The {@code --stop-datetime} value for {@code target}: the start of its second, in UTC. */
  public static String stopDatetime(Instant target) {
    return STOP.format(target.truncatedTo(ChronoUnit.SECONDS));
  }

  /**
   * The {@code mariadb-binlog} command that prints the events from {@code start} (in the first of
   * {@code files}, which must be in order) up to {@code target}. Run it with {@code TZ=UTC}.
   */
  public static List<String> binlogCommand(Path mariadbBinlog, List<Path> files, BinlogPosition start, Instant target) {
    if (files.isEmpty()) {
      throw new IllegalArgumentException("no binary-log files to replay");
    }
    if (!files.get(0).getFileName().toString().equals(start.file())) {
      throw new IllegalArgumentException("the first binary log must be " + start.file() + ", the dump's position, got "
          + files.get(0).getFileName());
    }
    List<String> cmd = new ArrayList<>(List.of(mariadbBinlog.toString(), "--no-defaults",
        "--start-position=" + start.position(), "--stop-datetime=" + stopDatetime(target)));
    files.forEach(f -> cmd.add(f.toString()));
    return cmd;
  }

  /**
   * Replays {@code files} from {@code start} up to {@code target} into a server through
   * {@code client} (e.g. {@code mariadb --no-defaults -h H -P P -u U}), piping one into the other.
   * Credentials go in {@code clientEnv} ({@code MYSQL_PWD}), never on the command line.
   *
   * @throws PledgeException naming the tool that failed and the end of what it printed
   */
  public static void replay(Path mariadbBinlog, List<Path> files, BinlogPosition start, Instant target,
      List<String> client, Map<String, String> clientEnv) {
    List<String> reader = binlogCommand(mariadbBinlog, files, start, target);
    try {
      ProcessBuilder rb = new ProcessBuilder(reader).redirectError(ProcessBuilder.Redirect.PIPE);
      rb.environment().put("TZ", "UTC");
      Process binlog = rb.start();
      ProcessBuilder cb = new ProcessBuilder(client).redirectErrorStream(true);
      cb.environment().putAll(clientEnv);
      Process sql = cb.start();
      java.io.ByteArrayOutputStream clientOut = new java.io.ByteArrayOutputStream();
      Thread drain = new Thread(() -> drainQuietly(sql.getInputStream(), clientOut));
      drain.start();
      try (InputStream events = binlog.getInputStream(); OutputStream in = sql.getOutputStream()) {
        events.transferTo(in);
      }
      String readerErr = new String(binlog.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!binlog.waitFor(10, TimeUnit.MINUTES) || binlog.exitValue() != 0) {
        throw new PledgeException("mariadb-binlog failed (" + exit(binlog) + "): " + tail(readerErr));
      }
      boolean done = sql.waitFor(10, TimeUnit.MINUTES);
      drain.join(10_000);
      if (!done || sql.exitValue() != 0) {
        throw new PledgeException("the client failed replaying the binary logs (" + exit(sql) + "): "
            + tail(clientOut.toString(StandardCharsets.UTF_8)));
      }
    } catch (IOException e) {
      throw new PledgeException("cannot replay binary logs: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PledgeException("interrupted while replaying binary logs", e);
    }
  }

  private static void drainQuietly(InputStream in, java.io.ByteArrayOutputStream out) {
    try (in) {
      in.transferTo(out);
    } catch (IOException ignored) {
      // the client's own exit status reports a failure
    }
  }

  private static String exit(Process p) {
    return p.isAlive() ? "still running" : "exit " + p.exitValue();
  }

  private static String tail(String s) {
    String t = s.strip();
    return t.length() > 500 ? "..." + t.substring(t.length() - 500) : t;
  }
}
