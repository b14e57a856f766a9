package dev.pledge.core.policy;

import java.util.Objects;

/**
 * Something in a policy document that loads but deserves a reader's attention, such as a password
 * rule that NIST SP 800-63B says SHALL NOT be used, or a section whose module is not on the class path.
 *
 * @param path the path of the key the warning is about, or empty for the whole document
 * @param rule a short stable identifier of the rule, such as {@code nist-800-63b/composition}
 * @param message what a reader should know
 * @param location where in the document, as {@code policy.yaml:12:7}, or empty when not known
 */
public record PolicyWarning(String path, String rule, String message, String location) {

  /** Validates the warning. */
  public PolicyWarning {
    path = path == null ? "" : path;
    Objects.requireNonNull(rule, "rule");
    Objects.requireNonNull(message, "message");
    location = location == null ? "" : location;
  }

  /** A warning whose place in the document is not known. */
  public PolicyWarning(String path, String rule, String message) {
    this(path, rule, message, "");
  }

  @Override
  public String toString() {
    return (location.isEmpty() ? "" : location + ": ") + (path.isEmpty() ? "" : path + ": ") + message
        + " [" + rule + "]";
  }
}
