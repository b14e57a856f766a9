package dev.pledge.backup.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pledge.backup.BackupEngine;
import dev.pledge.backup.crypto.LocalKeyWrapper;
import dev.pledge.backup.pitr.PitrArchive;
import dev.pledge.backup.source.DirectorySource;
import dev.pledge.backup.store.FileStore;
import dev.pledge.core.Scope;
import dev.pledge.core.audit.AuditTrail;
import dev.pledge.core.evidence.AssessmentPeriod;
import dev.pledge.core.evidence.CheckContext;
import dev.pledge.core.evidence.Judgement;
import dev.pledge.core.evidence.Verdict;
import dev.pledge.core.policy.PolicyDocument;
import dev.pledge.core.policy.PolicyLoader;
import dev.pledge.core.time.MutableClock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * P9 judged second by second where the manifests name their log segments: a full backup and the WAL
 * segments the real archive shipped after it make every second of the period restorable; a segment
 * deleted from the store breaks the chain at the second it covered.
 */
class PointInTimeCoverageTest {
  private static final Scope SHOP = Scope.of("shop", "production");
  private static final Instant T0 = Instant.parse("2026-12-03T12:00:00Z");

  @TempDir
  Path dir;
  private PolicyDocument policy;

  @BeforeEach
  void anHourOfWalAfterAFullBackup() throws Exception {
    policy = PolicyLoader.create().load("policy.yaml", """
        backups:
          locations: ["file:store"]
          minimumLocations: 1
          key: {kind: LOCAL, file: backup.key}
          schedules:
            - {site: shop, environment: production, every: 5m, missedRun: SKIP}
        """);
    MutableClock clock = MutableClock.at(T0);
    BackupEngine engine = BackupEngine.builder(LocalKeyWrapper.generate(dir.resolve("backup.key"))).clock(clock)
        .auditTrail(AuditTrail.inMemory()).build();
    FileStore store = FileStore.builder(dir.resolve("store")).clock(clock).build();
    Path data = Files.createDirectories(dir.resolve("data"));
    Files.writeString(data.resolve("base.txt"), "the database's files", StandardCharsets.UTF_8);
    engine.backup(DirectorySource.of(data), SHOP, List.of(store));
    PitrArchive archive = PitrArchive.postgres(engine, store, SHOP);
    Path wal = Files.createDirectories(dir.resolve("wal"));
    for (int i = 1; i <= 13; i++) {
      Path f = wal.resolve("0000000100000000000000%02X".formatted(i));
      Files.writeString(f, "wal " + i, StandardCharsets.UTF_8);
      Files.setLastModifiedTime(f, FileTime.from(T0.plus(Duration.ofMinutes(5L * (i - 1)))));
      clock.set(T0.plus(Duration.ofMinutes(5L * (i - 1))).plusSeconds(1));
      archive.ship(f);
    }
  }

  private Judgement p9() throws Exception {
    Instant to = T0.plus(Duration.ofHours(1));
    CheckContext ctx = new CheckContext(policy, dir, new AssessmentPeriod(T0, to), MutableClock.at(to));
    return new BackupHistoryCheck().judge(ctx).stream().filter(j -> j.promise() == 9).findFirst().orElseThrow();
  }

  @Test
  void everySecondAfterTheFullBackupIsRestorable() throws Exception {
    Judgement j = p9();
    assertThat(j.verdict()).as(j.toString()).isEqualTo(Verdict.KEPT);
    assertThat(j.evidence()).anySatisfy(e -> assertThat(e.value()).contains("shop/production (1 full backups, 13 log"
        + " segments) every second from 2026-12-03T12:00:00Z to 2026-12-03T13:00:00Z restorable"));
  }

  @Test
  void aDeletedSegmentBreaksTheChainAtTheSecondItCovered() throws Exception {
    try (var files = Files.list(dir.resolve("store/shop/production"))) {
      for (Path p : files.toList()) {
        if (Files.readString(p, StandardCharsets.ISO_8859_1).contains("000000010000000000000006")
            && p.toString().endsWith(".manifest.json")) {
          Files.delete(p);
        }
      }
    }
    Judgement j = p9();
    assertThat(j.verdict()).isEqualTo(Verdict.NOT_KEPT);
    assertThat(j.summary()).contains("shop/production: 2026-12-03T12:20:01Z cannot be restored: the log segments break"
        + " before it");
  }
}
