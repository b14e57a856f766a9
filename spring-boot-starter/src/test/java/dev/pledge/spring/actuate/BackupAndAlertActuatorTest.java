package dev.pledge.spring.actuate;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.pledge.backup.BackupEngine;
import dev.pledge.backup.BackupManifest;
import dev.pledge.backup.BackupPolicy;
import dev.pledge.backup.crypto.LocalKeyWrapper;
import dev.pledge.backup.schedule.BackupFreshness;
import dev.pledge.backup.schedule.BackupScheduler;
import dev.pledge.backup.schedule.PolicySchedules;
import dev.pledge.core.lock.SlotLock;
import dev.pledge.backup.source.DirectorySource;
import dev.pledge.backup.store.FileStore;
import dev.pledge.core.Scope;
import dev.pledge.core.Secret;
import dev.pledge.core.audit.AuditTrail;
import dev.pledge.core.policy.PolicyDocument;
import dev.pledge.core.time.MutableClock;
import dev.pledge.core.notify.Notifier;
import dev.pledge.core.notify.RecordingNotifier;
import dev.pledge.sla.clock.BusinessCalendar;
import dev.pledge.sla.notify.AlertRouter;
import dev.pledge.sla.notify.AlertRouting;
import dev.pledge.sla.notify.DeliveryPolicy;
import dev.pledge.sla.oncall.Engineer;
import dev.pledge.sla.oncall.OnCallSchedule;
import dev.pledge.sla.oncall.WeeklyRotation;
import dev.pledge.sla.severity.Classification;
import dev.pledge.sla.severity.Tier;
import dev.pledge.sla.notify.SlackNotifier;
import dev.pledge.spring.boot.autoconfigure.PledgeActuatorAutoConfiguration;
import dev.pledge.spring.boot.autoconfigure.PledgeAutoConfiguration;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.Status;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The backup health indicator and the backup and alert meters in a Spring context, on real beans: a
 * policy with a {@code backups} section naming a file store and a master key, real encrypted backups
 * made by the application's {@link BackupScheduler} through the engine, and its alerts posted by a real
 * {@link SlackNotifier} to a local HTTP stand-in for Slack. Time is the application's fake clock.
 */
class BackupAndAlertActuatorTest {
  private static final Scope PORTAL = Scope.of("portal", "production");
  private static final String SHOP_ROLLING = "shop/production/every-PT5M";
  private static final String SHOP_DAILY = "shop/production/daily-02:30-Europe/London";
  private static final String PORTAL_ROLLING = "portal/production/every-PT5M";

  static Path dir;
  static MutableClock clock;
  static String slackUrl;

  @TempDir Path tmp;
  private HttpServer slack;
  private final ConcurrentLinkedQueue<Integer> answers = new ConcurrentLinkedQueue<>();
  private final List<String> posted = new CopyOnWriteArrayList<>();

  @BeforeEach
  void setUp() throws Exception {
    dir = tmp;
    clock = MutableClock.at("2026-11-02T02:30:00Z"); // 02:30 in London (GMT)
    slack = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    slack.createContext("/", exchange -> {
      posted.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
      Integer code = answers.poll();
      int status = code == null ? 200 : code;
      byte[] body = (status == 200 ? "ok" : "internal_error").getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(status, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    slack.start();
    slackUrl = "http://127.0.0.1:" + slack.getAddress().getPort() + "/services/T1/B1/x";
    Files.writeString(dir.resolve("policy.yaml"), """
        backups:
          locations: [file:stores/london]
          minimumLocations: 1
          key: {kind: LOCAL, file: backup.key}
          schedules:
            - {site: shop, environment: production, every: 5m}
            - {site: shop, environment: production, daily: {at: "02:30", zone: Europe/London}}
            - {site: portal, environment: production, every: 5m}
        """);
    LocalKeyWrapper.generate(dir.resolve("backup.key"));
    Files.createDirectories(dir.resolve("data"));
    Files.writeString(dir.resolve("data/orders.csv"), "id,total\n1,19.99\n");
  }

  @AfterEach
  void tearDown() {
    slack.stop(0);
  }

  /** The application: its clock, its Slack notifier, and its scheduler running the policy's schedules. */
  @Configuration(proxyBeanMethods = false)
  static class App {
    @Bean
    Clock clock() {
      return clock;
    }

    @Bean
    SlackNotifier opsSlack() {
      return SlackNotifier.builder().webhook("ops", Secret.ofUtf8(slackUrl))
          .policy(DeliveryPolicy.builder().maxAttempts(1).dedupWindow(Duration.ofHours(1)).build()).clock(clock)
          .build();
    }

    @Bean
    BackupEngine backupEngine() {
      return engine();
    }

    /**
     * Shop's backups go through the engine (each taking 3 s by the clock), each manifest naming its
     * schedule; portal's database is down.
     */
    @Bean
    BackupScheduler backupScheduler(PolicyDocument policy, SlackNotifier slack, BackupEngine engine) {
      FileStore store = FileStore.builder(dir.resolve("stores/london")).clock(clock).build();
      BackupScheduler s = BackupScheduler.builder("node-a").clock(clock).lock(SlotLock.inMemory())
          .audit(AuditTrail.inMemory()).executor(Runnable::run).notifier(slack)
          .retries(1, Duration.ofMinutes(1), 2.0).build();
      PolicySchedules.registerEach(s, policy.require(BackupPolicy.class), schedule -> (sc, slot) -> {
        if (sc.equals(PORTAL)) {
          throw new IllegalStateException("portal database unreachable");
        }
        engine.backup(DirectorySource.of(dir.resolve("data")), sc, List.of(store), null, null, schedule.name());
        clock.advance(Duration.ofSeconds(3));
      });
      return s;
    }
  }

  static BackupEngine engine() {
    return BackupEngine.builder(LocalKeyWrapper.load(dir.resolve("backup.key"))).clock(clock)
        .auditTrail(AuditTrail.discarding()).build();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> schedule(Health health, String name) {
    return (Map<String, Object>) ((Map<String, Object>) health.getDetails().get("schedules")).get(name);
  }

  @Test
  void healthAndMetersFollowTheBackupsInTheStoresAndTheAlertsSent() {
    new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(PledgeAutoConfiguration.class, PledgeActuatorAutoConfiguration.class))
        .withUserConfiguration(App.class)
        .withPropertyValues("pledge.policy=" + dir.resolve("policy.yaml"))
        .run(context -> {
          assertThat(context).hasNotFailed().hasSingleBean(BackupFreshness.class)
              .hasSingleBean(BackupFreshnessHealthIndicator.class).hasSingleBean(PledgeBackupMeters.class)
              .hasSingleBean(PledgeAlertMeters.class).hasSingleBean(PledgeMeters.class);
          SimpleMeterRegistry registry = new SimpleMeterRegistry();
          context.getBean(PledgeBackupMeters.class).bindTo(registry);
          context.getBean(PledgeAlertMeters.class).bindTo(registry);
          BackupFreshnessHealthIndicator indicator = context.getBean(BackupFreshnessHealthIndicator.class);

          // nothing in the store yet: every schedule is stale
          Health empty = indicator.health();
          assertThat(empty.getStatus()).isEqualTo(Status.DOWN);
          assertThat(schedule(empty, SHOP_ROLLING)).containsEntry("fresh", false).containsEntry("newest", "none");
          assertThat(registry.get("pledge.backup.newest.bytes").tag("schedule", SHOP_ROLLING).gauge().value()).isNaN();

          BackupScheduler scheduler = context.getBean(BackupScheduler.class);
          scheduler.tick(); // 02:30: shop's two schedules back up, portal's fails and is alerted
          clock.set(Instant.parse("2026-11-02T02:35:00Z"));
          scheduler.tick(); // 02:35: shop again; portal fails again, its repeat alert suppressed
          assertThat(registry.get("pledge.backup.runs").tag("schedule", SHOP_ROLLING).tag("outcome", "success")
              .counter().count()).isEqualTo(2);
          assertThat(registry.get("pledge.backup.runs").tag("schedule", SHOP_DAILY).tag("outcome", "success")
              .counter().count()).isEqualTo(1);
          var duration = registry.get("pledge.backup.duration").tag("schedule", SHOP_ROLLING).tag("outcome", "success")
              .timer();
          assertThat(duration.count()).isEqualTo(2);
          assertThat(duration.totalTime(TimeUnit.SECONDS)).isEqualTo(6.0);
          assertThat(registry.get("pledge.backup.runs").tag("schedule", PORTAL_ROLLING).tag("outcome", "failure")
              .counter().count()).isEqualTo(2);
          assertThat(registry.get("pledge.backup.failures").tag("schedule", PORTAL_ROLLING).counter().count())
              .isEqualTo(2);
          assertThat(posted).hasSize(1).first().asString().contains("portal database unreachable");
          assertThat(alerts(registry, "sent")).isEqualTo(1);
          assertThat(alerts(registry, "suppressed")).isEqualTo(1);

          // an hour on, the repeat is due again, and Slack answers 500: failed
          answers.add(500);
          clock.set(Instant.parse("2026-11-02T03:40:00Z"));
          scheduler.tick();
          assertThat(alerts(registry, "failed")).isEqualTo(1);
          assertThat(posted).hasSize(2);

          // the stores now hold shop's backups, the newest finished at 03:40:00; portal has none
          clock.set(Instant.parse("2026-11-02T03:42:03Z"));
          Health later = indicator.health();
          assertThat(later.getStatus()).isEqualTo(Status.DOWN);
          assertThat(schedule(later, SHOP_ROLLING)).containsEntry("fresh", true)
              .containsEntry("newest", "2026-11-02T03:40:00Z").containsEntry("age", "PT2M3S")
              .containsEntry("allowed", "PT15M");
          assertThat(schedule(later, SHOP_DAILY)).containsEntry("fresh", true).containsEntry("allowed", "PT24H10M");
          assertThat((String) schedule(later, SHOP_DAILY).get("newest"))
              .as("the daily schedule's own backup of 02:30, not the rolling one of 03:40").startsWith("2026-11-02T02:30:0");
          assertThat(schedule(later, PORTAL_ROLLING)).containsEntry("fresh", false).containsEntry("newest", "none");
          BackupManifest newest = engine().listAuthenticated(FileStore.at(dir.resolve("stores/london")),
              Scope.of("shop", "production")).stream().max(java.util.Comparator.comparing(BackupManifest::finishedAt))
              .orElseThrow();
          assertThat(registry.get("pledge.backup.newest.bytes").tag("schedule", SHOP_ROLLING).gauge().value())
              .isEqualTo((double) newest.storedBytes());
          // every backup the engine wrote, by its schedule: three rolling ones (02:30, 02:35, 03:40), one daily
          var rollingBytes = registry.get("pledge.backup.bytes").tag("schedule", SHOP_ROLLING).tag("site", "shop")
              .tag("environment", "production").summary();
          assertThat(rollingBytes.count()).isEqualTo(3);
          assertThat(rollingBytes.totalAmount()).isEqualTo(3.0 * newest.storedBytes());
          assertThat(registry.get("pledge.backup.bytes").tag("schedule", SHOP_DAILY).summary().count()).isEqualTo(1);
          assertThat(registry.get("pledge.backup.plaintext.bytes").tag("schedule", SHOP_ROLLING).summary().max())
              .isEqualTo((double) newest.plaintextBytes());
          assertThat(registry.get("pledge.backup.operations").tag("operation", "backup").tag("outcome", "success")
              .tag("schedule", SHOP_ROLLING).timer().count()).isEqualTo(3);
          assertThat(registry.get("pledge.backup.age").tag("schedule", SHOP_ROLLING).gauge().value()).isEqualTo(123.0);

          // portal's database is back and backed up by hand: once the last reading is a minute old, all fresh
          BackupEngine engine = context.getBean(BackupEngine.class);
          BackupManifest byHand = engine.backup(DirectorySource.of(dir.resolve("data")), PORTAL,
              List.of(FileStore.at(dir.resolve("stores/london"))));
          assertThat(registry.get("pledge.backup.bytes").tag("schedule", "none").tag("site", "portal").summary()
              .count()).isEqualTo(1);
          assertThat(engine.verify(FileStore.at(dir.resolve("stores/london")), byHand.id()).ok()).isTrue();
          assertThat(registry.get("pledge.backup.operations").tag("operation", "verify").tag("outcome", "success")
              .tag("site", "portal").timer().count()).isEqualTo(1);
          assertThat(indicator.health().getStatus()).as("the reading is reused for a minute").isEqualTo(Status.DOWN);
          clock.advance(Duration.ofMinutes(2));
          assertThat(indicator.health().getStatus()).isEqualTo(Status.UP);
        });
  }

  @Test
  void aStaleScheduleCanReportACustomStatusAndTheReadingCanBeTurnedOff() {
    ApplicationContextRunner runner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(PledgeAutoConfiguration.class, PledgeActuatorAutoConfiguration.class))
        .withPropertyValues("pledge.policy=" + dir.resolve("policy.yaml"));
    runner.withPropertyValues("pledge.health.backup-stale-status=BACKUPS_STALE").run(context ->
        assertThat(context.getBean(BackupFreshnessHealthIndicator.class).health().getStatus().getCode())
            .isEqualTo("BACKUPS_STALE"));
    runner.withPropertyValues("pledge.backup.enabled=false").run(context ->
        assertThat(context).hasNotFailed().doesNotHaveBean(BackupFreshness.class)
            .doesNotHaveBean(BackupFreshnessHealthIndicator.class));
  }

  @Test
  void aMissingMasterKeyStopsTheStartSayingWhereItWasLookedFor() throws Exception {
    Files.delete(dir.resolve("backup.key"));
    new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(PledgeAutoConfiguration.class, PledgeActuatorAutoConfiguration.class))
        .withPropertyValues("pledge.policy=" + dir.resolve("policy.yaml"))
        .run(context -> assertThat(context).getFailure()
            .hasStackTraceContaining("backups.key, read from " + dir)
            .hasStackTraceContaining("pledge.backup.enabled=false"));
  }

  @Test
  void thePolicysAuditSectionIsTheTrailBeanAndWhatItRecordsIsOnDisk() throws Exception {
    Path audit = dir.resolve("audit.jsonl");
    Files.writeString(dir.resolve("audited.yaml"), "audit:\n  store: file:" + audit + "\n");
    new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(PledgeAutoConfiguration.class))
        .withPropertyValues("pledge.policy=" + dir.resolve("audited.yaml"))
        .run(context -> {
          AuditTrail trail = context.getBean(AuditTrail.class);
          trail.record(new dev.pledge.core.audit.AuditRecord(clock.instant(), "alice", "access.grant", "shop-db",
              dev.pledge.core.audit.AuditOutcome.SUCCESS, null, Map.of()));
          assertThat(trail.records()).singleElement().satisfies(r -> assertThat(r.actor()).isEqualTo("alice"));
        });
    assertThat(Files.readString(audit)).contains("\"access.grant\"").contains("\"alice\"");
  }

  /** An application that routes alerts: its router pages by SMS through its own notifier and posts to Slack. */
  @Configuration(proxyBeanMethods = false)
  static class Paging {
    static final RecordingNotifier TEXTS = Notifier.recording();

    @Bean
    Clock clock() {
      return clock;
    }

    @Bean
    SlackNotifier opsSlack() {
      return SlackNotifier.builder().webhook("#ops-urgent", Secret.ofUtf8(slackUrl))
          .policy(DeliveryPolicy.builder().maxAttempts(1).dedupWindow(Duration.ofHours(1)).build()).clock(clock)
          .build();
    }

    @Bean
    AlertRouter alertRouter(SlackNotifier slack) {
      ZoneId london = ZoneId.of("Europe/London");
      OnCallSchedule schedule = OnCallSchedule.of(List.of(new Engineer("alice", "Alice", true)),
          BusinessCalendar.businessHours(london, EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.FRIDAY), LocalTime.of(9, 0),
              LocalTime.of(17, 30), List.of()),
          List.of(new WeeklyRotation("ops", london, DayOfWeek.MONDAY, LocalTime.of(9, 0), LocalDate.of(2026, 10, 26),
              List.of("alice"))), List.of());
      return AlertRouter.builder(schedule, new AlertRouting("#ops-urgent", Map.of())).slack(slack).sms(TEXTS)
          .clock(clock).build();
    }
  }

  @Test
  void anAlertRouterIsCountedWhicheverNotifiersItSendsThrough() {
    new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(PledgeAutoConfiguration.class, PledgeActuatorAutoConfiguration.class))
        .withUserConfiguration(Paging.class)
        .withPropertyValues("pledge.policy=" + dir.resolve("policy.yaml"))
        .run(context -> {
          SimpleMeterRegistry registry = new SimpleMeterRegistry();
          context.getBean(PledgeAlertMeters.class).bindTo(registry);
          AlertRouter router = context.getBean(AlertRouter.class);
          Classification gold = new Classification(Tier.of(1, "Gold", Duration.ofHours(2)), List.of(), true);
          router.reported("R-1", gold, "shop down"); // 02:30 on a Monday: out of hours, alice is paged
          router.reported("R-1", gold, "shop down"); // a repeat: Slack suppresses it; the recording SMS does not know how
          answers.add(500);
          router.reported("R-2", gold, "shop down again"); // Slack answers 500

          assertThat(Paging.TEXTS.alerts()).hasSize(3);
          assertThat(routed(registry, "sms", "sent")).isEqualTo(3);
          assertThat(routed(registry, "slack", "sent")).isEqualTo(1);
          assertThat(routed(registry, "slack", "suppressed")).isEqualTo(1);
          assertThat(routed(registry, "slack", "failed")).isEqualTo(1);
          assertThat(routed(registry, "sms", "failed")).isZero();
          // the Slack notifier is a bean too, and counts the same alerts under its own name
          assertThat(alerts(registry, "sent") + alerts(registry, "suppressed") + alerts(registry, "failed"))
              .isEqualTo(3);
        });
  }

  private static double routed(SimpleMeterRegistry registry, String channel, String outcome) {
    return registry.get("pledge.alerts").tag("channel", channel).tag("notifier", "alertRouter").tag("outcome", outcome)
        .counter().count();
  }

  private static double alerts(SimpleMeterRegistry registry, String outcome) {
    return registry.get("pledge.alerts").tag("channel", "slack").tag("notifier", "opsSlack").tag("outcome", outcome)
        .counter().count();
  }
}
