package dev.pledge.security.password;

import java.util.Arrays;
import java.util.stream.Collectors;

/** The starting points of a {@link PasswordRules}; any rule can then be changed one by one. */
public enum PasswordProfile {
  /**
   * The policy document as written (P24, P25): at least 12 characters with the four character
   * classes, 30-day rotation, plus blocklist, context words, runs and a history of 5.
   */
  DOCUMENT("document"),
  /**
   * NIST SP 800-63B: length first (at least 15, at most 128), no composition rules, no periodic
   * rotation, a blocklist and context words.
   */
  NIST_800_63B("nist-800-63b");

  private final String id;

  PasswordProfile(String id) {
    this.id = id;
  }

  /** The name used in policy documents: {@code document} or {@code nist-800-63b}. */
  public String id() {
    return id;
  }

  /**
   * The profile named {@code id} in a policy document.
   *
   * @throws IllegalArgumentException naming the value and the accepted ones
   */
  public static PasswordProfile fromId(String id) {
    for (PasswordProfile p : values()) {
      if (p.id.equals(id)) {
        return p;
      }
    }
    throw new IllegalArgumentException("profile '" + id + "' is unknown; use one of "
        + Arrays.stream(values()).map(PasswordProfile::id).collect(Collectors.joining(", ")));
  }
}
