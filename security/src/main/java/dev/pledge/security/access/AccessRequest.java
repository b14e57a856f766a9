package dev.pledge.security.access;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A request for a role, waiting for an approver or decided (P15). Immutable.
 *
 * @param id the request's id
 * @param account who asks
 * @param role the role asked for
 * @param resource what it should reach, such as {@code shop/production}
 * @param reason why: for a production role, text naming the incident (such as {@code INC-7})
 * @param duration how long the grant should last
 * @param targets the names of the {@link AccessTarget}s on which the grant makes a login; may be empty
 * @param requestedAt when it was asked
 * @param status where it stands
 * @param decidedBy who approved or refused it, or {@code null} while pending
 * @param decidedAt when, or {@code null} while pending
 * @param grantId the grant it became, or {@code null}
 */
public record AccessRequest(
    String id, String account, String role, String resource, String reason, Duration duration,
    List<String> targets, Instant requestedAt, Status status, String decidedBy, Instant decidedAt, String grantId) {

  /** Validates the request. */
  public AccessRequest {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(account, "account");
    Objects.requireNonNull(role, "role");
    Objects.requireNonNull(resource, "resource");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(duration, "duration");
    targets = targets == null ? List.of() : List.copyOf(targets);
    Objects.requireNonNull(requestedAt, "requestedAt");
    Objects.requireNonNull(status, "status");
  }

  /** A copy decided as {@code to} by {@code by} at {@code at}, naming the grant it became, if any. */
  public AccessRequest decided(Status to, String by, Instant at, String grant) {
    return new AccessRequest(id, account, role, resource, reason, duration, targets, requestedAt, to, by, at, grant);
  }

  /** Where a request stands. */
  public enum Status {
    /** Waiting for an approver. */
    PENDING,
    /** Approved: a grant was made. */
    APPROVED,
    /** Refused by an approver. */
    DENIED
  }
}
