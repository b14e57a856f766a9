package dev.pledge.security.password;

/** How characters are put into {@link CharacterClass}es. */
public enum CharacterSet {
  /** Unicode categories: {@code É} is upper-case, {@code ٣} is a digit. */
  UNICODE,
  /**
   * ASCII only: {@code A-Z}, {@code a-z} and {@code 0-9} count as letters and digits; every other
   * character (non-ASCII letters included) counts as a symbol.
   */
  ASCII
}
