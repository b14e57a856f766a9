package dev.pledge.security.apikey;

import java.time.Instant;
import java.util.Objects;

/**
 * An API key as stored: its id and owner, never the key itself (only a hash of its secret part).
 * Immutable.
 *
 * @param id the key's public id, part of the key text
 * @param owner who holds it (a customer, an integration)
 * @param label why it was issued, such as {@code issued} or {@code rotated for BR-9}
 * @param hash the SHA-256 of the key's secret part, hex
 * @param createdAt when it was issued
 * @param revokedAt when it was revoked, or {@code null} while it is valid
 * @param revokedReason why, or {@code null}
 */
public record ApiKey(String id, String owner, String label, String hash, Instant createdAt, Instant revokedAt,
    String revokedReason) {

  /** Validates the key. */
  public ApiKey {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(owner, "owner");
    Objects.requireNonNull(label, "label");
    Objects.requireNonNull(hash, "hash");
    Objects.requireNonNull(createdAt, "createdAt");
  }

  /** Whether the key has not been revoked. */
  public boolean active() {
    return revokedAt == null;
  }

  /** Never shows the hash. */
  @Override
  public String toString() {
    return "ApiKey[" + id + ", " + owner + ", " + label + (active() ? "" : ", revoked") + "]";
  }
}
