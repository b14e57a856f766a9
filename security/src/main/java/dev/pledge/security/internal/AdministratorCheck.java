package dev.pledge.security.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pledge.core.audit.AuditRecord;
import dev.pledge.core.evidence.CheckContext;
import dev.pledge.core.evidence.Evidence;
import dev.pledge.core.evidence.Judgement;
import dev.pledge.core.evidence.PromiseCheck;
import dev.pledge.core.internal.AuditTrailCheck;
import dev.pledge.core.internal.Json;
import dev.pledge.security.access.AccessBroker;
import dev.pledge.security.access.AccessPolicy;
import dev.pledge.security.access.AccessStore;
import dev.pledge.security.access.EnrolledPerson;
import dev.pledge.security.access.Person;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Judges P21 (exactly one named person holds complete administrative access) from two records the
 * deployment keeps, never from the policy's word alone:
 * <ul>
 *   <li>the access store the policy's {@code access.store} names: the policy's {@code administrator}
 *       is enrolled there, as one employee, and had not left by the period's end;</li>
 *   <li>the latest measurement of the real targets in the period, which {@link AccessBroker#drift()}
 *       records in the audit trail (action {@value AccessBroker#DRIFT_ACTION}): each target reached
 *       and read, at most one login with complete administrative access on each, and no login Pledge
 *       made that no active grant holds (an orphan is standing access nobody granted).</li>
 * </ul>
 * The report itself cannot reach the targets (their admin credentials are not in the policy), so it
 * judges the measurement the deployment made while it ran: a hash-chained audit record that the
 * report's P20 check verifies, with its time. Without such a measurement in the period, or when it
 * reached no target or could not read one, P21 has no evidence: a name in a store does not show who
 * holds administrative access on the systems. Stateless and thread-safe.
 */
public final class AdministratorCheck implements PromiseCheck {

  @Override
  public String name() {
    return "security.administrator";
  }

  @Override
  public List<Integer> promises() {
    return List.of(21);
  }

  @Override
  public List<Judgement> judge(CheckContext ctx) throws Exception {
    AccessPolicy policy = ctx.policy().section(AccessPolicy.class).orElse(null);
    if (policy == null || policy.store() == null) {
      return List.of(Judgement.noEvidence(21, policy == null ? "the policy has no access section"
          : "the policy names no access store (access.store), so nothing shows who is enrolled as administrator"));
    }
    String where = policy.store().startsWith("jdbc:") ? DriverManagerDataSource.redact(policy.store()) : policy.store();
    AccessStore store;
    if (policy.store().startsWith("file:")) {
      Path dir = ctx.resolve(policy.store().substring("file:".length())).normalize();
      if (!Files.isDirectory(dir)) {
        if (ctx.policy().source().startsWith("bundled:")) {
          return List.of(Judgement.noEvidence(21, "the bundled policy's access store " + where + " does not exist in "
              + ctx.baseDirectory() + ": nobody was enrolled here"));
        }
        return List.of(Judgement.notKept(21, "the access store " + where + " is gone: nothing shows who is the"
            + " administrator", List.of(Evidence.of("access store", dir + " (no such folder)"))));
      }
      store = AccessStore.folder(dir);
    } else {
      store = AccessStore.jdbc(DriverManagerDataSource.of(policy.store()));
    }
    EnrolledPerson admin;
    int enrolled;
    try {
      admin = store.person(policy.administrator()).orElse(null);
      enrolled = store.people().size();
    } finally {
      if (store instanceof AutoCloseable c) {
        c.close();
      }
    }
    List<Evidence> ev = new ArrayList<>();
    ev.add(Evidence.of("access store", where + " (" + enrolled + " people enrolled)"));
    ev.add(Evidence.of("named administrator", policy.administrator()));
    if (admin == null) {
      return List.of(Judgement.notKept(21, "the named administrator '" + policy.administrator() + "' is not enrolled in "
          + where, ev));
    }
    ev.add(Evidence.of("administrator enrolled", admin.person().name() + ", " + admin.person().employment().name()
        .toLowerCase(java.util.Locale.ROOT) + ", since " + admin.enrolledAt()));
    if (admin.departedAt() != null && admin.departedAt().isBefore(ctx.period().to())) {
      return List.of(Judgement.notKept(21, "the named administrator '" + policy.administrator() + "' left on "
          + admin.departedAt() + ", so nobody named holds complete administrative access", ev));
    }
    if (admin.person().employment() != Person.Employment.EMPLOYEE) {
      return List.of(Judgement.notKept(21, "the named administrator '" + policy.administrator() + "' is a contractor",
          ev));
    }
    if (!AuditTrailCheck.named(ctx)) {
      return List.of(Judgement.noEvidence(21, "the policy names no audit trail, where the deployment records what its"
          + " targets hold (" + AccessBroker.DRIFT_ACTION + "): only the store's name is known, not the systems' state"));
    }
    AuditRecord latest = null;
    int measurements = 0;
    for (AuditRecord r : AuditTrailCheck.records(ctx)) {
      if (r.action().equals(AccessBroker.DRIFT_ACTION) && ctx.period().contains(r.at())) {
        measurements++;
        if (latest == null || !r.at().isBefore(latest.at())) {
          latest = r;
        }
      }
    }
    if (latest == null) {
      return List.of(Judgement.noEvidence(21, "no measurement of the targets' administrative access in the period"
          + " (" + AccessBroker.DRIFT_ACTION + " in the audit trail; AccessBroker.drift() records one): "
          + policy.administrator() + " is enrolled as administrator, but nothing shows who holds it on the systems"));
    }
    ev.add(Evidence.of("targets measured", latest.at() + " (the latest of " + measurements + " measurements in the"
        + " period)"));
    JsonNode measured = Json.mapper().readTree(latest.details().getOrDefault("measurement", "[]"));
    List<String> tooMany = new ArrayList<>();
    List<String> orphans = new ArrayList<>();
    List<String> unread = new ArrayList<>();
    for (JsonNode t : measured) {
      String target = t.path("target").asText();
      if (t.hasNonNull("error")) {
        unread.add(target + " (" + t.path("error").asText() + ")");
        continue;
      }
      List<String> admins = strings(t.path("administrators"));
      List<String> orphaned = strings(t.path("orphans"));
      ev.add(Evidence.of("administrators on " + target, admins.isEmpty() ? "none" : String.join(", ", admins)));
      if (admins.size() > 1) {
        tooMany.add(target + " has " + admins.size() + " " + admins);
      }
      if (!orphaned.isEmpty()) {
        orphans.add(target + ": " + String.join(", ", orphaned));
      }
    }
    if (!orphans.isEmpty()) {
      ev.add(Evidence.of("logins no active grant holds", String.join("; ", orphans)));
    }
    if (!unread.isEmpty()) {
      ev.add(Evidence.of("targets not read", String.join("; ", unread)));
    }
    if (!tooMany.isEmpty()) {
      return List.of(Judgement.notKept(21, "more than one login holds complete administrative access: "
          + String.join("; ", tooMany), ev));
    }
    if (!orphans.isEmpty()) {
      return List.of(Judgement.notKept(21, "logins Pledge did not grant hold access on the targets: "
          + String.join("; ", orphans), ev));
    }
    if (measured.isEmpty()) {
      return List.of(Judgement.noEvidence(21, "the latest measurement (" + latest.at() + ") reached no target, so"
          + " nothing shows who holds administrative access on the systems"));
    }
    if (!unread.isEmpty()) {
      return List.of(Judgement.noEvidence(21, "the latest measurement (" + latest.at() + ") could not read "
          + String.join("; ", unread)));
    }
    return List.of(Judgement.kept(21, "exactly one named administrator, " + policy.administrator() + ", enrolled; on "
        + measured.size() + " targets measured " + latest.at() + ", at most one administrative login each and no"
        + " access Pledge did not grant", ev));
  }

  private static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }
}
