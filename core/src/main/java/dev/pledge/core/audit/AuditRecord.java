package dev.pledge.core.audit;

import dev.pledge.core.Scope;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One entry of the audit trail: who did what, to which resource, when, and how it ended (P14, P20).
 * Immutable. Details must never hold a secret.
 *
 * @param at when the action happened
 * @param actor who acted: a person's account, or a component such as {@code scheduler}
 * @param action what was done, a dotted verb such as {@code backup.run} or {@code restore.refused}
 * @param resource what it was done to, such as a backup id or an account
 * @param outcome how it ended
 * @param scope the site and environment, when the action belongs to one
 * @param details further facts as sorted key/value pairs (sizes, reasons, durations)
 */
public record AuditRecord(
    Instant at,
    String actor,
    String action,
    String resource,
    AuditOutcome outcome,
    Scope scope,
    Map<String, String> details) {

  /** Validates the record and copies the details into an immutable sorted map. */
  public AuditRecord {
    Objects.requireNonNull(at, "at");
    requireText(actor, "actor");
    requireText(action, "action");
    requireText(resource, "resource");
    Objects.requireNonNull(outcome, "outcome");
    details = details == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(details));
  }

  /** A record with no scope and no details. */
  public static AuditRecord of(Instant at, String actor, String action, String resource, AuditOutcome outcome) {
    return new AuditRecord(at, actor, action, resource, outcome, null, Map.of());
  }

  /** The scope, when the action belongs to a site and environment. */
  public Optional<Scope> scopeIfAny() {
    return Optional.ofNullable(scope);
  }

  /** A copy with one more detail. */
  public AuditRecord withDetail(String key, String value) {
    TreeMap<String, String> d = new TreeMap<>(details);
    d.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
    return new AuditRecord(at, actor, action, resource, outcome, scope, d);
  }

  /** A copy in {@code scope}. */
  public AuditRecord withScope(Scope scope) {
    return new AuditRecord(at, actor, action, resource, outcome, scope, details);
  }

  private static void requireText(String s, String field) {
    if (s == null || s.isBlank()) {
      throw new IllegalArgumentException("audit record needs a non-blank " + field);
    }
  }
}
