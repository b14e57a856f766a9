package dev.pledge.backup.pitr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pledge.backup.BackupEngine;
import dev.pledge.backup.BackupManifest;
import dev.pledge.backup.BackupPolicy;
import dev.pledge.backup.LogSegment;
import dev.pledge.backup.crypto.LocalKeyWrapper;
import dev.pledge.backup.schedule.BackupScheduler;
import dev.pledge.backup.schedule.PolicySchedules;
import dev.pledge.backup.schedule.Schedule;
import dev.pledge.backup.schedule.ScheduleEvent;
import dev.pledge.backup.schedule.Trigger;
import dev.pledge.backup.source.BackupSource;
import dev.pledge.backup.store.FileStore;
import dev.pledge.core.Scope;
import dev.pledge.core.audit.AuditOutcome;
import dev.pledge.core.audit.AuditTrail;
import dev.pledge.core.audit.InMemoryAuditTrail;
import dev.pledge.core.lock.SlotLock;
import dev.pledge.core.policy.PolicyLoader;
import dev.pledge.core.time.MutableClock;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * P7, P9: the policy's rolling 5-minute schedule ships the WAL spool through {@link
 * PitrArchive#shipJob} on a {@link BackupScheduler} driven by a fake clock, while its daily schedule
 * takes the full backup; what was shipped is planned from the manifests' typed segments.
 */
class LogShippingScheduleTest {
  private static final Scope SHOP = Scope.of("shop", "production");
  private static final Instant T0 = Instant.parse("2026-11-01T02:00:00Z"); // 02:00 in London (GMT)

  @TempDir Path tmp;
  private MutableClock clock;
  private FileStore store;
  private PitrArchive archive;
  private Path spool;
  private BackupScheduler scheduler;
  private InMemoryAuditTrail schedulerAudit;
  private final List<ScheduleEvent> events = new CopyOnWriteArrayList<>();

  @BeforeEach
  void setUp() throws Exception {
    clock = MutableClock.at(T0);
    BackupEngine engine = BackupEngine.builder(LocalKeyWrapper.generate(tmp.resolve("master.key"))).clock(clock).auditTrail(AuditTrail.inMemory()).build();
    store = FileStore.builder(tmp.resolve("store")).clock(clock).build();
    archive = PitrArchive.postgres(engine, store, SHOP);
    spool = Files.createDirectories(tmp.resolve("wal-spool"));
    schedulerAudit = AuditTrail.inMemory();
    scheduler = BackupScheduler.builder("node-a").clock(clock).lock(SlotLock.inMemory()).audit(schedulerAudit)
        .executor(Runnable::run).build();
    scheduler.onEvent(events::add);
    BackupPolicy policy;
    try (InputStream in = getClass().getResourceAsStream("/policies/schedules/log-shipping.yaml")) {
      policy = PolicyLoader.create().load("log-shipping.yaml", in).require(BackupPolicy.class);
    }
    List<Schedule> registered = PolicySchedules.registerEach(scheduler, policy, schedule ->
        schedule.trigger() instanceof Trigger.Every
            ? archive.shipJob(spool)
            : (scope, slot) -> archive.backupFull(baseBackup()));
    assertThat(registered).extracting(Schedule::name)
        .containsExactly("shop/production/daily-02:00-Europe/London", "shop/production/every-PT5M");
  }

  /** Stands in for pg_basebackup's tar: the archive only needs a full backup of its kind to plan from. */
  private static BackupSource baseBackup() {
    return new BackupSource() {
      @Override public String kind() { return PostgresBaseBackup.KIND; }
      @Override public String description() { return "base backup of shop"; }
      @Override public void writeTo(OutputStream out) throws IOException { out.write("base".getBytes(StandardCharsets.UTF_8)); }
    };
  }

  /** A WAL segment as archive_command leaves it: its name, its bytes, PostgreSQL's last write as mtime. */
  private Path walArchived(String name, Instant lastWrite) throws IOException {
    Path f = Files.write(spool.resolve(name), ("wal " + name).getBytes(StandardCharsets.UTF_8));
    Files.setLastModifiedTime(f, FileTime.from(lastWrite));
    return f;
  }

  private List<String> shippedSegments() {
    return archive.catalog().stream().filter(e -> e.segment().isPresent()).map(e -> e.segment().get()).toList();
  }

  private List<ScheduleEvent.Kind> eventsOf(String schedule) {
    return events.stream().filter(e -> e.schedule().equals(schedule)).map(ScheduleEvent::kind).toList();
  }

  @Test
  void theRollingScheduleShipsTheSpoolEachSlotAndTheDailyOneTakesTheFullBackup() throws IOException {
    scheduler.tick(); // 02:00: the daily full backup, and a first (empty) shipping run
    assertThat(archive.catalog()).singleElement().satisfies(e -> assertThat(e.segment()).isEmpty());
    String fullId = archive.catalog().get(0).manifest().id();

    walArchived("000000010000000000000001", T0.plus(Duration.ofMinutes(3)));
    clock.set(T0.plus(Duration.ofMinutes(4)));
    scheduler.tick();
    assertThat(shippedSegments()).as("nothing ships between slots").isEmpty();

    clock.set(T0.plus(Duration.ofMinutes(5)));
    scheduler.tick();
    assertThat(shippedSegments()).containsExactly("000000010000000000000001");
    assertThat(spool).isEmptyDirectory();

    walArchived("000000010000000000000002", T0.plus(Duration.ofMinutes(8)));
    walArchived("000000010000000000000003", T0.plus(Duration.ofMinutes(9)).plusSeconds(30));
    clock.set(T0.plus(Duration.ofMinutes(10)).plusSeconds(2));
    scheduler.tick();
    scheduler.tick();
    assertThat(shippedSegments()).containsExactly("000000010000000000000001", "000000010000000000000002",
        "000000010000000000000003");
    assertThat(spool).isEmptyDirectory();

    // each log manifest carries its segment, typed, with the full backup as parent
    List<BackupManifest> logs = archive.catalog().stream().filter(e -> e.segment().isPresent()).map(PitrArchive.Entry::manifest).toList();
    assertThat(logs).extracting(BackupManifest::segment).containsExactly(
        new LogSegment("000000010000000000000001", 1, T0, T0.plus(Duration.ofMinutes(3))),
        new LogSegment("000000010000000000000002", 1, T0.plus(Duration.ofMinutes(3)), T0.plus(Duration.ofMinutes(8))),
        new LogSegment("000000010000000000000003", 1, T0.plus(Duration.ofMinutes(8)), T0.plus(Duration.ofSeconds(570))));
    assertThat(logs).extracting(BackupManifest::parent).containsOnly(fullId);
    assertThat(logs).as("each names the schedule that shipped it, so it keeps only that schedule fresh")
        .extracting(BackupManifest::schedule).containsOnly("shop/production/every-PT5M");

    RestorePlan plan = archive.plan(T0.plus(Duration.ofMinutes(9)));
    assertThat(plan.complete()).isTrue();
    assertThat(plan.base().orElseThrow().id()).isEqualTo(fullId);
    assertThat(plan.logs()).extracting(RecoveryPoint::id).containsExactlyElementsOf(logs.stream().map(BackupManifest::id).toList());
    assertThat(archive.plan(T0.plus(Duration.ofMinutes(12))).complete()).as("not shipped yet: past the last segment").isFalse();

    assertThat(eventsOf("shop/production/every-PT5M")).containsExactly(
        ScheduleEvent.Kind.STARTED, ScheduleEvent.Kind.SUCCEEDED, // 02:00
        ScheduleEvent.Kind.STARTED, ScheduleEvent.Kind.SUCCEEDED, // 02:05
        ScheduleEvent.Kind.STARTED, ScheduleEvent.Kind.SUCCEEDED); // 02:10
    assertThat(eventsOf("shop/production/daily-02:00-Europe/London")).containsExactly(
        ScheduleEvent.Kind.STARTED, ScheduleEvent.Kind.SUCCEEDED);
  }

  @Test
  void aRunThatCannotReadTheSpoolIsRetriedWithBackoffAndShipsWhatWaited() throws IOException {
    scheduler.tick();
    Files.delete(spool); // the spool's mount is gone
    clock.set(T0.plus(Duration.ofMinutes(5)));
    scheduler.tick();
    assertThat(eventsOf("shop/production/every-PT5M")).endsWith(ScheduleEvent.Kind.STARTED, ScheduleEvent.Kind.RETRY_SCHEDULED);
    assertThat(schedulerAudit.records()).filteredOn(r -> r.outcome() == AuditOutcome.FAILURE).singleElement()
        .satisfies(r -> assertThat(r.details().get("error")).contains("cannot list the spool " + spool));

    Files.createDirectories(spool);
    walArchived("000000010000000000000001", T0.plus(Duration.ofMinutes(4)));
    clock.advance(Duration.ofSeconds(59));
    scheduler.tick();
    assertThat(shippedSegments()).as("the backoff (1 min) has not passed").isEmpty();
    clock.advance(Duration.ofSeconds(1));
    scheduler.tick();
    assertThat(shippedSegments()).containsExactly("000000010000000000000001");
    assertThat(eventsOf("shop/production/every-PT5M")).endsWith(ScheduleEvent.Kind.RETRY_SCHEDULED,
        ScheduleEvent.Kind.STARTED, ScheduleEvent.Kind.SUCCEEDED);
  }

  @Test
  void theJobRefusesToShipForAnotherScope() {
    assertThatThrownBy(() -> archive.shipJob(spool).run(Scope.of("portal", "production"), T0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("shop/production").hasMessageContaining("portal/production").hasMessageContaining(spool.toString());
    assertThatThrownBy(() -> archive.shipJob(null)).isInstanceOf(NullPointerException.class).hasMessage("spool");
  }
}
