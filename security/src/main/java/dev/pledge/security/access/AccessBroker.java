package dev.pledge.security.access;

import dev.pledge.core.PledgeException;
import dev.pledge.core.audit.AuditOutcome;
import dev.pledge.core.audit.AuditRecord;
import dev.pledge.core.audit.AuditTrail;
import dev.pledge.core.internal.Redaction;
import dev.pledge.core.time.Durations;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Grants, checks and revokes access by the policy's rules, on the real systems it reaches, and
 * audits every decision (P14-P21).
 *
 * <ul>
 *   <li>P14: a person may do only what the roles they currently hold permit.
 *   <li>P15: roles that reach production data are never held standing; they are granted just in
 *       time, for a stated incident, for at most {@link AccessPolicy#maxGrant()}, approved by someone
 *       other than the requester (or, where the policy says so, because the requester is the
 *       operations engineer on call). On each {@link AccessTarget} a grant is a login of its own that
 *       stops working when the grant ends.
 *   <li>P16: contractors are never granted anything (when {@code employeesOnly}).
 *   <li>P17: a role is granted for an assignment and ends when the assignment does.
 *   <li>P18: {@link #offboard} ends every grant of a person who leaves, on every target.
 *   <li>P19: an account belongs to one person; an account is never enrolled twice or reused.
 *   <li>P20: every request, approval, grant, refusal, denied check, revocation, expiry and login
 *       created or dropped is in the audit trail.
 *   <li>P21: only the policy's named administrator holds complete administrative access;
 *       {@link #drift()} checks what the targets actually hold.
 * </ul>
 *
 * <p>State lives in an {@link AccessStore}, so brokers on several nodes share it and a restart
 * forgets nothing. {@link #expire()} may run on any node, as often as wanted: each ended grant is
 * ended by exactly one caller (the store's conditional update), and the removal of its logins is
 * retried by any node once the one that took it on has been silent for the cleanup lease. A grant
 * thus ends on time even when the node that made it is gone.
 *
 * <p>Thread-safe; every decision is a few atomic steps on the store.
 */
public final class AccessBroker {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final String SYSTEM = "system";

  private final AccessPolicy policy;
  private final Clock clock;
  private final AuditTrail audit;
  private final AccessStore store;
  private final OnCall onCall;
  private final Map<String, AccessTarget> targets;
  private final String node;
  private final Duration cleanupLease;

  private AccessBroker(Builder b) {
    this.policy = b.policy;
    this.clock = b.clock;
    this.audit = b.audit;
    this.store = b.store;
    this.onCall = b.onCall;
    this.targets = Map.copyOf(b.targets);
    this.node = b.node;
    this.cleanupLease = b.cleanupLease;
  }

  /**
   * A builder for a broker that enforces the {@code access} section {@code policy}, to change one
   * thing (a clock, a store, on-call, targets) before {@link Builder#build()}; the audit trail is
   * required.
   */
  public static Builder builder(AccessPolicy policy) {
    return new Builder(policy);
  }

  /**
   * The broker the {@code access} section describes, recording every decision in {@code audit}: the
   * policy's trail ({@code AuditTrail.from(document.require(AuditPolicy.class))}), shared by every
   * component, or {@code AuditTrail.inMemory()}/{@code AuditTrail.discarding()} only when meant. State
   * is kept in memory ({@link AccessStore#inMemory()}); use {@link #builder(AccessPolicy)} for another
   * store.
   */
  public static AccessBroker from(AccessPolicy section, AuditTrail audit) {
    return builder(section).audit(audit).build();
  }

  /**
   * A builder holding every setting of this broker (policy, clock, audit trail, store, on-call,
   * targets, node, cleanup lease), to change one; the copy shares this broker's store.
   */
  public Builder toBuilder() {
    Builder b = builder(policy).clock(clock).audit(audit).store(store).onCall(onCall).node(node)
        .cleanupLease(cleanupLease);
    targets.values().forEach(b::target);
    return b;
  }

  /** The policy this broker enforces. */
  public AccessPolicy policy() {
    return policy;
  }

  /** The store this broker keeps its state in. */
  public AccessStore store() {
    return store;
  }

  /**
   * Enrols a person with their own account (P19).
   *
   * @throws IllegalArgumentException if the account is already enrolled or belonged to someone who left
   */
  public void enrol(Person person) {
    Objects.requireNonNull(person, "person");
    if (!store.addPerson(person, now())) {
      EnrolledPerson held = store.person(person.account()).orElseThrow();
      String why = held.departedAt() != null
          ? "account '" + person.account() + "' belonged to someone who left; accounts are never reused (P19)"
          : "account '" + person.account() + "' already belongs to " + held.person().name()
              + "; accounts are never shared (P19)";
      audit("access.enrol", SYSTEM, person.account(), AuditOutcome.DENIED, Map.of("rule", "P19", "reason", why));
      throw new IllegalArgumentException(why);
    }
    audit("access.enrol", SYSTEM, person.account(), AuditOutcome.SUCCESS,
        Map.of("employment", person.employment().name()));
  }

  /** Everyone ever enrolled, here or departed. */
  public List<EnrolledPerson> people() {
    return store.people();
  }

  /**
   * Grants {@code role} to {@code account} for an assignment, from now until {@code until} (P17).
   *
   * @throws AccessDeniedException if the person is a contractor (P16), the role reaches production
   *     data (P15: use {@link #grantJustInTime}), or the account is unknown
   */
  public AccessGrant assign(String account, String role, String assignment, Instant until) {
    Person p = person(account, "access.assign", role);
    AccessPolicy.Role r = role(account, role, "access.assign");
    requireReason(assignment, "assignment");
    if (r.production() && !policy.standingProductionAccess()) {
      throw deny("P15", "access.assign", account, role, "role '" + role
          + "' reaches production data and is granted only just in time, for a problem");
    }
    return grant(p, r, "*", "assignment: " + assignment, now(), until, null, List.of()).grant();
  }

  /**
   * Grants a production role just in time because {@code problem} requires it (P15), approved by
   * {@code approver}, for at most the policy's {@code maxGrant}; reaches no target.
   *
   * @throws AccessDeniedException when the policy refuses (P15, P16, P19)
   */
  public AccessGrant grantJustInTime(String account, String role, String resource, String problem,
      Duration duration, String approver) {
    return grant(account, role, resource, problem, duration, approver, List.of()).grant();
  }

  /**
   * Grants a production role just in time with no second person: allowed only when the policy
   * auto-approves the operations engineer on call and {@code account} is on call now (P15 with P38),
   * or when the policy requires no approver.
   *
   * @throws AccessDeniedException when the policy refuses (P15, P16, P19)
   */
  public AccessGrant grantJustInTime(String account, String role, String resource, String problem,
      Duration duration) {
    return grant(account, role, resource, problem, duration, null, List.of()).grant();
  }

  /**
   * Requests and, in one step, decides a production grant: {@code approver} approves it, or with a
   * {@code null} approver the policy's on-call rule decides. On each of {@code targetNames} the grant
   * becomes a login whose credentials are returned here, once.
   *
   * @throws AccessDeniedException when the policy refuses (P15, P16, P19, P21)
   * @throws IllegalArgumentException for an unknown role or target, or a duration that is not positive
   * @throws PledgeException when a target refuses the login; the grant is then revoked again
   */
  public Granted grant(String account, String role, String resource, String reason, Duration duration,
      String approver, List<String> targetNames) {
    AccessRequest r = request(account, role, resource, reason, duration, targetNames);
    return approver == null ? approveOnCall(r.id()) : approve(r.id(), approver);
  }

  /**
   * Records a request for a production role (P15): the person must be enrolled and an employee, the
   * role must reach production, the reason must name an incident and the duration must not exceed
   * the policy's maximum. The request then waits for {@link #approve}, {@link #approveOnCall} or
   * {@link #refuse}. Audited.
   */
  public AccessRequest request(String account, String role, String resource, String reason, Duration duration,
      List<String> targetNames) {
    Objects.requireNonNull(duration, "duration");
    Objects.requireNonNull(resource, "resource");
    List<String> names = List.copyOf(new LinkedHashSet<>(targetNames == null ? List.of() : targetNames));
    person(account, "access.request", role);
    AccessPolicy.Role r = role(account, role, "access.request");
    requireReason(reason, "reason");
    if (duration.isNegative() || duration.isZero()) {
      throw new IllegalArgumentException("duration must be greater than zero, got " + duration);
    }
    if (!r.production()) {
      throw new IllegalArgumentException("role '" + role + "' does not reach production; assign it instead");
    }
    if (duration.compareTo(policy.maxGrant()) > 0) {
      throw deny("P15", "access.request", account, role, "a just-in-time grant lasts at most "
          + Durations.format(policy.maxGrant()) + ", asked for " + Durations.format(duration));
    }
    if (!policy.namesIncident(reason)) {
      throw deny("P15", "access.request", account, role, "the reason must name the incident that needs production "
          + "access (matching " + policy.incidentPattern() + ", such as INC-7), got '" + reason + "'");
    }
    for (String t : names) {
      if (!targets.containsKey(t)) {
        throw new IllegalArgumentException("unknown target '" + t + "' (this broker reaches " + targets.keySet() + ")");
      }
    }
    AccessRequest req = new AccessRequest("r" + newId(), account, role, resource, reason, duration, names, now(),
        AccessRequest.Status.PENDING, null, null, null);
    store.addRequest(req);
    audit("access.request", account, req.id(), AuditOutcome.SUCCESS, Map.of("role", role, "resource", resource,
        "reason", reason, "duration", Durations.format(duration), "targets", String.join(",", names)));
    return req;
  }

  /**
   * Approves a pending request (P15): {@code approver} must be enrolled, still here, an employee, and
   * not the requester. The grant starts now and lasts the requested duration.
   */
  public Granted approve(String requestId, String approver) {
    Objects.requireNonNull(approver, "approver");
    AccessRequest req = pending(requestId);
    if (approver.equals(req.account())) {
      throw deny("P15", "access.approve", approver, req.id(), "the approver must not be the requester");
    }
    Optional<EnrolledPerson> a = store.person(approver);
    if (a.isEmpty() || a.get().departedAt() != null) {
      throw deny("P15", "access.approve", approver, req.id(), "approver '" + approver
          + "' is not an enrolled person");
    }
    if (a.get().person().employment() == Person.Employment.CONTRACTOR && policy.employeesOnly()) {
      throw deny("P16", "access.approve", approver, req.id(), "approver '" + approver + "' is a contractor");
    }
    return decide(req, approver);
  }

  /**
   * Approves a pending request with no second person, where the policy allows it: the requester is
   * the operations engineer on call now and the policy auto-approves on-call engineers (P15 with
   * P38), or the policy requires no approver at all.
   */
  public Granted approveOnCall(String requestId) {
    AccessRequest req = pending(requestId);
    if (policy.requireApprover()) {
      if (!policy.autoApproveOnCall()) {
        throw deny("P15", "access.approve", req.account(), req.id(), "a production grant needs an approver who is "
            + "not the requester");
      }
      if (!onCall.isOnCall(req.account(), now())) {
        throw deny("P15", "access.approve", req.account(), req.id(), req.account()
            + " is not the operations engineer on call, so the grant needs an approver who is not the requester");
      }
      return decide(req, "on-call");
    }
    return decide(req, null);
  }

  /** Refuses a pending request; audited. */
  public AccessRequest refuse(String requestId, String by, String why) {
    AccessRequest req = pending(requestId);
    AccessRequest d = req.decided(AccessRequest.Status.DENIED, by, now(), null);
    if (!store.decideRequest(d)) {
      throw new IllegalStateException("request " + requestId + " was decided by someone else meanwhile");
    }
    audit("access.refuse", by, requestId, AuditOutcome.DENIED, Map.of("reason", why == null ? "" : why));
    return d;
  }

  /** Every request, oldest first. */
  public List<AccessRequest> requests() {
    return store.requests();
  }

  private AccessRequest pending(String requestId) {
    AccessRequest req = store.request(requestId)
        .orElseThrow(() -> new IllegalArgumentException("no request '" + requestId + "'"));
    if (req.status() != AccessRequest.Status.PENDING) {
      throw new IllegalStateException("request " + requestId + " was already " + req.status().name().toLowerCase(
          Locale.ROOT));
    }
    return req;
  }

  private Granted decide(AccessRequest req, String approver) {
    Person p = person(req.account(), "access.approve", req.role());
    AccessPolicy.Role r = role(req.account(), req.role(), "access.approve");
    Instant now = now();
    String grantId = "g" + newId();
    if (!store.decideRequest(req.decided(AccessRequest.Status.APPROVED, approver == null ? SYSTEM : approver, now,
        grantId))) {
      throw new IllegalStateException("request " + req.id() + " was decided by someone else meanwhile");
    }
    audit("access.approve", approver == null ? SYSTEM : approver, req.id(), AuditOutcome.SUCCESS,
        Map.of("grant", grantId, "requester", req.account()));
    return grant(grantId, p, r, req.resource(), "problem: " + req.reason(), now, now.plus(req.duration()), approver,
        req.targets());
  }

  private Granted grant(Person p, AccessPolicy.Role r, String resource, String reason, Instant from, Instant until,
      String approver, List<String> targetNames) {
    return grant("g" + newId(), p, r, resource, reason, from, until, approver, targetNames);
  }

  private Granted grant(String id, Person p, AccessPolicy.Role r, String resource, String reason, Instant from,
      Instant until, String approver, List<String> targetNames) {
    if (!until.isAfter(from)) {
      throw new IllegalArgumentException("a grant must end in the future, got " + until + " (now " + from + ")");
    }
    AccessGrant g = new AccessGrant(id, p.account(), r.name(), resource, reason, from,
        until.truncatedTo(ChronoUnit.MILLIS), approver, targetNames);
    // Stored before any login exists: a crash from here on leaves a grant that a sweep ends and cleans.
    store.addGrant(g);
    Map<String, String> details = new LinkedHashMap<>();
    details.put("grant", g.id());
    details.put("role", r.name());
    details.put("resource", resource);
    details.put("until", g.until().toString());
    details.put("reason", reason);
    if (approver != null) {
      details.put("approver", approver);
    }
    if (!targetNames.isEmpty()) {
      details.put("targets", String.join(",", targetNames));
    }
    audit("access.grant", approver == null ? SYSTEM : approver, p.account(), AuditOutcome.SUCCESS, details);
    List<TargetLogin> logins = new ArrayList<>();
    for (String t : targetNames) {
      AccessTarget target = targets.get(t);
      String login = loginName(target, g);
      try {
        logins.add(target.createLogin(login, r.databaseRole(), g.until()));
        audit("access.login.create", SYSTEM, login, AuditOutcome.SUCCESS, Map.of("grant", g.id(), "target", t,
            "databaseRole", r.databaseRole(), "until", g.until().toString()));
      } catch (RuntimeException e) {
        audit("access.login.create", SYSTEM, login, AuditOutcome.FAILURE, Map.of("grant", g.id(), "target", t,
            "error", Redaction.message(String.valueOf(e.getMessage()))));
        logins.forEach(l -> l.password().destroy());
        end(g.id(), GrantStatus.REVOKED, SYSTEM);
        throw e;
      }
    }
    return new Granted(g, logins);
  }

  /** The login a grant makes on {@code target}: prefix, the account's letters and digits, the grant id. */
  static String loginName(AccessTarget target, AccessGrant g) {
    String acct = g.account().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
    if (acct.length() > 16) {
      acct = acct.substring(0, 16);
    }
    return target.loginPrefix() + (acct.isEmpty() ? "" : acct + "_") + g.id();
  }

  /**
   * Whether {@code account} may do {@code permission} on {@code resource} now (P14). The named
   * administrator may do everything (P21). A denial is audited.
   */
  public boolean permits(String account, String permission, String resource) {
    Objects.requireNonNull(permission, "permission");
    Objects.requireNonNull(resource, "resource");
    Optional<EnrolledPerson> p = store.person(account);
    boolean here = p.isPresent() && p.get().departedAt() == null;
    if (here && account.equals(policy.administrator())) {
      return true;
    }
    Instant now = now();
    if (here) {
      for (StoredGrant s : store.grants()) {
        AccessGrant g = s.grant();
        if (g.account().equals(account) && s.inForceAt(now) && g.covers(resource)
            && policy.role(g.role()).map(r -> r.permissions().contains(permission)).orElse(false)) {
          return true;
        }
      }
    }
    audit("access.check", account, resource, AuditOutcome.DENIED, Map.of("permission", permission));
    return false;
  }

  /**
   * Revokes one grant before it ends and removes its logins from every target; audited.
   *
   * @return whether it was in force, so that this call ended it
   */
  public boolean revoke(String grantId, String by) {
    return end(grantId, GrantStatus.REVOKED, by);
  }

  /**
   * Ends every grant of a person who leaves, on every target, and closes their account for good
   * (P18); audited. Logins with the person's name on a target that no active grant holds are
   * removed too.
   *
   * @return the grants that were ended
   */
  public List<AccessGrant> offboard(String account, String by) {
    EnrolledPerson p = store.person(account)
        .orElseThrow(() -> new IllegalArgumentException("account '" + account + "' is not enrolled"));
    store.markDeparted(account, now());
    List<AccessGrant> removed = new ArrayList<>();
    for (StoredGrant s : store.grants()) {
      if (s.grant().account().equals(account) && s.status() == GrantStatus.ACTIVE
          && end(s.id(), GrantStatus.OFFBOARDED, by)) {
        removed.add(s.grant());
      }
    }
    int orphans = removeOrphans((t, login) -> login.startsWith(t.loginPrefix() + accountToken(account))).size();
    audit("access.offboard", by, account, AuditOutcome.SUCCESS, Map.of("grantsRemoved", String.valueOf(removed.size()),
        "orphanLoginsRemoved", String.valueOf(orphans), "name", p.person().name()));
    return removed;
  }

  private static String accountToken(String account) {
    String acct = account.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
    return (acct.length() > 16 ? acct.substring(0, 16) : acct) + "_g";
  }

  /**
   * Ends every active grant past its end (P15, P17) and removes its logins from its targets; then
   * finishes removals another node took on and abandoned. Safe to run on every node at once: each
   * grant is ended by exactly one caller. Audited.
   *
   * @return the grants this call ended
   */
  public List<AccessGrant> expire() {
    Instant now = now();
    List<AccessGrant> ended = new ArrayList<>();
    for (StoredGrant s : store.grants()) {
      if (s.status() == GrantStatus.ACTIVE && !now.isBefore(s.grant().until())
          && end(s.id(), GrantStatus.EXPIRED, SYSTEM)) {
        ended.add(s.grant());
      }
    }
    Instant staleBefore = now.minus(cleanupLease);
    for (StoredGrant s : store.grants()) {
      if (s.status() != GrantStatus.ACTIVE && !s.cleaned() && s.cleanupAt() != null
          && s.cleanupAt().isBefore(staleBefore) && store.claimCleanup(s.id(), node, now, staleBefore)) {
        cleanup(s.grant());
      }
    }
    return ended;
  }

  private boolean end(String grantId, GrantStatus to, String by) {
    Optional<StoredGrant> s = store.grant(grantId);
    if (s.isEmpty() || !store.endGrant(grantId, to, now(), by, node)) {
      return false;
    }
    AccessGrant g = s.get().grant();
    String action = switch (to) {
      case REVOKED -> "access.revoke";
      case EXPIRED -> "access.expire";
      case OFFBOARDED -> "access.offboard.grant";
      case ACTIVE -> throw new IllegalArgumentException("ACTIVE");
    };
    audit(action, by, g.account(), AuditOutcome.SUCCESS, Map.of("grant", g.id(), "role", g.role(),
        "until", g.until().toString()));
    cleanup(g);
    return true;
  }

  /** Removes the grant's logins; marks it cleaned only when every target confirmed. */
  private void cleanup(AccessGrant g) {
    boolean all = true;
    for (String t : g.targets()) {
      AccessTarget target = targets.get(t);
      if (target == null) {
        all = false;
        audit("access.login.drop", node, g.id(), AuditOutcome.FAILURE, Map.of("target", t,
            "error", "this node does not reach target " + t));
        continue;
      }
      String login = loginName(target, g);
      try {
        boolean existed = target.dropLogin(login);
        audit("access.login.drop", SYSTEM, login, AuditOutcome.SUCCESS, Map.of("grant", g.id(), "target", t,
            "existed", String.valueOf(existed)));
      } catch (RuntimeException e) {
        all = false;
        audit("access.login.drop", SYSTEM, login, AuditOutcome.FAILURE, Map.of("grant", g.id(), "target", t,
            "error", Redaction.message(String.valueOf(e.getMessage()))));
      }
    }
    if (all && !g.targets().isEmpty()) {
      store.markCleaned(g.id());
    }
  }

  /** The grants in force now. */
  public List<AccessGrant> activeGrants() {
    Instant now = now();
    return store.grants().stream().filter(s -> s.inForceAt(now)).map(StoredGrant::grant).toList();
  }

  /** Every grant the store holds, in force or ended, oldest first. */
  public List<StoredGrant> grants() {
    return store.grants();
  }

  /**
   * What each target holds against what the active grants give (P15, P18, P21): logins no active
   * grant holds (orphans), logins a grant should have and the target lacks, and who holds complete
   * administrative access there. Reads the targets and changes nothing on them; the measurement is
   * recorded in the audit trail (action {@value #DRIFT_ACTION}, its targets as JSON in the detail
   * {@code measurement}), where the compliance report reads the latest one of its period for P21.
   */
  public AccessDrift drift() {
    Instant now = now();
    List<StoredGrant> all = store.grants();
    List<AccessDrift.Target> out = new ArrayList<>();
    List<String> findings = new ArrayList<>();
    for (AccessTarget t : targets.values().stream().sorted(java.util.Comparator.comparing(AccessTarget::name))
        .toList()) {
      List<String> expected = all.stream().filter(s -> s.status() == GrantStatus.ACTIVE)
          .filter(s -> s.grant().targets().contains(t.name())).map(s -> loginName(t, s.grant())).sorted().toList();
      try {
        List<String> actual = t.logins();
        List<String> orphans = actual.stream().filter(l -> !expected.contains(l)).toList();
        List<String> missing = expected.stream().filter(l -> !actual.contains(l)).toList();
        List<String> admins = t.administrators();
        out.add(new AccessDrift.Target(t.name(), expected, actual, orphans, missing, admins, null));
        if (!orphans.isEmpty()) {
          findings.add(t.name() + ": " + orphans.size() + " login(s) no active grant holds: " + orphans + " (P15, P18)");
        }
        if (!missing.isEmpty()) {
          findings.add(t.name() + ": " + missing.size() + " granted login(s) missing: " + missing);
        }
        if (admins.size() > 1) {
          findings.add(t.name() + ": " + admins.size() + " logins hold complete administrative access " + admins
              + "; the policy names one person, " + policy.administrator() + " (P21)");
        }
      } catch (RuntimeException e) {
        out.add(new AccessDrift.Target(t.name(), expected, List.of(), List.of(), List.of(), List.of(),
            String.valueOf(e.getMessage())));
        findings.add(t.name() + ": cannot be read: " + e.getMessage());
      }
    }
    AccessDrift drift = new AccessDrift(now, out, findings);
    recordDrift(drift);
    return drift;
  }

  /** The audit action under which {@link #drift()} records each measurement of the targets. */
  public static final String DRIFT_ACTION = "access.drift";

  private void recordDrift(AccessDrift drift) {
    com.fasterxml.jackson.databind.node.ArrayNode measured = dev.pledge.core.internal.Json.mapper().createArrayNode();
    for (AccessDrift.Target t : drift.targets()) {
      com.fasterxml.jackson.databind.node.ObjectNode o = measured.addObject();
      o.put("target", t.target());
      t.administrators().forEach(o.putArray("administrators")::add);
      t.orphans().forEach(o.putArray("orphans")::add);
      t.missing().forEach(o.putArray("missing")::add);
      if (t.error() != null) {
        o.put("error", Redaction.message(t.error()));
      }
    }
    Map<String, String> details = new LinkedHashMap<>();
    details.put("targets", String.valueOf(drift.targets().size()));
    details.put("findings", String.valueOf(drift.findings().size()));
    details.put("measurement", measured.toString());
    audit(DRIFT_ACTION, SYSTEM, "targets", drift.clean() ? AuditOutcome.SUCCESS : AuditOutcome.FAILURE, details);
  }

  /**
   * Removes, on every target, the logins Pledge made that no active grant holds (orphans left by a
   * crash, or by a grant ended while a target was down); audited.
   *
   * @return the logins removed, as {@code target: login}
   */
  public List<String> removeOrphans() {
    return removeOrphans((t, login) -> true);
  }

  private List<String> removeOrphans(java.util.function.BiPredicate<AccessTarget, String> which) {
    List<StoredGrant> all = store.grants();
    List<String> removed = new ArrayList<>();
    for (AccessTarget t : targets.values()) {
      Set<String> held = new LinkedHashSet<>();
      for (StoredGrant s : all) {
        if (s.status() == GrantStatus.ACTIVE && s.grant().targets().contains(t.name())) {
          held.add(loginName(t, s.grant()));
        }
      }
      for (String login : t.logins()) {
        if (!held.contains(login) && which.test(t, login)) {
          t.dropLogin(login);
          removed.add(t.name() + ": " + login);
          audit("access.orphan.remove", SYSTEM, login, AuditOutcome.SUCCESS, Map.of("target", t.name()));
        }
      }
    }
    return removed;
  }

  /** The state of access now, measured against P14-P21 in the broker's store, for reports. */
  public AccessPosture posture() {
    Instant now = now();
    List<AccessGrant> active = activeGrants();
    Map<String, EnrolledPerson> people = new LinkedHashMap<>();
    store.people().forEach(p -> people.put(p.account(), p));
    List<String> findings = new ArrayList<>();
    long contractors = active.stream()
        .filter(g -> people.containsKey(g.account())
            && people.get(g.account()).person().employment() == Person.Employment.CONTRACTOR)
        .count();
    long standingProduction = active.stream()
        .filter(g -> policy.role(g.role()).map(AccessPolicy.Role::production).orElse(false))
        .filter(g -> g.until().isAfter(now.plus(policy.maxGrant())))
        .count();
    long leavers = active.stream()
        .filter(g -> people.containsKey(g.account()) && people.get(g.account()).departedAt() != null).count();
    EnrolledPerson admin = people.get(policy.administrator());
    int administrators = admin != null && admin.departedAt() == null ? 1 : 0;
    if (administrators != 1) {
      findings.add("the named administrator '" + policy.administrator() + "' is not enrolled (P21)");
    }
    if (contractors > 0) {
      findings.add(contractors + " grants are held by contractors (P16)");
    }
    if (standingProduction > 0) {
      findings.add(standingProduction + " production grants outlast the just-in-time maximum (P15)");
    }
    if (leavers > 0) {
      findings.add(leavers + " grants are held by people who left (P18)");
    }
    long production = active.stream()
        .filter(g -> policy.role(g.role()).map(AccessPolicy.Role::production).orElse(false)).count();
    int here = (int) people.values().stream().filter(p -> p.departedAt() == null).count();
    return new AccessPosture(now, here, administrators, active.size(), (int) production,
        (int) contractors, policy.standingProductionAccess(), List.copyOf(findings));
  }

  private Person person(String account, String action, String role) {
    Objects.requireNonNull(account, "account");
    Optional<EnrolledPerson> e = store.person(account);
    if (e.isEmpty()) {
      throw deny("P19", action, account, role, "account '" + account + "' is not enrolled to a person");
    }
    if (e.get().departedAt() != null) {
      throw deny("P18", action, account, role, "account '" + account + "' belongs to someone who left");
    }
    Person p = e.get().person();
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
    audit.record(new AuditRecord(now(), actor, action, resource, outcome, null, details));
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MILLIS);
  }

  private static String newId() {
    byte[] b = new byte[6];
    RANDOM.nextBytes(b);
    return HexFormat.of().formatHex(b);
  }

  /** Builds an {@link AccessBroker}. Not thread-safe. */
  public static final class Builder {
    private final AccessPolicy policy;
    private Clock clock = Clock.systemUTC();
    private AuditTrail audit;
    private AccessStore store;
    private OnCall onCall = OnCall.nobody();
    private final Map<String, AccessTarget> targets = new LinkedHashMap<>();
    private String node = "node-" + newId();
    private Duration cleanupLease = Duration.ofMinutes(5);

    private Builder(AccessPolicy policy) {
      this.policy = Objects.requireNonNull(policy, "policy");
    }

    /** The clock that decides when grants start and end (default: system UTC). */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Where every decision is recorded; required (P14-P21). Normally the policy's trail; {@code
     * AuditTrail.inMemory()} or {@code AuditTrail.discarding()} only when the caller means it.
     */
    public Builder audit(AuditTrail audit) {
      this.audit = Objects.requireNonNull(audit, "audit");
      return this;
    }

    /** Where people, requests and grants are kept (default: {@link AccessStore#inMemory()}). */
    public Builder store(AccessStore store) {
      this.store = Objects.requireNonNull(store, "store");
      return this;
    }

    /** Who is on call, for the policy's {@code autoApproveOnCall} (default: nobody). */
    public Builder onCall(OnCall onCall) {
      this.onCall = Objects.requireNonNull(onCall, "onCall");
      return this;
    }

    /** A system on which grants become logins; its name must be unique. */
    public Builder target(AccessTarget target) {
      Objects.requireNonNull(target, "target");
      if (targets.putIfAbsent(target.name(), target) != null) {
        throw new IllegalArgumentException("target '" + target.name() + "' is given twice");
      }
      return this;
    }

    /** This node's name in the store, for who took on a cleanup (default: random). */
    public Builder node(String node) {
      this.node = Objects.requireNonNull(node, "node");
      return this;
    }

    /**
     * How long a node's unfinished removal of an ended grant's logins is left to it before another
     * node's {@link AccessBroker#expire()} takes it over (default 5 minutes).
     */
    public Builder cleanupLease(Duration lease) {
      if (lease.isNegative()) {
        throw new IllegalArgumentException("cleanupLease must not be negative, got " + lease);
      }
      this.cleanupLease = lease;
      return this;
    }

    /**
     * The broker.
     *
     * @throws IllegalStateException when no audit trail was set
     */
    public AccessBroker build() {
      if (audit == null) {
        throw new IllegalStateException("access broker has no audit trail: set audit(...) to the policy's trail "
            + "(AuditTrail.from(policy's audit section)), or name AuditTrail.inMemory() or AuditTrail.discarding() "
            + "explicitly");
      }
      if (store == null) {
        store = AccessStore.inMemory();
      }
      return new AccessBroker(this);
    }
  }
}
