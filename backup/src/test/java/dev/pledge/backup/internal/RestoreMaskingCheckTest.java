package dev.pledge.backup.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pledge.backup.BackupEngine;
import dev.pledge.backup.BackupManifest;
import dev.pledge.backup.BackupRefusedException;
import dev.pledge.backup.MaskingTransform;
import dev.pledge.backup.crypto.LocalKeyWrapper;
import dev.pledge.backup.source.DirectorySource;
import dev.pledge.backup.source.DirectoryTarget;
import dev.pledge.backup.store.FileStore;
import dev.pledge.core.Environment;
import dev.pledge.core.Scope;
import dev.pledge.core.audit.AuditTrail;
import dev.pledge.core.evidence.AssessmentPeriod;
import dev.pledge.core.evidence.CheckContext;
import dev.pledge.core.evidence.Judgement;
import dev.pledge.core.evidence.Verdict;
import dev.pledge.core.policy.PolicyLoader;
import dev.pledge.core.time.MutableClock;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** P27 judged from the restores the real engine recorded in the audit trail the policy names. */
class RestoreMaskingCheckTest {
  private static final Instant START = Instant.parse("2026-03-29T00:30:00Z");
  private static final Instant END = START.plus(Duration.ofHours(1));
  private static final MaskingTransform IDENTITY = new MaskingTransform() {
    @Override
    public String name() {
      return "mask-nothing-in-this-test";
    }

    @Override
    public InputStream mask(InputStream plaintext) {
      return plaintext;
    }
  };

  private static CheckContext context(Path dir, boolean guard) throws Exception {
    Files.writeString(dir.resolve("policy.yaml"), """
        audit: {store: "file:audit.jsonl"}
        backups:
          maskProductionRestores: %s
        """.formatted(guard));
    return new CheckContext(PolicyLoader.create().load(dir.resolve("policy.yaml")), dir, new AssessmentPeriod(START, END),
        Clock.fixed(END, ZoneOffset.UTC));
  }

  /** A production backup, then {@code restores} run against the engine built with {@code guard}. */
  private static void deployment(Path dir, boolean guard, Restores restores) throws Exception {
    Path data = Files.createDirectories(dir.resolve("data"));
    Files.writeString(data.resolve("customers.csv"), "id,email\n1,ann@example.com\n");
    AuditTrail trail = AuditTrail.jsonLines(dir.resolve("audit.jsonl"));
    try {
      MutableClock clock = MutableClock.at(START.plus(Duration.ofMinutes(10)));
      BackupEngine engine = BackupEngine.builder(LocalKeyWrapper.generate(dir.resolve("master.key"))).clock(clock)
          .auditTrail(trail).maskProductionRestores(guard).build();
      FileStore store = FileStore.at(dir.resolve("store"));
      BackupManifest m = engine.backup(DirectorySource.of(data), Scope.of("shop", "production"), List.of(store));
      clock.advance(Duration.ofMinutes(5));
      restores.run(engine, store, m);
    } finally {
      if (trail instanceof AutoCloseable c) {
        c.close();
      }
    }
  }

  interface Restores {
    void run(BackupEngine engine, FileStore store, BackupManifest m) throws Exception;
  }

  private static Judgement p27(CheckContext ctx) {
    return new RestoreMaskingCheck().judge(ctx).get(0);
  }

  @Test
  void aRefusedUnmaskedRestoreAndAMaskedOneIntoStagingKeepP27(@TempDir Path dir) throws Exception {
    deployment(dir, true, (engine, store, m) -> {
      assertThatThrownBy(() -> engine.restore(store, m.id(), DirectoryTarget.of(dir.resolve("staging-1")),
          Environment.STAGING, null)).isInstanceOf(BackupRefusedException.class);
      engine.restore(store, m.id(), DirectoryTarget.of(dir.resolve("staging-2")), Environment.STAGING, IDENTITY);
      engine.restore(store, m.id(), DirectoryTarget.of(dir.resolve("production-copy")));
    });

    Judgement j = p27(context(dir, true));

    assertThat(j.verdict()).as(j.summary()).isEqualTo(Verdict.KEPT);
    assertThat(j.summary()).isEqualTo("production data reached other environments only masked: 1 masked restores,"
        + " 1 unmasked ones refused");
    assertThat(j.evidence().toString()).contains("name=restores in the period, value=2").contains("through mask-nothing-in-this-test");
  }

  @Test
  void aProductionBackupRestoredIntoDevelopmentUnmaskedBreaksP27(@TempDir Path dir) throws Exception {
    deployment(dir, false, (engine, store, m) ->
        engine.restore(store, m.id(), DirectoryTarget.of(dir.resolve("dev")), Environment.DEVELOPMENT, null));

    Judgement j = p27(context(dir, false));

    assertThat(j.verdict()).isEqualTo(Verdict.NOT_KEPT);
    assertThat(j.summary()).startsWith("1 production backups were restored into another environment unmasked, first ")
        .contains("(shop/production) into development");
  }

  @Test
  void withNoRestoreTheGuardDecidesAndWithNoTrailThereIsNoEvidence(@TempDir Path dir) throws Exception {
    deployment(dir, true, (engine, store, m) -> { });
    assertThat(p27(context(dir, true)).verdict()).isEqualTo(Verdict.KEPT);
    assertThat(p27(context(dir, false)).summary()).isEqualTo("the policy lets production backups reach staging and"
        + " development unmasked (maskProductionRestores: false)");

    Files.writeString(dir.resolve("policy.yaml"), "backups: {}\n");
    CheckContext noTrail = new CheckContext(PolicyLoader.create().load(dir.resolve("policy.yaml")), dir,
        new AssessmentPeriod(START, END), Clock.fixed(END, ZoneOffset.UTC));
    assertThat(p27(noTrail).verdict()).isEqualTo(Verdict.NO_EVIDENCE);
  }
}
