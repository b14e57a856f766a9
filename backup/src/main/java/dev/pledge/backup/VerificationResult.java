package dev.pledge.backup;

import java.util.Objects;

/**
 * The outcome of verifying one backup in one location: decrypted, authenticated and checksummed
 * without writing anything (P8, P10). Immutable.
 *
 * @param id the backup's id
 * @param location the store that was read
 * @param ok whether every check passed
 * @param problem why it failed, or empty when {@code ok}
 */
public record VerificationResult(String id, String location, boolean ok, String problem) {

  /** Validates the result. */
  public VerificationResult {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(location, "location");
    problem = problem == null ? "" : problem;
  }
}
