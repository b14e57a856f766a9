package dev.pledge.core.internal;

import dev.pledge.core.audit.AuditOutcome;
import dev.pledge.core.audit.AuditRecord;
import dev.pledge.core.evidence.CheckContext;
import dev.pledge.core.evidence.Evidence;
import dev.pledge.core.evidence.Judgement;
import dev.pledge.core.evidence.PromiseCheck;
import dev.pledge.core.export.DataExporter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Core's check of P40 (clients can export their data), from the audit trail the policy names: every
 * export a client requested in the period ({@code export.requested}, written by
 * {@link DataExporter}) must have been made ({@code export.created}, success, with the archive's
 * SHA-256) and then checked against its manifest ({@code export.verified}, success, the same SHA-256).
 * When the archive is still in the policy's folder, its SHA-256 must still be the one recorded.
 * Kept when every export requested completed and verified; not kept naming the first that failed,
 * never completed, was never verified or changed since; no evidence when no export was requested.
 * Stateless and thread-safe.
 */
public final class ExportCheck implements PromiseCheck {
  private static final int FIRST_VIOLATIONS = 5;

  @Override
  public String name() {
    return "core.export";
  }

  @Override
  public List<Integer> promises() {
    return List.of(40);
  }

  @Override
  public List<Judgement> judge(CheckContext ctx) {
    if (!AuditTrailCheck.named(ctx)) {
      return List.of(Judgement.noEvidence(40, "the policy names no audit trail (audit section) to read exports from"));
    }
    List<AuditRecord> all = AuditTrailCheck.records(ctx).stream()
        .filter(r -> r.action().startsWith("export.")).toList();
    List<AuditRecord> requested = all.stream()
        .filter(r -> r.action().equals(DataExporter.REQUESTED) && ctx.period().contains(r.at())).toList();
    List<Evidence> ev = new ArrayList<>();
    ev.add(Evidence.of("exports requested in the period", requested.size()));
    if (requested.isEmpty()) {
      return List.of(new Judgement(40, dev.pledge.core.evidence.Verdict.NO_EVIDENCE, "no client asked for an export of"
          + " their data in the period", ev));
    }
    List<String> violations = new ArrayList<>();
    int verified = 0;
    for (AuditRecord req : requested) {
      String client = req.resource();
      String archive = req.details().getOrDefault("archive", "");
      String what = "client " + client + "'s export " + archive + " requested " + req.at();
      Optional<AuditRecord> created = first(all, DataExporter.CREATED, client, archive, req);
      if (created.isEmpty()) {
        violations.add(what + ": never completed");
        continue;
      }
      AuditRecord c = created.get();
      if (c.outcome() != AuditOutcome.SUCCESS) {
        violations.add(what + ": failed: " + c.details().getOrDefault("error", "no reason recorded"));
        continue;
      }
      String sha = c.details().getOrDefault("sha256", "");
      Optional<AuditRecord> check = all.stream().filter(r -> r.action().equals(DataExporter.VERIFIED)
          && r.resource().equals(client) && archive.equals(r.details().get("archive")) && !r.at().isBefore(c.at()))
          .findFirst();
      if (check.isEmpty()) {
        violations.add(what + ": never verified against its manifest");
        continue;
      }
      AuditRecord v = check.get();
      if (v.outcome() != AuditOutcome.SUCCESS) {
        violations.add(what + ": verification failed: " + v.details().getOrDefault("error", "no reason recorded"));
        continue;
      }
      if (!sha.equals(v.details().get("sha256"))) {
        violations.add(what + ": the archive verified is not the one made (SHA-256 differs)");
        continue;
      }
      Path kept = ctx.baseDirectory().resolve(archive);
      String now = null;
      if (!archive.isEmpty() && !archive.contains("/") && !archive.contains("\\") && Files.isRegularFile(kept)) {
        now = DataExporter.sha256Of(kept);
        if (!now.equals(sha)) {
          violations.add(what + ": the archive beside the policy has changed since it was exported (SHA-256 "
              + now.substring(0, 12) + "..., recorded " + sha.substring(0, Math.min(12, sha.length())) + "...)");
          continue;
        }
      }
      verified++;
      ev.add(Evidence.of(client + " " + archive, c.details().getOrDefault("records", "?") + " records in "
          + c.details().getOrDefault("datasets", "?") + " data sets, made " + c.at() + ", verified " + v.at()
          + ", SHA-256 " + sha.substring(0, Math.min(12, sha.length())) + "..."
          + (now != null ? ", the archive beside the policy still matches" : "")));
    }
    ev.add(Evidence.of("exports completed and verified", verified + " of " + requested.size()));
    if (!violations.isEmpty()) {
      ev.add(Evidence.of("first violations", String.join("; ", violations.subList(0, Math.min(FIRST_VIOLATIONS,
          violations.size())))));
      return List.of(Judgement.notKept(40, "a client's export did not complete verified: " + violations.get(0), ev));
    }
    return List.of(Judgement.kept(40, "every export a client requested in the period was made and verified against its"
        + " manifest", ev));
  }

  private static Optional<AuditRecord> first(List<AuditRecord> all, String action, String client, String archive,
      AuditRecord after) {
    return all.stream().filter(r -> r.action().equals(action) && r.resource().equals(client)
        && archive.equals(r.details().get("archive")) && !r.at().isBefore(after.at())).findFirst();
  }
}
