package dev.pledge.examples.tour;

import dev.pledge.core.audit.AuditRecord;
import dev.pledge.security.access.AccessBroker;
import dev.pledge.security.access.AccessDeniedException;
import dev.pledge.security.access.AccessDrift;
import dev.pledge.security.access.AccessGrant;
import dev.pledge.security.access.AccessPolicy;
import dev.pledge.security.access.AccessStore;
import dev.pledge.security.access.AccessPosture;
import dev.pledge.security.access.Granted;
import dev.pledge.security.access.Person;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Least privilege and just-in-time access (P14-P21) on a small simulated team, in the deployment's
 * access store ({@code access/} in the working folder, which the deployment's policy names). The
 * scenario runs in the hour before "now", so the report, which judges that hour, reads a grant that
 * expired, a leaver's grants ended and a contractor refused. The production grant is a login on a
 * simulated database ({@link SimulatedTarget}), gone when the grant ends; the broker then measures the
 * target ({@link AccessBroker#drift()}) and records the measurement in the audit trail, from which
 * the report judges P21.
 */
final class AccessStep implements TourStep {

  @Override
  public List<Integer> promises() {
    return List.of(14, 15, 16, 17, 18, 19, 20, 21);
  }

  @Override
  public String tag() {
    return "access";
  }

  /** Where the deployment keeps its access state, relative to the working folder. */
  static final String STORE = "access";
  /** How long the just-in-time grant of the scenario lasts. */
  private static final Duration JIT = Duration.ofMinutes(20);

  @Override
  public void run(TourContext ctx) {
    AccessPolicy policy = ctx.policy().require(AccessPolicy.class);
    ctx.clock().set(ctx.start().minus(Duration.ofMinutes(50)));
    SimulatedTarget shopDb = new SimulatedTarget("shop-db (simulated)", policy.administrator());
    AccessBroker broker = AccessBroker.builder(policy).clock(ctx.clock()).audit(ctx.audit())
        .store(AccessStore.folder(ctx.dir().resolve(STORE))).target(shopDb).build();
    broker.enrol(Person.employee(policy.administrator(), "Administrator"));
    broker.enrol(Person.employee("ana", "Ana (operations)"));
    broker.enrol(Person.employee("ben", "Ben (engineer)"));
    broker.enrol(Person.contractor("carl", "Carl (contractor)"));

    broker.assign("ben", "engineer", "PROJ-12 checkout redesign", ctx.clock().instant().plus(Duration.ofDays(14)));
    boolean leastPrivilege = broker.permits("ben", "deploy", "shop/production")
        && !broker.permits("ben", "database.read", "shop/production");
    boolean noStanding = !broker.permits("ana", "database.read", "shop/production");
    Granted granted = broker.grant("ana", "operations", "shop/production", "INC-7 corrupted orders", JIT,
        policy.administrator(), List.of(shopDb.name()));
    granted.logins().forEach(l -> l.password().destroy()); // ana would use it; the tour has no use for it
    AccessGrant jit = granted.grant();
    boolean loginMade = shopDb.logins().size() == 1;
    boolean jitWorks = broker.permits("ana", "database.read", "shop/production");
    String contractor;
    try {
      broker.assign("carl", "engineer", "help with PROJ-12", ctx.clock().instant().plus(Duration.ofDays(1)));
      contractor = "granted";
    } catch (AccessDeniedException e) {
      contractor = "refused (" + e.rule() + ")";
    }
    ctx.clock().advance(JIT);
    boolean expired = !broker.permits("ana", "database.read", "shop/production");
    List<AccessGrant> ended = broker.expire();
    List<AccessGrant> removed = broker.offboard("ben", "hr");
    boolean leaverGone = !broker.permits("ben", "deploy", "shop/production");
    boolean reuseRefused;
    try {
      broker.enrol(Person.employee("ben", "Someone else"));
      reuseRefused = false;
    } catch (IllegalArgumentException e) {
      reuseRefused = true;
    }
    AccessPosture posture = broker.posture();
    // P21: what the target really holds, measured and recorded in the audit trail for the report
    AccessDrift drift = broker.drift();
    long audited = ctx.audit().records().stream().map(AuditRecord::action).filter(a -> a.startsWith("access.")).count();

    ctx.say(tag(), "ben (engineer) may deploy but not read production data: " + leastPrivilege
        + "; ana has no standing database access: " + noStanding + " (P14, P15)");
    ctx.say(tag(), "ana got " + jit.role() + " on " + jit.resource() + " for INC-7 until " + jit.until()
        + ", gone " + TourContext.human(JIT) + " later: " + expired + "; contractor " + contractor + "; leaver lost "
        + removed.size() + " grants; " + audited + " decisions audited (P15-P20)");

    Map<String, String> ev = new LinkedHashMap<>();
    ev.put("roles", String.valueOf(policy.roles().size()));
    ev.put("engineer may deploy, may not read data", String.valueOf(leastPrivilege));
    ctx.report().judged(14, leastPrivilege && audited > 0, "roles grant only what the task needs; every decision audited",
        "a role granted more than its task needs", withAudit(ev, audited));
    ctx.report().judged(15, noStanding && jitWorks && expired && !policy.standingProductionAccess(),
        "no standing production access; a " + TourContext.human(JIT) + " grant for INC-7 ended on time",
        "production access outlived its grant", Map.of("standing access", String.valueOf(!noStanding),
            "just-in-time grant", jit.resource() + " for " + TourContext.human(Duration.between(jit.from(), jit.until())),
            "ended after grant", String.valueOf(expired)));
    ctx.report().judged(16, contractor.startsWith("refused") && posture.contractorGrants() == 0,
        "a contractor's request was refused; no contractor holds access", "a contractor holds access",
        Map.of("contractor request", contractor, "contractor grants", String.valueOf(posture.contractorGrants())));
    ctx.report().judged(17, ended.size() == 1 && expired, "grants end with their assignment or problem",
        "a grant outlived its assignment", Map.of("grants expired", String.valueOf(ended.size())));
    ctx.report().judged(18, leaverGone && !removed.isEmpty(), "a leaver's grants were all removed",
        "a leaver kept access", Map.of("grants removed on leaving", String.valueOf(removed.size())));
    ctx.report().judged(19, reuseRefused, "each account belongs to one person; reuse was refused",
        "an account was shared or reused", Map.of("reuse of a leaver's account", reuseRefused ? "refused" : "allowed"));
    ctx.report().judged(20, audited > 0, "every grant, refusal, check that denied, expiry and departure is audited",
        "actions were not audited", Map.of("audited access decisions", String.valueOf(audited),
            "audit trail", ctx.dir().resolve("audit.jsonl").toString()));
    ctx.say(tag(), "ana's grant was a login on " + shopDb.name() + " (" + loginMade + "), gone with the grant: "
        + shopDb.logins().isEmpty() + "; the target measured: administrators " + shopDb.administrators()
        + ", drift " + (drift.clean() ? "none" : drift.findings()) + " (P21)");
    ctx.report().judged(21, posture.administrators() == 1 && drift.clean(), "exactly one named administrator: "
        + policy.administrator() + ", the only administrative login on " + shopDb.name(),
        "the named administrator is not enrolled, or the target holds access nobody granted",
        Map.of("administrators", String.valueOf(posture.administrators()), "drift", drift.clean() ? "none"
            : String.join("; ", drift.findings())));
  }

  private static Map<String, String> withAudit(Map<String, String> ev, long audited) {
    ev.put("audited decisions", String.valueOf(audited));
    return ev;
  }
}
