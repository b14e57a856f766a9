package dev.pledge.core.internal;

import dev.pledge.core.audit.AuditPolicy;
import dev.pledge.core.audit.AuditQuery;
import dev.pledge.core.audit.AuditRecord;
import dev.pledge.core.audit.AuditStore;
import dev.pledge.core.audit.AuditTrails;
import dev.pledge.core.audit.AuditVerification;
import dev.pledge.core.audit.AuditVerifier;
import dev.pledge.core.audit.CheckpointKey;
import dev.pledge.core.evidence.CheckContext;
import dev.pledge.core.evidence.Evidence;
import dev.pledge.core.evidence.Judgement;
import dev.pledge.core.evidence.PromiseCheck;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Core's check of P20 (every login and every action is logged): the trail the policy's {@code audit}
 * section names is read and verified record by record (hash chain, and checkpoint signatures when the
 * section names a key file): kept when it is intact and holds records; not kept naming the first
 * record edited, inserted, deleted, reordered or truncated. A relative {@code file:} trail or key file
 * is read from the policy's folder. Stateless and thread-safe.
 */
public final class AuditTrailCheck implements PromiseCheck {

  @Override
  public String name() {
    return "core.audit";
  }

  @Override
  public List<Integer> promises() {
    return List.of(20);
  }

  @Override
  public List<Judgement> judge(CheckContext ctx) throws Exception {
    AuditPolicy audit = ctx.policy().section(AuditPolicy.class).orElse(null);
    if (audit == null || audit.discards()) {
      return List.of(Judgement.noEvidence(20, audit == null ? "the policy names no audit trail (audit section)"
          : "the policy's audit trail keeps nothing (store: discard)"));
    }
    String trail = resolve(audit, ctx);
    AuditVerifier verifier = AuditVerifier.create();
    if (audit.keyFile() != null) {
      verifier.key(CheckpointKey.load(ctx.baseDirectory().resolve(audit.keyFile())));
    }
    AuditVerification v;
    try (AuditStore store = AuditTrails.openForReading(trail, audit.table())) {
      v = verifier.verify(store);
    }
    List<Evidence> ev = new ArrayList<>();
    ev.add(Evidence.of("trail read", trail.startsWith("jdbc:") ? trail.replaceAll("password=[^&]*", "password=***") : trail));
    ev.add(Evidence.of("records verified", v.records()));
    ev.add(Evidence.of("checkpoints", v.checkpoints() + (v.signaturesChecked() ? ", signatures checked" : ", not signed")));
    if (!v.intact()) {
      AuditVerification.Finding f = v.finding();
      ev.add(Evidence.of("first bad record", "#" + f.seq() + " " + f.kind().name().toLowerCase(java.util.Locale.ROOT)
          + ": " + f.message()));
      return List.of(Judgement.notKept(20, "the audit trail was altered: record #" + f.seq() + " "
          + f.kind().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' '), ev));
    }
    if (v.records() == 0) {
      return List.of(Judgement.noEvidence(20, "the audit trail " + trail + " holds no record"));
    }
    return List.of(Judgement.kept(20, "the audit trail is intact: " + v.records() + " records, each chained to the one before",
        ev));
  }

  /** The trail {@code audit} names, a relative file read from the policy's folder. */
  private static String resolve(AuditPolicy audit, CheckContext ctx) {
    String trail = audit.store();
    if (!trail.startsWith("jdbc:")) {
      Path p = Path.of(trail.startsWith("file:") ? trail.substring("file:".length()) : trail);
      trail = "file:" + (p.isAbsolute() ? p : ctx.baseDirectory().resolve(p).normalize());
    }
    return trail;
  }

  /**
   * The records of the audit trail the policy names, oldest first, for other modules' checks (who
   * granted what, which backups were made); empty when the policy names no trail or one that keeps
   * nothing. Not verified here: P20's check says whether the trail is intact.
   *
   * @throws java.io.UncheckedIOException or another exception when the trail cannot be read
   */
  public static List<AuditRecord> records(CheckContext ctx) {
    AuditPolicy audit = ctx.policy().section(AuditPolicy.class).orElse(null);
    if (audit == null || audit.discards()) {
      return List.of();
    }
    try (AuditStore store = AuditTrails.openForReading(resolve(audit, ctx), audit.table());
        java.util.stream.Stream<dev.pledge.core.audit.ChainedRecord> all = store.records(AuditQuery.all())) {
      return all.map(dev.pledge.core.audit.ChainedRecord::record).toList();
    }
  }

  /** Whether the policy names an audit trail that keeps records. */
  public static boolean named(CheckContext ctx) {
    return ctx.policy().section(AuditPolicy.class).map(a -> !a.discards()).orElse(false);
  }
}
