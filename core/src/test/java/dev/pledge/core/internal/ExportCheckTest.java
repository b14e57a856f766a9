package dev.pledge.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pledge.core.audit.AuditTrail;
import dev.pledge.core.audit.ChainedAuditTrail;
import dev.pledge.core.evidence.AssessmentPeriod;
import dev.pledge.core.evidence.CheckContext;
import dev.pledge.core.evidence.Judgement;
import dev.pledge.core.evidence.Verdict;
import dev.pledge.core.export.ClientDataSource;
import dev.pledge.core.export.DataExporter;
import dev.pledge.core.policy.PolicyDocument;
import dev.pledge.core.policy.PolicyLoader;
import dev.pledge.core.time.MutableClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** P40 judged from the export records the real exporter wrote to a real trail beside the policy. */
class ExportCheckTest {
  private static final Instant T = Instant.parse("2026-12-03T13:00:00Z");
  private static final AssessmentPeriod PERIOD = new AssessmentPeriod(T.minus(Duration.ofHours(1)), T);
  private final MutableClock clock = MutableClock.at(T.minus(Duration.ofMinutes(30)));

  @TempDir
  Path dir;

  private static final ClientDataSource DATA = new ClientDataSource() {
    @Override
    public List<String> datasets(String client) {
      return List.of("orders");
    }

    @Override
    public void records(String client, String dataset, Consumer<Map<String, Object>> sink) {
      sink.accept(Map.of("client", client, "id", 1));
      sink.accept(Map.of("client", client, "id", 2));
    }
  };

  private Judgement judge() {
    PolicyDocument policy = PolicyLoader.create().load("policy.yaml", "audit:\n  store: file:audit.jsonl\n");
    return new ExportCheck().judge(new CheckContext(policy, dir, PERIOD, MutableClock.at(T))).get(0);
  }

  private void export(boolean verify) throws Exception {
    try (ChainedAuditTrail trail = AuditTrail.jsonLines(dir.resolve("audit.jsonl"))) {
      DataExporter exporter = new DataExporter(DATA, clock, trail);
      exporter.export("acme", dir.resolve("export-acme.zip"), "support");
      clock.advance(Duration.ofMinutes(1));
      if (verify) {
        exporter.verify(dir.resolve("export-acme.zip"), "acme", "support");
      }
    }
  }

  @Test
  void anExportMadeAndVerifiedKeepsP40() throws Exception {
    export(true);
    Judgement j = judge();
    assertThat(j.verdict()).as(j.toString()).isEqualTo(Verdict.KEPT);
    assertThat(j.evidence()).anySatisfy(e -> {
      assertThat(e.name()).isEqualTo("acme export-acme.zip");
      assertThat(e.value()).startsWith("2 records in 1 data sets, made 2026-12-03T12:30:00Z, verified 2026-12-03T12:31:00Z")
          .endsWith("the archive beside the policy still matches");
    });
  }

  @Test
  void anExportNeverVerifiedIsNamed() throws Exception {
    export(false);
    assertThat(judge().summary()).isEqualTo("a client's export did not complete verified: client acme's export"
        + " export-acme.zip requested 2026-12-03T12:30:00Z: never verified against its manifest");
  }

  @Test
  void anArchiveChangedAfterTheExportIsNamed() throws Exception {
    export(true);
    Files.write(dir.resolve("export-acme.zip"), new byte[] {1, 2, 3});
    Judgement j = judge();
    assertThat(j.verdict()).isEqualTo(Verdict.NOT_KEPT);
    assertThat(j.summary()).contains("the archive beside the policy has changed since it was exported");
  }

  @Test
  void aFailedExportIsNamedAndAFailedVerificationIsAudited() throws Exception {
    try (ChainedAuditTrail trail = AuditTrail.jsonLines(dir.resolve("audit.jsonl"))) {
      DataExporter exporter = new DataExporter(DATA, clock, trail);
      assertThatThrownBy(() -> exporter.export("acme", dir.resolve("no-such-folder").resolve("x.zip"), "support"));
    }
    assertThat(judge().summary()).contains("client acme's export x.zip requested 2026-12-03T12:30:00Z: failed: ");
  }

  @Test
  void noExportRequestedIsNoEvidence() throws Exception {
    try (ChainedAuditTrail trail = AuditTrail.jsonLines(dir.resolve("audit.jsonl"))) {
      trail.record(new dev.pledge.core.audit.AuditRecord(clock.instant(), "ops", "login", "ana",
          dev.pledge.core.audit.AuditOutcome.SUCCESS, null, Map.of()));
    }
    assertThat(judge().verdict()).isEqualTo(Verdict.NO_EVIDENCE);
  }
}
