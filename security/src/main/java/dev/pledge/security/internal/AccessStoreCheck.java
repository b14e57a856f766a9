package dev.pledge.security.internal;

import dev.pledge.core.audit.AuditRecord;
import dev.pledge.core.evidence.CheckContext;
import dev.pledge.core.evidence.Evidence;
import dev.pledge.core.evidence.Judgement;
import dev.pledge.core.evidence.PromiseCheck;
import dev.pledge.core.internal.AuditTrailCheck;
import dev.pledge.core.time.Durations;
import dev.pledge.security.access.AccessGrant;
import dev.pledge.security.access.AccessPolicy;
import dev.pledge.security.access.AccessStore;
import dev.pledge.security.access.EnrolledPerson;
import dev.pledge.security.access.GrantStatus;
import dev.pledge.security.access.Person;
import dev.pledge.security.access.StoredGrant;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Judges P14-P19 from the access store the policy's {@code access.store} names (the very state the
 * deployment's brokers keep) and from its audit trail:
 * <ul>
 *   <li>P14: every grant is of a role the policy defines, and every grant made and ended in the
 *       period has its record in the audit trail;</li>
 *   <li>P15: standing production access is off, and every grant of a production role named an
 *       incident, lasted no longer than {@code maxGrant} and was approved by someone else where the
 *       policy requires an approver;</li>
 *   <li>P16: no grant was ever made to a contractor or to an account nobody enrolled;</li>
 *   <li>P17: every grant whose time ran out before the period's end was ended within
 *       {@value #SWEEP_GRACE_MINUTES} minutes of it, and its logins removed from its targets;</li>
 *   <li>P18: everyone who left holds no grant in force, and every grant of theirs ended when they
 *       left;</li>
 *   <li>P19: every account is enrolled once, for one person, and never re-used after its holder left.</li>
 * </ul>
 * The grants judged are those in force at some instant of the period. A {@code file:} store that
 * does not exist is not kept (the deployment's record is gone), except under the bundled policy,
 * whose {@code file:access} names a store of the folder the report runs in: there it is no evidence.
 * Stateless and thread-safe.
 */
public final class AccessStoreCheck implements PromiseCheck {
  /** How long after its end a grant may still wait for the expiry sweep. */
  static final long SWEEP_GRACE_MINUTES = 15;
  private static final Duration SWEEP_GRACE = Duration.ofMinutes(SWEEP_GRACE_MINUTES);
  private static final int FIRST = 5;

  @Override
  public String name() {
    return "security.access";
  }

  @Override
  public List<Integer> promises() {
    return List.of(14, 15, 16, 17, 18, 19);
  }

  @Override
  public List<Judgement> judge(CheckContext ctx) throws Exception {
    AccessPolicy policy = ctx.policy().section(AccessPolicy.class).orElse(null);
    if (policy == null || policy.store() == null) {
      String why = policy == null ? "the policy has no access section"
          : "the policy names no access store (access.store), so nothing shows who held access";
      return promises().stream().map(p -> Judgement.noEvidence(p, why)).toList();
    }
    String where = policy.store().startsWith("jdbc:") ? DriverManagerDataSource.redact(policy.store()) : policy.store();
    AccessStore store;
    if (policy.store().startsWith("file:")) {
      Path dir = ctx.resolve(policy.store().substring("file:".length())).normalize();
      if (!Files.isDirectory(dir)) {
        if (ctx.policy().source().startsWith("bundled:")) {
          // the bundled policy names a store of the folder the report runs in: none there is no record, not a loss
          return promises().stream().map(p -> Judgement.noEvidence(p, "the bundled policy's access store " + where
              + " does not exist in " + ctx.baseDirectory() + ": nobody was enrolled here")).toList();
        }
        return promises().stream().map(p -> Judgement.notKept(p, "the access store " + where + " is gone: nothing shows who"
            + " held access", List.of(Evidence.of("access store", dir + " (no such folder)")))).toList();
      }
      store = AccessStore.folder(dir);
    } else {
      store = AccessStore.jdbc(DriverManagerDataSource.of(policy.store()));
    }
    try {
      return judge(ctx, policy, where, store);
    } finally {
      if (store instanceof AutoCloseable c) {
        c.close();
      }
    }
  }

  private List<Judgement> judge(CheckContext ctx, AccessPolicy policy, String where, AccessStore store) {
    Instant from = ctx.period().from();
    Instant to = ctx.period().to();
    List<EnrolledPerson> people = store.people();
    List<StoredGrant> all = store.grants();
    // the grants in force at some instant of the period, or still marked active
    List<StoredGrant> grants = all.stream().filter(g -> g.grant().from().isBefore(to)
        && (g.status() == GrantStatus.ACTIVE || g.endedAt() == null || !g.endedAt().isBefore(from))).toList();
    Map<String, EnrolledPerson> byAccount = new HashMap<>();
    List<String> reused = new ArrayList<>();
    for (EnrolledPerson p : people) {
      EnrolledPerson before = byAccount.putIfAbsent(p.account(), p);
      if (before != null) {
        reused.add(p.account() + " (" + before.person().name() + ", then " + p.person().name() + ")");
      }
    }
    List<Evidence> read = List.of(Evidence.of("access store", where), Evidence.of("people enrolled", people.size()),
        Evidence.of("grants in the period", grants.size() + " of " + all.size()));
    List<Judgement> out = new ArrayList<>();

    // P14: roles the policy defines; every grant made or ended in the period audited
    List<String> unknownRoles = new ArrayList<>();
    for (StoredGrant g : grants) {
      if (policy.role(g.grant().role()).isEmpty()) {
        unknownRoles.add(g.id() + " " + g.grant().role() + " to " + g.grant().account());
      }
    }
    List<Evidence> p14 = new ArrayList<>(read);
    p14.add(Evidence.of("roles", String.join(", ", policy.roles().stream()
        .map(r -> r.name() + " (" + String.join(", ", r.permissions()) + ")").toList())));
    if (!AuditTrailCheck.named(ctx)) {
      p14.add(Evidence.of("audit trail", "none named"));
      out.add(Judgement.notKept(14, "the policy names no audit trail, so access activity is not logged where it can be read",
          p14));
    } else {
      Set<String> granted = new HashSet<>();
      Set<String> ended = new HashSet<>();
      for (AuditRecord r : AuditTrailCheck.records(ctx)) {
        String grant = r.details() == null ? null : r.details().get("grant");
        if (grant == null) {
          continue;
        }
        if (r.action().equals("access.grant")) {
          granted.add(grant);
        } else if (r.action().equals("access.revoke") || r.action().equals("access.expire")
            || r.action().equals("access.offboard.grant")) {
          ended.add(grant);
        }
      }
      List<String> unlogged = new ArrayList<>();
      for (StoredGrant g : grants) {
        if (ctx.period().contains(g.grant().from()) && !granted.contains(g.id())) {
          unlogged.add("grant " + g.id() + " to " + g.grant().account() + " at " + g.grant().from());
        }
        if (g.endedAt() != null && ctx.period().contains(g.endedAt()) && !ended.contains(g.id())) {
          unlogged.add("end of grant " + g.id() + " (" + g.status().name().toLowerCase(java.util.Locale.ROOT) + ") at "
              + g.endedAt());
        }
      }
      p14.add(Evidence.of("grants of roles the policy lacks", unknownRoles.size()));
      first(p14, "first grants of unknown roles", unknownRoles);
      p14.add(Evidence.of("grants and ends missing from the audit trail", unlogged.size()));
      first(p14, "first unlogged", unlogged);
      out.add(grants.isEmpty() ? Judgement.noEvidence(14, "no grant was in force in the period (" + where + ")")
          : Judgement.judged(14, unknownRoles.isEmpty() && unlogged.isEmpty(),
              "every grant was of a role the policy defines, and each grant and its end is in the audit trail",
              !unknownRoles.isEmpty() ? unknownRoles.size() + " grants were of roles the policy does not define"
                  : unlogged.size() + " grants or ends of grants are missing from the audit trail", p14));
    }

    // P15: no standing production access; production grants just in time
    List<String> p15bad = new ArrayList<>();
    int production = 0;
    for (StoredGrant s : grants) {
      AccessGrant g = s.grant();
      AccessPolicy.Role role = policy.role(g.role()).orElse(null);
      if (role == null || !role.production()) {
        continue;
      }
      production++;
      Duration length = Duration.between(g.from(), g.until());
      if (!policy.namesIncident(g.reason())) {
        p15bad.add(g.id() + " to " + g.account() + ": its reason names no incident ('" + g.reason() + "')");
      } else if (length.compareTo(policy.maxGrant()) > 0) {
        p15bad.add(g.id() + " to " + g.account() + ": " + Durations.format(length) + ", longer than "
            + Durations.format(policy.maxGrant()));
      } else if (policy.requireApprover() && (g.approver() == null || g.approver().equals(g.account()))) {
        p15bad.add(g.id() + " to " + g.account() + ": " + (g.approver() == null ? "nobody approved it" : "approved by its holder"));
      }
    }
    List<Evidence> ev15 = new ArrayList<>(read);
    ev15.add(Evidence.of("standing production access", policy.standingProductionAccess() ? "allowed" : "off"));
    ev15.add(Evidence.of("production grants", production + " (at most " + Durations.format(policy.maxGrant()) + " each"
        + (policy.requireApprover() ? ", approved by another person" : "") + ")"));
    first(ev15, "first grants breaking the rules", p15bad);
    out.add(Judgement.judged(15, !policy.standingProductionAccess() && p15bad.isEmpty(),
        "no standing production access: " + production + " production grants, each for an incident, approved and at most "
            + Durations.format(policy.maxGrant()),
        policy.standingProductionAccess() ? "the policy allows standing production access"
            : p15bad.size() + " production grants broke the just-in-time rules", ev15));

    // P16: employees only
    List<String> outsiders = new ArrayList<>();
    for (StoredGrant g : grants) {
      EnrolledPerson p = byAccount.get(g.grant().account());
      if (p == null) {
        outsiders.add(g.id() + " to " + g.grant().account() + ", whom nobody enrolled");
      } else if (p.person().employment() != Person.Employment.EMPLOYEE) {
        outsiders.add(g.id() + " to " + g.grant().account() + ", a contractor");
      }
    }
    long contractors = people.stream().filter(p -> p.person().employment() == Person.Employment.CONTRACTOR).count();
    List<Evidence> ev16 = new ArrayList<>(read);
    ev16.add(Evidence.of("contractors enrolled", contractors));
    ev16.add(Evidence.of("grants to contractors or unknown accounts", outsiders.size()));
    first(ev16, "first such grants", outsiders);
    out.add(people.isEmpty() ? Judgement.noEvidence(16, "nobody is enrolled in " + where)
        : Judgement.judged(16, outsiders.isEmpty(), "every grant in the period went to an employee (" + contractors
            + " contractors enrolled, none granted anything)", outsiders.size() + " grants went to a contractor or an"
            + " account nobody enrolled", ev16));

    // P17: grants end with their time, and their logins go
    List<String> late = new ArrayList<>();
    int due = 0;
    for (StoredGrant s : grants) {
      Instant until = s.grant().until();
      if (!until.plus(SWEEP_GRACE).isBefore(to)) {
        continue; // not due yet
      }
      due++;
      if (s.status() == GrantStatus.ACTIVE) {
        late.add(s.id() + " to " + s.grant().account() + " still active, " + Durations.format(Duration.between(until, to))
            + " after its end " + until);
      } else if (s.endedAt().isAfter(until.plus(SWEEP_GRACE))) {
        late.add(s.id() + " to " + s.grant().account() + " ended " + Durations.format(Duration.between(until, s.endedAt()))
            + " after its end " + until);
      } else if (!s.cleaned()) {
        late.add(s.id() + " to " + s.grant().account() + " ended, but its logins on " + s.grant().targets()
            + " were never removed");
      }
    }
    List<Evidence> ev17 = new ArrayList<>(read);
    ev17.add(Evidence.of("grants past their end", due));
    ev17.add(Evidence.of("ended late or not at all", late.size()));
    first(ev17, "first grants that outlived their end", late);
    out.add(due == 0 ? Judgement.noEvidence(17, "no grant reached its end in the period (" + where + ")")
        : Judgement.judged(17, late.isEmpty(), "each of the " + due + " grants past their end ended within "
            + SWEEP_GRACE_MINUTES + " min of it, logins removed", late.size() + " grants outlived their assignment", ev17));

    // P18: leavers hold nothing
    List<String> kept = new ArrayList<>();
    int leavers = 0;
    for (EnrolledPerson p : people) {
      if (p.departedAt() == null || p.departedAt().isAfter(to)) {
        continue;
      }
      leavers++;
      for (StoredGrant g : all) {
        if (!g.grant().account().equals(p.account()) || !g.grant().until().isAfter(p.departedAt())) {
          continue;
        }
        if (g.status() == GrantStatus.ACTIVE) {
          kept.add(p.account() + " left " + p.departedAt() + " and still holds " + g.id() + " (" + g.grant().role() + ")");
        } else if (g.endedAt().isAfter(p.departedAt().plus(SWEEP_GRACE))) {
          kept.add(p.account() + " left " + p.departedAt() + "; " + g.id() + " ended only " + g.endedAt());
        }
      }
    }
    List<Evidence> ev18 = new ArrayList<>(read);
    ev18.add(Evidence.of("leavers", leavers));
    ev18.add(Evidence.of("grants kept after leaving", kept.size()));
    first(ev18, "first grants kept by leavers", kept);
    out.add(leavers == 0 ? Judgement.noEvidence(18, "nobody has left (" + where + ")")
        : Judgement.judged(18, kept.isEmpty(), "each of the " + leavers + " leavers lost every grant when they left",
            kept.size() + " grants outlived their holder's departure", ev18));

    // P19: one account, one person, never reused
    List<String> shared = new ArrayList<>(reused);
    for (StoredGrant g : all) {
      EnrolledPerson p = byAccount.get(g.grant().account());
      if (p != null && p.departedAt() != null && g.grant().from().isAfter(p.departedAt())) {
        shared.add(g.grant().account() + " granted " + g.id() + " at " + g.grant().from() + ", after its holder left");
      }
    }
    List<Evidence> ev19 = new ArrayList<>(read);
    ev19.add(Evidence.of("accounts", byAccount.size()));
    ev19.add(Evidence.of("accounts shared or reused", shared.size()));
    first(ev19, "first shared or reused", shared);
    out.add(people.isEmpty() ? Judgement.noEvidence(19, "nobody is enrolled in " + where)
        : Judgement.judged(19, shared.isEmpty(), "each of the " + byAccount.size() + " accounts is one person's, and none"
            + " was reused after its holder left", shared.size() + " accounts are shared or reused", ev19));
    return out;
  }

  private static void first(List<Evidence> ev, String name, List<String> items) {
    if (!items.isEmpty()) {
      ev.add(Evidence.of(name, String.join("; ", items.subList(0, Math.min(FIRST, items.size())))
          + (items.size() > FIRST ? "; ..." : "")));
    }
  }
}
