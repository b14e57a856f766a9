package dev.pledge.backup.retention;

import java.util.Locale;

/** What a backup holds, for dependency-aware retention (P9, P11). */
public enum BackupKind {
  /** A self-contained backup. */
  FULL,
  /** Changes since its parent; restorable only with its whole parent chain. */
  INCREMENTAL,
  /** A log segment (WAL, binlog) replayed on top of a full backup for point-in-time restore. */
  LOG;

  /**
   * Parses {@code full}, {@code incremental} or {@code log} (any case).
   *
   * @throws IllegalArgumentException naming the value when it is none of these
   */
  public static BackupKind parse(String text) {
    if (text != null) {
      for (BackupKind k : values()) {
        if (k.name().equalsIgnoreCase(text.trim())) {
          return k;
        }
      }
    }
    throw new IllegalArgumentException("kind must be one of full, incremental, log; got '" + text + "'");
  }

  /** The lower-case name used in files and JSON. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
