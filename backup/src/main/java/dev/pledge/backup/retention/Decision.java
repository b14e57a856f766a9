package dev.pledge.backup.retention;

import java.util.Locale;

/** What a retention plan does with one backup (P11, P12). */
public enum Decision {
  /** Stays where it is, in hot storage. */
  KEEP,
  /** Is retained, but in the cold storage class (Glacier) instead of hot storage. */
  ARCHIVE,
  /** Is deleted. */
  DELETE;

  /** The lower-case name used in JSON. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
