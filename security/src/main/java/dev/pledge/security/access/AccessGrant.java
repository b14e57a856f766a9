package dev.pledge.security.access;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A time-bounded grant: a role held for an assignment (P17), or just-in-time production access
 * granted because a problem requires it (P15). Immutable; {@link #activeAt} decides by the clock.
 *
 * @param id the grant's id, for the audit trail: lower-case letters and digits
 * @param account the account it was granted to
 * @param role the role granted
 * @param resource what the grant reaches, such as {@code shop/production} or {@code *}
 * @param reason why it was granted (the assignment or the problem)
 * @param from when it starts
 * @param until when it ends
 * @param approver who approved it ({@code on-call} for the policy's auto-approval), or {@code null}
 *     for a grant that needed no approval
 * @param targets the names of the {@link AccessTarget}s on which it made a login; may be empty
 */
public record AccessGrant(
    String id, String account, String role, String resource, String reason, Instant from, Instant until,
    String approver, List<String> targets) {

  /** Validates the grant. */
  public AccessGrant {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(account, "account");
    Objects.requireNonNull(role, "role");
    Objects.requireNonNull(resource, "resource");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(until, "until");
    targets = targets == null ? List.of() : List.copyOf(targets);
    if (!until.isAfter(from)) {
      throw new IllegalArgumentException("grant " + id + " must end after it starts, got " + from + " .. " + until);
    }
  }

  /** A grant that needed no approver and reaches no target. */
  public AccessGrant(String id, String account, String role, String resource, String reason, Instant from,
      Instant until) {
    this(id, account, role, resource, reason, from, until, null, List.of());
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
