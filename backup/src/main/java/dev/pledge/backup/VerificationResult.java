package dev.pledge.backup;

import java.util.Objects;

/**
 * The outcome of verifying one backup in one location: its manifest authenticated, its data
 * decrypted, authenticated and checksummed, without writing anything (P8, P10). Immutable.
 *
 * @param id the backup's id
 * @param location the store that was read
 * @param ok whether every check passed
 * @param problem why it failed, or empty when {@code ok}
 * @param manifestAuthenticated whether the manifest carried a MAC and it checked; false for a
 *     manifest written before manifests were authenticated, which can pass ({@code ok}) with its
 *     fields other than id, site and environment unauthenticated (see {@link #note()})
 */
public record VerificationResult(String id, String location, boolean ok, String problem, boolean manifestAuthenticated) {

  /** How a manifest without a MAC is described, in {@link #note()}, audit records and errors. */
  public static final String UNAUTHENTICATED_MANIFEST = "unauthenticated (written before manifests were authenticated)";

  /** Validates the result. */
  public VerificationResult {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(location, "location");
    problem = problem == null ? "" : problem;
  }

  /**
   * A result as the four fields before {@code manifestAuthenticated} described it: the manifest
   * counts as authenticated when {@code ok}.
   */
  public VerificationResult(String id, String location, boolean ok, String problem) {
    this(id, location, ok, problem, ok);
  }

  /**
   * What a person should know about a passing result: {@value #UNAUTHENTICATED_MANIFEST} when the
   * backup passed with a manifest that has no MAC, otherwise empty.
   */
  public String note() {
    return ok && !manifestAuthenticated ? "manifest " + UNAUTHENTICATED_MANIFEST : "";
  }
}
