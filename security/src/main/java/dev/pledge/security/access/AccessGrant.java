package dev.pledge.security.access;

import java.time.Instant;
import java.util.Objects;

/**
 * A time-bounded grant: a role held for an assignment (P17), or just-in-time production access
 * granted because a problem requires it (P15). Immutable; {@link #activeAt} decides by the clock.
 *
 * @param id the grant's id, for the audit trail
 * @param account the account it was granted to
 * @param role the role granted
 * @param resource what the grant reaches, such as {@code shop/production} or {@code *}
 * @param reason why it was granted (the assignment or the problem)
 * @param from when it starts
 * @param until when it ends
 */
public record AccessGrant(
    String id, String account, String role, String resource, String reason, Instant from, Instant until) {

  /** Validates the grant. */
  public AccessGrant {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(account, "account");
    Objects.requireNonNull(role, "role");
    Objects.requireNonNull(resource, "resource");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(until, "until");
    if (!until.isAfter(from)) {
      throw new IllegalArgumentException("grant " + id + " must end after it starts, got " + from + " .. " + until);
    }
  }

  /** Whether the grant is in force at {@code t}: from inclusive, until exclusive. */
  public boolean activeAt(Instant t) {
    return !t.isBefore(from) && t.isBefore(until);
  }

  /** Whether the grant reaches {@code resource}. */
  public boolean covers(String resource) {
    return this.resource.equals("*") || this.resource.equals(resource);
  }
}
