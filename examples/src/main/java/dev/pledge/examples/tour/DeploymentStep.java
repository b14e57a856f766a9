package dev.pledge.examples.tour;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import dev.pledge.backup.BackupEngine;
import dev.pledge.backup.BackupPolicy;
import dev.pledge.backup.schedule.BackupScheduler;
import dev.pledge.backup.schedule.PolicySchedules;
import dev.pledge.core.lock.SlotLock;
import dev.pledge.backup.schedule.Schedule;
import dev.pledge.backup.source.DirectorySource;
import dev.pledge.backup.store.BackupStore;
import dev.pledge.backup.store.FileStore;
import dev.pledge.backup.crypto.LocalKeyWrapper;
import dev.pledge.core.Scope;
import dev.pledge.core.policy.HostingPolicy;
import dev.pledge.core.policy.PolicyDocument;
import dev.pledge.core.policy.PolicyLoader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The small deployment the report judges: the policy rewritten to name two local file stores and a
 * master key in the working folder ({@code DIR/policy.yaml}), and the policy's own backup schedules
 * run through the real scheduler and engine for the hour before "now", one tick a minute, each slot
 * backing up its site environment's data into both stores. The report then reads those stores, not
 * this step's word.
 */
final class DeploymentStep implements TourStep {
  /** How long the deployment has run when the report judges it. */
  static final Duration RUNNING = Duration.ofHours(1);

  @Override
  public List<Integer> promises() {
    return List.of(6, 7, 8, 10);
  }

  @Override
  public String tag() {
    return "deployment";
  }

  @Override
  public void run(TourContext ctx) throws Exception {
    Path dir = ctx.dir();
    Files.writeString(dir.resolve("policy.yaml"), deploymentPolicy(ctx.policyText(), "file:stores/london", "file:stores/dublin"),
        StandardCharsets.UTF_8);
    PolicyDocument deployed = PolicyLoader.create().load(dir.resolve("policy.yaml"));
    BackupPolicy backups = deployed.require(BackupPolicy.class);
    LocalKeyWrapper key = LocalKeyWrapper.generate(dir.resolve(backups.key().file()));
    List<BackupStore> stores = List.of(FileStore.at(dir.resolve("stores/london")), FileStore.at(dir.resolve("stores/dublin")));
    BackupEngine engine = BackupEngine.builder(key).clock(ctx.clock()).auditTrail(ctx.audit()).actor("scheduler")
        .hosting(deployed.section(HostingPolicy.class).orElse(HostingPolicy.defaults()))
        .compressionLevel(backups.compressionLevel()).build();

    Instant end = ctx.start();
    Instant begin = end.minus(RUNNING);
    ctx.clock().set(begin);
    AtomicInteger made = new AtomicInteger();
    // One node here, so the in-memory lock, named; jobs on the ticking thread so the hour is deterministic.
    BackupScheduler scheduler = BackupScheduler.builder("tour").clock(ctx.clock()).lock(SlotLock.inMemory())
        .audit(ctx.audit()).executor(Runnable::run).build();
    // each manifest names its schedule, so a schedule is fresh by its own backups only
    List<Schedule> schedules = PolicySchedules.registerEach(scheduler, backups, schedule -> (sc, slot) -> {
      engine.backup(DirectorySource.of(data(dir, sc)), sc, stores, null, null, schedule.name());
      made.incrementAndGet();
    });
    for (Instant t = begin; !t.isAfter(end); t = t.plus(Duration.ofMinutes(1))) {
      ctx.clock().set(t);
      scheduler.tick();
    }
    ctx.say(tag(), "the policy's " + schedules.size() + " schedules ran through the scheduler and the backup engine for the"
        + " hour before now: " + made.get() + " encrypted backups, each in " + stores.size() + " local stores (stores/london,"
        + " stores/dublin stand in for the policy's S3 buckets); the deployment's policy is " + dir.resolve("policy.yaml"));
  }

  /** The sample data of one site environment, made on first use. */
  private static Path data(Path dir, Scope scope) throws IOException {
    Path d = dir.resolve("data").resolve(scope.site().toString()).resolve(scope.environment().toString());
    if (!Files.exists(d)) {
      Files.createDirectories(d);
      Files.writeString(d.resolve("orders.csv"), "id,total\n1,19.99\n2,5.00\n", StandardCharsets.UTF_8);
    }
    return d;
  }

  /**
   * The policy's own text with {@code backups.locations} naming {@code locations}, the master key a
   * file beside it and the audit trail the tour wrote ({@code audit.jsonl}); every other section as written.
   */
  static String deploymentPolicy(String text, String... locations) throws IOException {
    ObjectMapper yaml = new ObjectMapper(YAMLFactory.builder().disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
        .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES).build());
    ObjectNode root = (ObjectNode) yaml.readTree(text);
    ObjectNode b = root.has("backups") ? (ObjectNode) root.get("backups") : root.putObject("backups");
    var list = b.putArray("locations");
    for (String l : locations) {
      list.add(l);
    }
    b.putObject("key").put("kind", "LOCAL").put("file", "backup.key");
    // A new deployment takes its first daily backups when it starts, rather than at the next night's
    // slot: said in its policy, since by default a daily job does not fire at first start.
    if (b.get("schedules") instanceof com.fasterxml.jackson.databind.node.ArrayNode schedules) {
      for (var entry : schedules) {
        if (entry.has("daily") && !entry.has("missedRun") && entry instanceof ObjectNode o) {
          o.put("missedRun", "RUN_ONCE_AT_FIRST_START");
        }
      }
    }
    // The trail the tour's components wrote (hash-chained JSON Lines beside this file).
    root.putObject("audit").put("store", "file:audit.jsonl");
    // The access store and breach journal the tour's access and breach steps kept.
    if (root.has("access")) {
      ((ObjectNode) root.get("access")).put("store", "file:" + AccessStep.STORE);
    }
    if (root.has("breach")) {
      ((ObjectNode) root.get("breach")).put("journal", "file:" + BreachStep.JOURNAL);
    }
    // The SLA history the tour's SLA clocks, triage, probes and monthly reports were recorded in (P2, P3, P33-P37).
    root.putObject("slaHistory").put("store", ProbesStep.STORE);
    return "# The tour's deployment: the policy it ran on, with its backups in local stores beside this file.\n"
        + "# Judge it again with: pledge report --policy " + "<this file>\n" + yaml.writeValueAsString(root);
  }
}
