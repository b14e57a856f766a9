package dev.pledge.backup.internal;

import dev.pledge.backup.BackupPolicy;
import dev.pledge.core.Environment;
import dev.pledge.core.audit.AuditOutcome;
import dev.pledge.core.audit.AuditRecord;
import dev.pledge.core.evidence.CheckContext;
import dev.pledge.core.evidence.Evidence;
import dev.pledge.core.evidence.Judgement;
import dev.pledge.core.evidence.PromiseCheck;
import dev.pledge.core.internal.AuditTrailCheck;
import java.util.ArrayList;
import java.util.List;

/**
 * Judges P27 (development and staging use test data, never production data) from what the backup
 * engine recorded in the audit trail the policy names, the only way Pledge moves production data:
 * every restore in the period ({@code backup.restore}) of a production backup into another
 * environment must name the masking transform it went through, and the policy must keep the guard
 * on ({@code backups.maskProductionRestores}). Restores refused by the guard ({@code restore.refused})
 * are counted as the guard at work. Kept when the guard is on and no production backup reached a
 * non-production environment unmasked; not kept naming the first restore that did, or when the
 * policy turns the guard off; no evidence when the policy names no trail to read. Stateless and
 * thread-safe.
 */
public final class RestoreMaskingCheck implements PromiseCheck {
  private static final int FIRST = 5;

  @Override
  public String name() {
    return "backup.masking";
  }

  @Override
  public List<Integer> promises() {
    return List.of(27);
  }

  @Override
  public List<Judgement> judge(CheckContext ctx) {
    BackupPolicy policy = ctx.policy().section(BackupPolicy.class).orElse(null);
    if (policy == null) {
      return List.of(Judgement.noEvidence(27, "the policy has no backups section"));
    }
    if (!AuditTrailCheck.named(ctx)) {
      return List.of(Judgement.noEvidence(27, "the policy names no audit trail, where the backup engine records each"
          + " restore and the environment it went to"));
    }
    int restores = 0;
    int intoOthers = 0;
    List<String> masked = new ArrayList<>();
    List<String> refused = new ArrayList<>();
    List<String> unmasked = new ArrayList<>();
    for (AuditRecord r : AuditTrailCheck.records(ctx)) {
      if (!ctx.period().contains(r.at()) || r.scope() == null) {
        continue;
      }
      boolean restore = r.action().equals("backup.restore") && r.outcome() == AuditOutcome.SUCCESS;
      boolean refusal = r.action().equals("restore.refused");
      if (!restore && !refusal) {
        continue;
      }
      Environment from = r.scope().environment();
      String toName = r.details() == null ? null : r.details().get("targetEnvironment");
      Environment to = toName == null ? from : Environment.of(toName);
      String what = r.resource() + " (" + r.scope() + ") into " + to + " at " + r.at();
      if (refusal) {
        refused.add(what);
        continue;
      }
      restores++;
      if (!from.isProduction() || to.isProduction()) {
        continue;
      }
      intoOthers++;
      String masking = r.details() == null ? null : r.details().get("masking");
      if (masking == null) {
        unmasked.add(what);
      } else {
        masked.add(what + " through " + masking);
      }
    }
    List<Evidence> ev = new ArrayList<>();
    ev.add(Evidence.of("guard (backups.maskProductionRestores)", policy.maskProductionRestores() ? "on" : "OFF"));
    ev.add(Evidence.of("restores in the period", restores));
    ev.add(Evidence.of("production backups restored into another environment", intoOthers + ", " + masked.size()
        + " masked"));
    first(ev, "first masked restores", masked);
    ev.add(Evidence.of("restores refused by the guard", refused.size()));
    first(ev, "first refused", refused);
    if (!unmasked.isEmpty()) {
      first(ev, "production data restored unmasked", unmasked);
      return List.of(Judgement.notKept(27, unmasked.size() + " production backups were restored into another environment"
          + " unmasked, first " + unmasked.get(0), ev));
    }
    if (!policy.maskProductionRestores()) {
      return List.of(Judgement.notKept(27, "the policy lets production backups reach staging and development unmasked"
          + " (maskProductionRestores: false)", ev));
    }
    return List.of(Judgement.kept(27, intoOthers == 0 && refused.isEmpty()
        ? "no production backup was restored outside production in the period, and the guard is on"
        : "production data reached other environments only masked: " + masked.size() + " masked restores, "
            + refused.size() + " unmasked ones refused", ev));
  }

  private static void first(List<Evidence> ev, String name, List<String> items) {
    if (!items.isEmpty()) {
      ev.add(Evidence.of(name, String.join("; ", items.subList(0, Math.min(FIRST, items.size())))
          + (items.size() > FIRST ? "; ..." : "")));
    }
  }
}
