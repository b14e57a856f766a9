package dev.pledge.backup.pitr;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a log segment covers, written into and read back from its manifest's description, and the
 * facts taken from the segment file itself.
 */
final class LogSpans {
  /** A PostgreSQL WAL segment file name: timeline, log and segment, eight hex digits each. */
  static final Pattern WAL_NAME = Pattern.compile("([0-9A-F]{8})([0-9A-F]{8})([0-9A-F]{8})");
  /** A PostgreSQL timeline history file name: the new timeline, eight hex digits, then {@code .history}. */
  static final Pattern HISTORY_NAME = Pattern.compile("([0-9A-F]{8})\\.history");
  /** A binary-log file name: {@code basename.000042}. */
  static final Pattern BINLOG_NAME = Pattern.compile("([A-Za-z0-9_.-]+)\\.(\\d{6,})");
  private static final Pattern DESCRIPTION = Pattern.compile(
      "(\\S+) (\\S+) timeline (\\S+) from (\\S+) to (\\S+)");
  private static final Pattern HISTORY_DESCRIPTION = Pattern.compile(
      "(\\S+) (\\S+) timeline (\\d+) branched off timeline (\\d+) at ([0-9A-F]{1,8}/[0-9A-F]{1,8}) on (\\S+)");
  private static final Pattern HISTORY_LINE = Pattern.compile("(\\d+)\\s+([0-9A-F]{1,8}/[0-9A-F]{1,8})(\\s.*)?");
  /** PostgreSQL's default WAL segment size, which the switch point's segment is computed with. */
  static final long WAL_SEGMENT_BYTES = 16L * 1024 * 1024;
  private static final byte[] BINLOG_MAGIC = {(byte) 0xfe, 'b', 'i', 'n'};
  private static final int EVENT_HEADER = 19;

  private LogSpans() {}

  /** One segment as recorded in its manifest. */
  record Span(String kind, String name, String timeline, Instant start, Instant end) {
    String description() {
      return kind + " " + name + " timeline " + timeline + " from " + start + " to " + end;
    }
  }

  static Optional<Span> parse(String description) {
    Matcher m = DESCRIPTION.matcher(description);
    if (!m.matches()) {
      return Optional.empty();
    }
    try {
      return Optional.of(new Span(m.group(1), m.group(2), m.group(3), Instant.parse(m.group(4)), Instant.parse(m.group(5))));
    } catch (java.time.format.DateTimeParseException e) {
      return Optional.empty();
    }
  }

  /**
   * A timeline switch as recorded in its history backup's description: the new timeline, its parent,
   * the switch point (an LSN, {@code 0/3000A28}) and when the history file was written.
   */
  record History(String kind, String name, String timeline, String parent, String switchLsn, Instant at) {
    String description() {
      return kind + " " + name + " timeline " + timeline + " branched off timeline " + parent + " at " + switchLsn
          + " on " + at;
    }

    /** The position of the WAL segment holding the switch point (16 MiB segments). */
    long position() {
      String[] parts = switchLsn.split("/");
      long lo = Long.parseLong(parts[1], 16);
      return Long.parseLong(parts[0], 16) << 32 | lo / WAL_SEGMENT_BYTES;
    }
  }

  static Optional<History> parseHistory(String description) {
    Matcher m = HISTORY_DESCRIPTION.matcher(description);
    if (!m.matches()) {
      return Optional.empty();
    }
    try {
      return Optional.of(new History(m.group(1), m.group(2), m.group(3), m.group(4), m.group(5), Instant.parse(m.group(6))));
    } catch (java.time.format.DateTimeParseException e) {
      return Optional.empty();
    }
  }

  /**
   * The new timeline of a {@code .history} file and, from its last entry, the parent it branched off
   * and the switch point, as PostgreSQL writes it ({@code 1\t0/3000A28\tno recovery target specified}).
   *
   * @throws IOException naming the file and line when the file is not a timeline history
   */
  static String[] historySwitch(Path file) throws IOException {
    String name = file.getFileName().toString();
    Matcher n = HISTORY_NAME.matcher(name);
    if (!n.matches()) {
      throw new IOException(file + " is not a timeline history file name (8 hex digits, then .history)");
    }
    long timeline = Long.parseLong(n.group(1), 16);
    String[] last = null;
    int lineNo = 0;
    for (String line : Files.readAllLines(file, java.nio.charset.StandardCharsets.UTF_8)) {
      lineNo++;
      String t = line.strip();
      if (t.isEmpty() || t.startsWith("#")) {
        continue;
      }
      Matcher m = HISTORY_LINE.matcher(t);
      if (!m.matches()) {
        throw new IOException(file + " line " + lineNo + " is not '<parent timeline> <switch LSN> <reason>': '" + t + "'");
      }
      last = new String[] {m.group(1), m.group(2)};
    }
    if (last == null) {
      throw new IOException(file + " records no switch (every timeline after 1 branches off a parent)");
    }
    if (timeline < 2 || Long.parseLong(last[0]) >= timeline) {
      throw new IOException(file + ": timeline " + timeline + " cannot branch off timeline " + last[0]);
    }
    return new String[] {Long.toString(timeline), last[0], last[1]};
  }

  /** A WAL segment's position in its log: its log and segment numbers, {@code (log << 32) | segment}. */
  static long walPosition(String name) {
    Matcher m = WAL_NAME.matcher(name);
    if (!m.matches()) {
      throw new IllegalArgumentException("'" + name + "' is not a WAL segment name (24 hex digits)");
    }
    return Long.parseLong(m.group(2), 16) << 32 | Long.parseLong(m.group(3), 16);
  }

  /** The timeline of a WAL segment, as a decimal number ("1"), the way RecoveryPoint counts it. */
  static String walTimeline(String name) {
    Matcher m = WAL_NAME.matcher(name);
    if (!m.matches()) {
      throw new IllegalArgumentException("'" + name + "' is not a WAL segment name (24 hex digits)");
    }
    return Long.toString(Long.parseLong(m.group(1), 16));
  }

  /** Whether WAL segment {@code next} directly follows {@code previous} on the same timeline. */
  static boolean walFollows(String previous, String next) {
    Matcher a = WAL_NAME.matcher(previous);
    Matcher b = WAL_NAME.matcher(next);
    if (!a.matches() || !b.matches() || !a.group(1).equals(b.group(1))) {
      return false;
    }
    long logA = Long.parseLong(a.group(2), 16);
    long segA = Long.parseLong(a.group(3), 16);
    long logB = Long.parseLong(b.group(2), 16);
    long segB = Long.parseLong(b.group(3), 16);
    return (logA == logB && segB == segA + 1) || (logB == logA + 1 && segB == 0);
  }

  /** Whether binary log {@code next} directly follows {@code previous} (same base name, next number). */
  static boolean binlogFollows(String previous, String next) {
    Matcher a = BINLOG_NAME.matcher(previous);
    Matcher b = BINLOG_NAME.matcher(next);
    return a.matches() && b.matches() && a.group(1).equals(b.group(1))
        && Long.parseLong(b.group(2)) == Long.parseLong(a.group(2)) + 1;
  }

  /** The stream a binary log belongs to: its base name. */
  static String binlogStream(String name) {
    Matcher m = BINLOG_NAME.matcher(name);
    if (!m.matches()) {
      throw new IllegalArgumentException("'" + name + "' is not a binary-log file name (basename.000001)");
    }
    return m.group(1);
  }

  /**
   * The first and last event timestamps of a binary log (whole seconds), read from the 19-byte
   * header of every event; events stamped 0 carry no time and are skipped.
   *
   * @throws IOException naming the file when it is not an unencrypted binary log or is cut short
   */
  static Instant[] binlogTimes(Path file) throws IOException {
    long min = Long.MAX_VALUE;
    long max = Long.MIN_VALUE;
    long size = Files.size(file);
    try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16))) {
      byte[] magic = new byte[4];
      in.readFully(magic);
      if (!java.util.Arrays.equals(magic, BINLOG_MAGIC)) {
        throw new IOException(file + " is not a binary log (no \\xfebin magic; encrypted binary logs are not supported)");
      }
      long pos = 4;
      byte[] header = new byte[EVENT_HEADER];
      while (pos < size) {
        try {
          in.readFully(header);
        } catch (EOFException e) {
          throw new IOException(file + " is cut short inside the event header at offset " + pos);
        }
        long ts = le32(header, 0);
        long length = le32(header, 9);
        if (length < EVENT_HEADER || pos + length > size) {
          throw new IOException(file + ": event at offset " + pos + " has a bad length " + length);
        }
        if (ts != 0) {
          min = Math.min(min, ts);
          max = Math.max(max, ts);
        }
        skipFully(in, length - EVENT_HEADER);
        pos += length;
      }
    }
    if (min == Long.MAX_VALUE) {
      throw new IOException(file + " holds no timestamped event");
    }
    return new Instant[] {Instant.ofEpochSecond(min), Instant.ofEpochSecond(max)};
  }

  private static long le32(byte[] b, int off) {
    return (b[off] & 0xffL) | (b[off + 1] & 0xffL) << 8 | (b[off + 2] & 0xffL) << 16 | (b[off + 3] & 0xffL) << 24;
  }

  private static void skipFully(InputStream in, long n) throws IOException {
    while (n > 0) {
      long s = in.skip(n);
      if (s <= 0) {
        if (in.read() < 0) {
          throw new EOFException();
        }
        s = 1;
      }
      n -= s;
    }
  }

  /** The SHA-256 of a file, lower-case hex, as the manifest's plaintext checksum records it. */
  static String sha256(Path file) throws IOException {
    MessageDigest md;
    try {
      md = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    try (InputStream in = Files.newInputStream(file)) {
      byte[] buf = new byte[1 << 16];
      for (int n; (n = in.read(buf)) > 0; ) {
        md.update(buf, 0, n);
      }
    }
    return HexFormat.of().formatHex(md.digest());
  }
}
