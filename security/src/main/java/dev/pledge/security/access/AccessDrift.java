package dev.pledge.security.access;

import java.time.Instant;
import java.util.List;

/**
 * What the targets actually hold against what the broker says they should (P15, P18, P21): the
 * access posture measured on the real systems, not only in the broker's store. Immutable.
 *
 * @param at when it was measured
 * @param targets one entry per target
 * @param findings what breaks a promise, empty when the targets hold exactly what the grants give
 */
public record AccessDrift(Instant at, List<Target> targets, List<String> findings) {

  /** Copies the lists. */
  public AccessDrift {
    targets = List.copyOf(targets);
    findings = List.copyOf(findings);
  }

  /** Whether the targets hold exactly the logins of active grants, and nothing could not be read. */
  public boolean clean() {
    return findings.isEmpty();
  }

  /**
   * One target's logins.
   *
   * @param target the target's name
   * @param expected the logins active grants hold there
   * @param actual the logins with Pledge's prefix the target holds
   * @param orphans logins the target holds that no active grant holds (standing access, P15, P18)
   * @param missing logins an active grant holds that the target lacks
   * @param administrators logins with complete administrative access on the target (P21)
   * @param error why the target could not be read, or {@code null}
   */
  public record Target(String target, List<String> expected, List<String> actual, List<String> orphans,
      List<String> missing, List<String> administrators, String error) {

    /** Copies the lists. */
    public Target {
      expected = List.copyOf(expected);
      actual = List.copyOf(actual);
      orphans = List.copyOf(orphans);
      missing = List.copyOf(missing);
      administrators = List.copyOf(administrators);
    }
  }
}
