package dev.pledge.security.access;

import dev.pledge.core.audit.AuditOutcome;
import dev.pledge.core.audit.AuditRecord;
import dev.pledge.core.audit.AuditTrail;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Grants, checks and revokes access by the policy's rules, and audits every decision (P14-P21).
 *
 * <ul>
 *   <li>P14: a person may do only what the roles they currently hold permit.
 *   <li>P15: roles that reach production data are never held standing; they are granted just in
 *       time, for a stated problem, for at most {@link AccessPolicy#maxGrant()}.
 *   <li>P16: contractors are never granted anything (when {@code employeesOnly}).
 *   <li>P17: a role is granted for an assignment and ends when the assignment does.
 *   <li>P18: {@link #offboard} removes every grant of a person who leaves.
 *   <li>P19: an account belongs to one person; an account is never enrolled twice or reused.
 *   <li>P20: every grant, refusal, check that denies, revocation and expiry is in the audit trail.
 *   <li>P21: only the policy's named administrator holds complete administrative access.
 * </ul>
 *
 * <p>Thread-safe: decisions are serialised, which suits their rate (people, not requests).
 */
public final class AccessBroker {
  private final AccessPolicy policy;
  private final Clock clock;
  private final AuditTrail audit;
  private final Map<String, Person> people = new LinkedHashMap<>();
  private final Map<String, Instant> departed = new LinkedHashMap<>();
  private final Map<String, AccessGrant> grants = new LinkedHashMap<>();
  private final AtomicLong ids = new AtomicLong();

  private AccessBroker(Builder b) {
    this.policy = b.policy;
    this.clock = b.clock;
    this.audit = b.audit;
  }

  /** A builder for a broker that enforces {@code policy}. */
  public static Builder builder(AccessPolicy policy) {
    return new Builder(policy);
  }

  /** The policy this broker enforces. */
  public AccessPolicy policy() {
    return policy;
  }

  /**
   * Enrols a person with their own account (P19).
   *
   * @throws IllegalArgumentException if the account is already enrolled or belonged to someone who left
   */
  public synchronized void enrol(Person person) {
    Objects.requireNonNull(person, "person");
    if (people.containsKey(person.account())) {
      throw new IllegalArgumentException("account '" + person.account() + "' already belongs to "
          + people.get(person.account()).name() + "; accounts are never shared (P19)");
    }
    if (departed.containsKey(person.account())) {
      throw new IllegalArgumentException("account '" + person.account()
          + "' belonged to someone who left; accounts are never reused (P19)");
    }
    people.put(person.account(), person);
    audit("access.enrol", "system", person.account(), AuditOutcome.SUCCESS,
        Map.of("employment", person.employment().name()));
  }

  /**
   * Grants {@code role} to {@code account} for an assignment, from now until {@code until} (P17).
   *
   * @throws AccessDeniedException if the person is a contractor (P16), the role reaches production
   *     data (P15: use {@link #grantJustInTime}), or the account is unknown
   */
  public synchronized AccessGrant assign(String account, String role, String assignment, Instant until) {
    Person p = person(account, "access.assign", role);
    AccessPolicy.Role r = role(account, role, "access.assign");
    requireReason(assignment, "assignment");
    if (r.production() && !policy.standingProductionAccess()) {
      throw deny("P15", "access.assign", account, role, "role '" + role
          + "' reaches production data and is granted only just in time, for a problem");
    }
    return grant(p, r, "*", "assignment: " + assignment, until);
  }

  /**
   * Grants a production role just in time because {@code problem} requires it (P15), for at most
   * the policy's {@code maxGrant}.
   *
   * @throws AccessDeniedException if the person is a contractor (P16), the duration exceeds the
   *     policy's maximum, or the role does not reach production
   */
  public synchronized AccessGrant grantJustInTime(String account, String role, String resource, String problem,
      Duration duration) {
    Objects.requireNonNull(duration, "duration");
    Objects.requireNonNull(resource, "resource");
    Person p = person(account, "access.jit", role);
    AccessPolicy.Role r = role(account, role, "access.jit");
    requireReason(problem, "problem");
    if (duration.isNegative() || duration.isZero()) {
      throw new IllegalArgumentException("duration must be greater than zero, got " + duration);
    }
    if (duration.compareTo(policy.maxGrant()) > 0) {
      throw deny("P15", "access.jit", account, role, "a just-in-time grant lasts at most "
          + dev.pledge.core.time.Durations.format(policy.maxGrant()) + ", asked for "
          + dev.pledge.core.time.Durations.format(duration));
    }
    if (!r.production()) {
      throw new IllegalArgumentException("role '" + role + "' does not reach production; assign it instead");
    }
    return grant(p, r, resource, "problem: " + problem, clock.instant().plus(duration));
  }

  /**
   * Whether {@code account} may do {@code permission} on {@code resource} now (P14). The named
   * administrator may do everything (P21). A denial is audited.
   */
  public synchronized boolean permits(String account, String permission, String resource) {
    Objects.requireNonNull(permission, "permission");
    Objects.requireNonNull(resource, "resource");
    if (account.equals(policy.administrator()) && people.containsKey(account)) {
      return true;
    }
    Instant now = clock.instant();
    for (AccessGrant g : grants.values()) {
      if (g.account().equals(account) && g.activeAt(now) && g.covers(resource)
          && policy.role(g.role()).map(r -> r.permissions().contains(permission)).orElse(false)) {
        return true;
      }
    }
    audit("access.check", account, resource, AuditOutcome.DENIED, Map.of("permission", permission));
    return false;
  }

  /** Revokes one grant before it ends; audited. Returns whether it was in force. */
  public synchronized boolean revoke(String grantId, String by) {
    AccessGrant g = grants.remove(grantId);
    if (g == null) {
      return false;
    }
    audit("access.revoke", by, g.account(), AuditOutcome.SUCCESS, Map.of("grant", grantId, "role", g.role()));
    return true;
  }

  /**
   * Removes every grant of a person who leaves and closes their account for good (P18); audited.
   *
   * @return the grants that were removed
   */
  public synchronized List<AccessGrant> offboard(String account, String by) {
    Person p = people.remove(account);
    if (p == null) {
      throw new IllegalArgumentException("account '" + account + "' is not enrolled");
    }
    departed.put(account, clock.instant());
    List<AccessGrant> removed = new ArrayList<>();
    grants.values().removeIf(g -> {
      if (g.account().equals(account)) {
        removed.add(g);
        return true;
      }
      return false;
    });
    audit("access.offboard", by, account, AuditOutcome.SUCCESS, Map.of("grantsRemoved", String.valueOf(removed.size())));
    return removed;
  }

  /** Forgets grants that have ended, auditing each expiry (P17); returns them. */
  public synchronized List<AccessGrant> expire() {
    Instant now = clock.instant();
    List<AccessGrant> ended = new ArrayList<>();
    grants.values().removeIf(g -> {
      if (!now.isBefore(g.until())) {
        ended.add(g);
        return true;
      }
      return false;
    });
    for (AccessGrant g : ended) {
      audit("access.expire", "system", g.account(), AuditOutcome.SUCCESS, Map.of("grant", g.id(), "role", g.role()));
    }
    return ended;
  }

  /** The grants in force now. */
  public synchronized List<AccessGrant> activeGrants() {
    Instant now = clock.instant();
    return grants.values().stream().filter(g -> g.activeAt(now)).toList();
  }

  /** The state of access now, measured against P14-P21, for reports. */
  public synchronized AccessPosture posture() {
    Instant now = clock.instant();
    List<AccessGrant> active = activeGrants();
    List<String> findings = new ArrayList<>();
    long contractors = active.stream()
        .filter(g -> people.containsKey(g.account()) && people.get(g.account()).employment() == Person.Employment.CONTRACTOR)
        .count();
    long standingProduction = active.stream()
        .filter(g -> policy.role(g.role()).map(AccessPolicy.Role::production).orElse(false))
        .filter(g -> g.until().isAfter(now.plus(policy.maxGrant())))
        .count();
    int administrators = people.containsKey(policy.administrator()) ? 1 : 0;
    if (administrators != 1) {
      findings.add("the named administrator '" + policy.administrator() + "' is not enrolled (P21)");
    }
    if (contractors > 0) {
      findings.add(contractors + " grants are held by contractors (P16)");
    }
    if (standingProduction > 0) {
      findings.add(standingProduction + " production grants outlast the just-in-time maximum (P15)");
    }
    long production = active.stream()
        .filter(g -> policy.role(g.role()).map(AccessPolicy.Role::production).orElse(false)).count();
    return new AccessPosture(now, people.size(), administrators, active.size(), (int) production,
        (int) contractors, policy.standingProductionAccess(), List.copyOf(findings));
  }

  private AccessGrant grant(Person p, AccessPolicy.Role r, String resource, String reason, Instant until) {
    Instant now = clock.instant();
    if (!until.isAfter(now)) {
      throw new IllegalArgumentException("a grant must end in the future, got " + until + " (now " + now + ")");
    }
    AccessGrant g = new AccessGrant("g-" + ids.incrementAndGet(), p.account(), r.name(), resource, reason, now, until);
    grants.put(g.id(), g);
    audit("access.grant", "system", p.account(), AuditOutcome.SUCCESS,
        Map.of("grant", g.id(), "role", r.name(), "resource", resource, "until", until.toString(), "reason", reason));
    return g;
  }

  private Person person(String account, String action, String role) {
    Objects.requireNonNull(account, "account");
    Person p = people.get(account);
    if (p == null) {
      throw deny("P19", action, account, role, "account '" + account + "' is not enrolled to a person");
    }
    if (p.employment() == Person.Employment.CONTRACTOR && policy.employeesOnly()) {
      throw deny("P16", action, account, role, p.name() + " is an external contractor; only employees are granted access");
    }
    return p;
  }

  private AccessPolicy.Role role(String account, String role, String action) {
    Objects.requireNonNull(role, "role");
    if (role.equals(AccessPolicy.ADMINISTRATOR)) {
      throw deny("P21", action, account, role, "complete administrative access belongs only to "
          + policy.administrator());
    }
    return policy.role(role).orElseThrow(() -> new IllegalArgumentException("unknown role '" + role
        + "' (the policy defines " + policy.roles().stream().map(AccessPolicy.Role::name).toList() + ")"));
  }

  private static void requireReason(String reason, String what) {
    if (reason == null || reason.isBlank()) {
      throw new IllegalArgumentException("a grant needs a non-blank " + what);
    }
  }

  private AccessDeniedException deny(String rule, String action, String account, String role, String message) {
    audit(action, account, role, AuditOutcome.DENIED, Map.of("rule", rule, "reason", message));
    return new AccessDeniedException(rule, message);
  }

  private void audit(String action, String actor, String resource, AuditOutcome outcome, Map<String, String> details) {
    audit.record(new AuditRecord(clock.instant(), actor, action, resource, outcome, null, details));
  }

  /** Builds an {@link AccessBroker}. Not thread-safe. */
  public static final class Builder {
    private final AccessPolicy policy;
    private Clock clock = Clock.systemUTC();
    private AuditTrail audit = AuditTrail.inMemory();

    private Builder(AccessPolicy policy) {
      this.policy = Objects.requireNonNull(policy, "policy");
    }

    /** The clock that decides when grants start and end (default: system UTC). */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** Where every decision is recorded (default: in memory). */
    public Builder audit(AuditTrail audit) {
      this.audit = Objects.requireNonNull(audit, "audit");
      return this;
    }

    /** The broker. */
    public AccessBroker build() {
      return new AccessBroker(this);
    }
  }
}
