package dev.pledge.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pledge.backup.BackupEngine;
import dev.pledge.backup.crypto.LocalKeyWrapper;
import dev.pledge.backup.source.DirectorySource;
import dev.pledge.backup.store.BackupStore;
import dev.pledge.backup.store.FileStore;
import dev.pledge.core.Scope;
import dev.pledge.core.audit.AuditTrail;
import dev.pledge.core.internal.Json;
import dev.pledge.core.policy.HostingPolicy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Damage done to a deployment's real evidence behind the report's back: each test takes a copy of
 * the deployment a tour left, breaks the evidence of one promise the way it breaks in life (a store
 * deleted, a grant left open, a drill never finished, an old backup left in hot storage) and shows
 * {@code pledge report --policy DIR/policy.yaml} exit 1 naming that promise and why. One tour serves
 * every test.
 */
class ReportDamageTest {
  private static final String NOW = "2026-12-03T10:00:00Z";

  @TempDir
  static Path tmp;
  static Path deployment;

  @BeforeAll
  static void tour() {
    deployment = tmp.resolve("tour");
    CliRun run = CliRun.of("tour", "--dir", deployment.toString(), "--now", NOW);
    assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(0);
  }

  private static Path copy(String name) throws Exception {
    return DeploymentCopy.of(deployment, tmp.resolve(name));
  }

  private static CliRun report(Path broken) {
    return CliRun.of("report", "--policy", broken.resolve("policy.yaml").toString(), "--dir",
        broken.resolve("report-out").toString(), "--now", NOW);
  }

  /** Edits the access store's document, as a hand on the file (or a buggy tool) would. */
  private static void editAccess(Path broken, Consumer<ObjectNode> edit) throws Exception {
    Path file = broken.resolve("access/access.json");
    ObjectNode doc = (ObjectNode) Json.mapper().readTree(file.toFile());
    edit.accept(doc);
    Files.writeString(file, Json.mapper().writeValueAsString(doc));
  }

  private static ObjectNode grantOf(ObjectNode doc, String account) {
    for (JsonNode g : doc.get("grants")) {
      if (g.get("grant").get("account").asText().equals(account)) {
        return (ObjectNode) g;
      }
    }
    throw new AssertionError("no grant of " + account + " in " + doc);
  }

  @Test
  void aGrantLeftOpenAfterItsEndBreaksP17() throws Exception {
    Path broken = copy("open-grant");
    editAccess(broken, doc -> {
      ObjectNode g = grantOf(doc, "ana");
      g.put("status", "ACTIVE");
      g.remove(List.of("endedAt", "endedBy"));
      g.put("cleaned", false);
    });

    CliRun run = report(broken);

    assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(1);
    assertThat(run.err()).contains("P17 not kept: 1 grants outlived their assignment");
    assertThat(run.err()).doesNotContain("P16 not kept").doesNotContain("P19 not kept");
  }

  @Test
  void aLeaverStillHoldingAGrantBreaksP18() throws Exception {
    Path broken = copy("leaver");
    editAccess(broken, doc -> {
      ObjectNode g = grantOf(doc, "ben");
      g.put("status", "ACTIVE");
      g.remove(List.of("endedAt", "endedBy"));
    });

    CliRun run = report(broken);

    assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(1);
    assertThat(run.err()).contains("P18 not kept: 1 grants outlived their holder's departure");
  }

  @Test
  void aGrantToAContractorMadeBehindTheBrokersBackBreaksP16AndP14() throws Exception {
    Path broken = copy("contractor");
    editAccess(broken, doc -> {
      ObjectNode g = grantOf(doc, "ben").deepCopy();
      ((ObjectNode) g.get("grant")).put("id", "gcarl0000001").put("account", "carl");
      g.put("status", "ACTIVE");
      g.remove(List.of("endedAt", "endedBy"));
      ((ArrayNode) doc.get("grants")).add(g);
    });

    CliRun run = report(broken);

    assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(1);
    assertThat(run.err()).contains("P16 not kept: 1 grants went to a contractor or an account nobody enrolled")
        .contains("P14 not kept: 1 grants or ends of grants are missing from the audit trail");
  }

  @Test
  void aProductionGrantWithoutAnIncidentOrApproverBreaksP15() throws Exception {
    Path broken = copy("standing");
    editAccess(broken, doc -> {
      ObjectNode g = (ObjectNode) grantOf(doc, "ana").get("grant");
      g.put("reason", "just looking around");
    });

    CliRun run = report(broken);

    assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(1);
    assertThat(run.err()).contains("P15 not kept: 1 production grants broke the just-in-time rules");
  }

  @Test
  void anAccountEnrolledTwiceForTwoPeopleBreaksP19() throws Exception {
    Path broken = copy("shared");
    editAccess(broken, doc -> {
      ObjectNode p = doc.get("people").get(1).deepCopy();
      ((ObjectNode) p.get("person")).put("name", "Someone else");
      ((ArrayNode) doc.get("people")).add(p);
    });

    CliRun run = report(broken);

    assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(1);
    assertThat(run.err()).contains("P19 not kept: 1 accounts are shared or reused");
  }

  @Test
  void aGrantOfARoleThePolicyLacksBreaksP14() throws Exception {
    Path broken = copy("role");
    editAccess(broken, doc -> ((ObjectNode) grantOf(doc, "ben").get("grant")).put("role", "superuser"));

    CliRun run = report(broken);

    assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(1);
    assertThat(run.err()).contains("P14 not kept: 1 grants were of roles the policy does not define");
  }

  @Test
  void aDeletedAccessStoreLeavesP14ToP19Unproven() throws Exception {
    Path broken = copy("no-access");
    try (Stream<Path> files = Files.list(broken.resolve("access"))) {
      for (Path f : files.toList()) {
        Files.delete(f);
      }
    }
    Files.delete(broken.resolve("access"));

    CliRun run = report(broken);

    assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(1);
    for (int p = 14; p <= 19; p++) {
      assertThat(run.err()).contains("P" + p + " not kept: the access store file:access is gone");
    }
  }

  @Test
  void aDeletedBreachJournalOrAnUnfinishedDrillBreaksP32() throws Exception {
    Path gone = copy("no-journal");
    Files.delete(gone.resolve("breach/breach.json"));
    CliRun run = report(gone);
    assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(1);
    assertThat(run.err()).contains("P32 not kept: the breach journal file:breach is gone");

    Path incomplete = copy("incomplete-drill");
    Path journal = incomplete.resolve("breach/breach.json");
    String text = Files.readString(journal);
    String edited = text.replaceAll("\"complete\"\\s*:\\s*true", "\"complete\":false");
    assertThat(edited).isNotEqualTo(text);
    Files.writeString(journal, edited);
    run = report(incomplete);
    assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(1);
    assertThat(run.err()).contains("P32 not kept: no complete drill is journaled in file:breach");
  }

  @Test
  void aStepDeletedFromTheDrillInTheBreachJournalBreaksP29Only() throws Exception {
    Path broken = copy("no-key-step");
    Path file = broken.resolve("breach/breach.json");
    ObjectNode doc = (ObjectNode) Json.mapper().readTree(file.toFile());
    int removed = 0;
    for (JsonNode steps : doc.findValues("steps")) {
      var it = steps.elements();
      while (it.hasNext()) {
        if (it.next().toString().contains("REVOKE_EXTERNAL_KEYS")) {
          it.remove();
          removed++;
        }
      }
    }
    assertThat(removed).isEqualTo(1);
    Files.writeString(file, Json.mapper().writeValueAsString(doc));

    CliRun run = report(broken);

    assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(1);
    assertThat(run.err()).contains("P29 not kept: not done: DRILL-2026-12: REVOKE_EXTERNAL_KEYS is missing from the"
        + " journal");
    assertThat(run.err()).doesNotContain("P28 not kept").doesNotContain("P30 not kept").doesNotContain("P31 not kept");
  }

  @Test
  void theNamedAdministratorRecordedAsGoneBreaksP21() throws Exception {
    Path broken = copy("no-admin");
    editAccess(broken, doc -> {
      JsonNode left = null;
      for (JsonNode p : doc.get("people")) {
        if (p.hasNonNull("departedAt")) {
          left = p.get("departedAt");
        }
      }
      for (JsonNode p : doc.get("people")) {
        if (p.get("person").get("account").asText().equals("mark")) {
          ((ObjectNode) p).set("departedAt", left);
        }
      }
    });

    CliRun run = report(broken);

    assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(1);
    assertThat(run.err()).contains("P21 not kept: the named administrator 'mark' left on 2026-12-03T09:");
  }

  @Test
  void aProductionBackupRestoredIntoDevelopmentUnmaskedBreaksP27() throws Exception {
    Path broken = copy("unmasked");
    // an engine built with the guard switched off in code, writing to the deployment's own trail
    AuditTrail trail = AuditTrail.jsonLines(broken.resolve("audit.jsonl"));
    try {
      BackupEngine engine = BackupEngine.builder(LocalKeyWrapper.load(broken.resolve("backup.key")))
          .clock(Clock.fixed(Instant.parse("2026-12-03T09:58:00Z"), ZoneOffset.UTC)).auditTrail(trail)
          .maskProductionRestores(false).build();
      BackupStore london = FileStore.at(broken.resolve("stores/london"));
      String id = engine.list(london, Scope.of("shop", "production")).get(0).id();
      engine.restore(london, id, dev.pledge.backup.source.DirectoryTarget.of(broken.resolve("dev-copy")),
          dev.pledge.core.Environment.DEVELOPMENT, null);
    } finally {
      if (trail instanceof AutoCloseable c) {
        c.close();
      }
    }

    CliRun run = report(broken);

    assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(1);
    assertThat(run.err()).contains("P27 not kept: 1 production backups were restored into another environment unmasked,"
        + " first ").contains("(shop/production) into development at 2026-12-03T09:58:00Z");
    assertThat(run.err()).doesNotContain("P20 not kept");
  }

  @Test
  void aDrillOlderThanAQuarterBreaksP32() throws Exception {
    // the same deployment judged four months on: its only drill is too old
    CliRun run = CliRun.of("report", "--policy", deployment.resolve("policy.yaml").toString(), "--dir",
        tmp.resolve("later").toString(), "--now", "2027-04-03T10:00:00Z");
    assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(1);
    assertThat(run.err()).contains("P32 not kept: no complete drill in the last 3 months: the last one finished 2026-12-03T09:30:00Z");
  }

  @Test
  void rollingBackupsDeletedForTwentyMinutesBreakP9AndP11() throws Exception {
    Path broken = copy("gap");
    DateTimeFormatter id = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmm").withZone(ZoneOffset.UTC);
    List<String> gone = Stream.of("09:20", "09:25", "09:30", "09:35")
        .map(t -> id.format(Instant.parse("2026-12-03T" + t + ":00Z"))).toList();
    int deleted = 0;
    for (String store : List.of("london", "dublin")) {
      try (Stream<Path> files = Files.list(broken.resolve("stores").resolve(store).resolve("portal/production"))) {
        for (Path f : files.toList()) {
          if (gone.stream().anyMatch(g -> f.getFileName().toString().startsWith(g))) {
            Files.delete(f);
            deleted++;
          }
        }
      }
    }
    assertThat(deleted).isEqualTo(16); // 4 backups, a manifest and a data object each, in 2 stores

    CliRun run = report(broken);

    assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(1);
    assertThat(run.err()).contains("P9 not kept: 1 gaps in the rolling backups: portal/production: no backup from"
        + " 2026-12-03T09:15:00Z to 2026-12-03T09:40:00Z (25m)");
    assertThat(run.err()).contains("P11 not kept: 8 backups younger than 3 months were deleted");
  }

  @Test
  void aBackupOlderThanThreeMonthsLeftInHotStorageBreaksP12() throws Exception {
    Path broken = copy("old");
    Instant old = Instant.parse("2026-08-01T02:00:00Z");
    List<BackupStore> stores = List.of(FileStore.at(broken.resolve("stores/london")), FileStore.at(broken.resolve("stores/dublin")));
    BackupEngine engine = BackupEngine.builder(LocalKeyWrapper.load(broken.resolve("backup.key")))
        .clock(Clock.fixed(old, ZoneOffset.UTC)).auditTrail(AuditTrail.inMemory()).build();
    engine.backup(DirectorySource.of(broken.resolve("data/shop/production")), Scope.of("shop", "production"), stores);

    CliRun run = report(broken);

    assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(1);
    assertThat(run.err()).contains("P12 not kept: 2 backups older than 3 months are still in hot storage: 20260801T020000Z-");
    assertThat(run.err()).doesNotContain("P11 not kept");
  }

  @Test
  void aBackupAlsoCopiedOutsideTheAllowedRegionsBreaksP1() throws Exception {
    Path broken = copy("region");
    Path virginia = broken.resolve("elsewhere");
    BackupStore usEast = new RegionStore(FileStore.at(virginia), "s3://zaltek-copies/pledge?region=us-east-1", "us-east-1");
    List<BackupStore> stores = List.of(FileStore.at(broken.resolve("stores/london")), FileStore.at(broken.resolve("stores/dublin")),
        usEast);
    // an engine set up with a wrong hosting rule (the policy's would have refused the copy before any byte left)
    BackupEngine engine = BackupEngine.builder(LocalKeyWrapper.load(broken.resolve("backup.key")))
        .hosting(new HostingPolicy(List.of("eu-west-2", "eu-west-1", "us-east-1"), null, null))
        .clock(Clock.fixed(Instant.parse("2026-12-03T09:58:00Z"), ZoneOffset.UTC)).auditTrail(AuditTrail.inMemory()).build();
    engine.backup(DirectorySource.of(broken.resolve("data/shop/production")), Scope.of("shop", "production"), stores);

    CliRun run = report(broken);

    assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(1);
    assertThat(run.err()).contains("P1 not kept: 1 locations are outside eu-west-2, eu-west-1: a stored backup was also"
        + " written to s3://zaltek-copies/pledge?region=us-east-1 in us-east-1");
  }

  /** A folder store that says it is an S3 bucket in {@code region}: what a manifest records of a copy there. */
  private record RegionStore(FileStore files, String location, String bucketRegion) implements BackupStore {
    @Override
    public java.util.Optional<String> region() {
      return java.util.Optional.of(bucketRegion);
    }

    @Override
    public PendingObject create(String key) throws java.io.IOException {
      return files.create(key);
    }

    @Override
    public void put(String key, byte[] bytes) throws java.io.IOException {
      files.put(key, bytes);
    }

    @Override
    public java.io.InputStream open(String key) throws java.io.IOException {
      return files.open(key);
    }

    @Override
    public List<String> list(String prefix) throws java.io.IOException {
      return files.list(prefix);
    }

    @Override
    public void delete(String key) throws java.io.IOException {
      files.delete(key);
    }

    @Override
    public int cleanUpIncomplete() throws java.io.IOException {
      return files.cleanUpIncomplete();
    }
  }
}
