package dev.pledge.security.access;

import java.time.Instant;
import java.util.Objects;

/**
 * A grant as the {@link AccessStore} keeps it: the grant, where it stands, and whether the logins it
 * made on its targets are gone yet. Immutable.
 *
 * @param grant the grant
 * @param status where it stands
 * @param endedAt when it left {@link GrantStatus#ACTIVE}, or {@code null}
 * @param endedBy who or what ended it ({@code system} for expiry), or {@code null}
 * @param cleanupNode the node that last took on removing its logins, or {@code null}
 * @param cleanupAt when that node took it on, or {@code null}
 * @param cleaned whether every login it made on its targets has been removed (true for a grant with
 *     no target once it ended)
 */
public record StoredGrant(
    AccessGrant grant, GrantStatus status, Instant endedAt, String endedBy, String cleanupNode, Instant cleanupAt,
    boolean cleaned) {

  /** Validates the entry. */
  public StoredGrant {
    Objects.requireNonNull(grant, "grant");
    Objects.requireNonNull(status, "status");
  }

  /** A new, active grant. */
  public static StoredGrant active(AccessGrant grant) {
    return new StoredGrant(grant, GrantStatus.ACTIVE, null, null, null, null, false);
  }

  /** The grant's id. */
  public String id() {
    return grant.id();
  }

  /** Whether the grant is in force at {@code t}: active in the store and within its time. */
  public boolean inForceAt(Instant t) {
    return status == GrantStatus.ACTIVE && grant.activeAt(t);
  }
}
