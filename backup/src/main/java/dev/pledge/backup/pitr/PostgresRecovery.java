package dev.pledge.backup.pitr;

import dev.pledge.core.PledgeException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Objects;

/**
 * The PostgreSQL side of point-in-time restore (P9): continuous WAL archiving into a spool folder,
 * from which a shipper sends each segment through the encrypted backup pipeline, and recovery of a
 * base backup to a target instant with {@code recovery_target_time}.
 *
 * <p>All methods are stateless and thread-safe.
 */
public final class PostgresRecovery {
  private static final DateTimeFormatter PG_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS'+00'").withZone(ZoneOffset.UTC);

  private PostgresRecovery() {}

  /**
   * The {@code archive_command} that copies each completed WAL segment into {@code spool}, refusing to
   * overwrite a segment already there (PostgreSQL then retries, and the operator is told). The copy
   * keeps the segment's modification time (when PostgreSQL last wrote it: the end of the span
   * {@link PitrArchive} records) and appears under its name only once complete, so a shipper never
   * reads half a segment.
   */
  public static String archiveCommand(Path spool) {
    String dir = quote(spool.toAbsolutePath().toString());
    return "test ! -f " + dir + "/%f && cp -p %p " + dir + "/%f.partial && mv " + dir + "/%f.partial " + dir + "/%f";
  }

  /**
   * Prepares the restored base backup in {@code dataDir} to replay WAL from {@code walDir} up to
   * {@code target} and then promote: writes {@code recovery.signal} and the recovery settings.
   *
   * @param inclusive whether a transaction that committed exactly at {@code target} is replayed
   * @throws PledgeException if the data folder is not a PostgreSQL data folder or cannot be written
   */
  public static void configureRecovery(Path dataDir, Path walDir, Instant target, boolean inclusive) {
    configureRecovery(dataDir, walDir, target, inclusive, java.util.Optional.empty());
  }

  /**
   * As {@link #configureRecovery(Path, Path, Instant, boolean)}, following {@code timeline} (a
   * decimal timeline number, whose {@code .history} file must be in {@code walDir}) when present, or
   * the server's default ({@code latest} since PostgreSQL 12) when empty.
   *
   * @throws IllegalArgumentException when {@code timeline} is not a timeline number
   */
  public static void configureRecovery(Path dataDir, Path walDir, Instant target, boolean inclusive,
      java.util.Optional<String> timeline) {
    Objects.requireNonNull(timeline, "timeline");
    timeline.ifPresent(t -> TimelineSwitch.number(t, "timeline"));
    Objects.requireNonNull(dataDir, "dataDir");
    Objects.requireNonNull(walDir, "walDir");
    Objects.requireNonNull(target, "target");
    if (!Files.isRegularFile(dataDir.resolve("PG_VERSION"))) {
      throw new PledgeException(dataDir + " is not a PostgreSQL data folder (no PG_VERSION)");
    }
    String settings = "\n# point-in-time restore by Pledge\n"
        + "restore_command = '" + "cp " + quote(walDir.toAbsolutePath().toString()) + "/%f %p" + "'\n"
        + "recovery_target_time = '" + targetTime(target) + "'\n"
        + "recovery_target_inclusive = " + inclusive + "\n"
        + timeline.map(t -> "recovery_target_timeline = '" + t + "'\n").orElse("")
        + "recovery_target_action = 'promote'\n"
        + "archive_mode = off\n";
    try {
      Files.writeString(dataDir.resolve("postgresql.auto.conf"), settings, StandardCharsets.UTF_8,
          StandardOpenOption.CREATE, StandardOpenOption.APPEND);
      Files.writeString(dataDir.resolve("recovery.signal"), "", StandardCharsets.UTF_8);
      Files.deleteIfExists(dataDir.resolve("standby.signal"));
      Files.deleteIfExists(dataDir.resolve("postmaster.pid"));
      // PostgreSQL refuses a data folder others can read; a restored copy often is.
      if (Files.getFileStore(dataDir).supportsFileAttributeView("posix")) {
        Files.setPosixFilePermissions(dataDir, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
      }
    } catch (IOException e) {
      throw new PledgeException("cannot prepare recovery in " + dataDir + ": " + e.getMessage(), e);
    }
  }

  /** {@code target} as PostgreSQL reads a {@code timestamptz}, to the microsecond, in UTC. */
  public static String targetTime(Instant target) {
    return PG_TIME.format(target);
  }

  private static String quote(String path) {
    if (path.contains("'")) {
      throw new IllegalArgumentException("path must not contain a quote: " + path);
    }
    return "\"" + path + "\"";
  }
}
