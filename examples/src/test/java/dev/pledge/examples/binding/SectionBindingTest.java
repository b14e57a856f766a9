package dev.pledge.examples.binding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pledge.backup.BackupEngine;
import dev.pledge.backup.BackupManifest;
import dev.pledge.backup.BackupPolicy;
import dev.pledge.backup.crypto.LocalKeyWrapper;
import dev.pledge.backup.retention.BackupRecord;
import dev.pledge.backup.retention.RetentionPlanner;
import dev.pledge.backup.retention.RetentionPolicy;
import dev.pledge.backup.source.DirectorySource;
import dev.pledge.backup.store.FileStore;
import dev.pledge.core.Scope;
import dev.pledge.core.audit.AuditTrail;
import dev.pledge.core.notify.Notifier;
import dev.pledge.core.notify.RecordingNotifier;
import dev.pledge.core.policy.HostingPolicy;
import dev.pledge.core.policy.OrganisationPolicy;
import dev.pledge.core.policy.PolicyDocument;
import dev.pledge.core.policy.PolicyLoader;
import dev.pledge.core.policy.PolicySectionProvider;
import dev.pledge.core.policy.SectionDescriptor;
import dev.pledge.core.time.ManualTicker;
import dev.pledge.core.time.MutableClock;
import dev.pledge.security.access.AccessBroker;
import dev.pledge.security.access.AccessPolicy;
import dev.pledge.security.breach.BreachPolicy;
import dev.pledge.security.breach.BreachRunbook;
import dev.pledge.security.password.PasswordValidator;
import dev.pledge.security.password.PasswordsPolicy;
import dev.pledge.security.password.PasswordsSection;
import dev.pledge.security.ratelimit.KeyedRateLimiter;
import dev.pledge.security.ratelimit.LoginThrottle;
import dev.pledge.security.ratelimit.LoginThrottlePolicy;
import dev.pledge.security.ratelimit.RateLimiter;
import dev.pledge.security.ratelimit.RateLimitsPolicy;
import dev.pledge.security.totp.LoginGate;
import dev.pledge.security.totp.ReplayGuard;
import dev.pledge.security.totp.Totp;
import dev.pledge.security.totp.TotpSecret;
import dev.pledge.security.totp.TwoFactorPolicy;
import dev.pledge.security.totp.TwoFactorSection;
import dev.pledge.sla.failover.FailoverGroup;
import dev.pledge.sla.failover.FailoverPolicy;
import dev.pledge.sla.history.SlaHistory;
import dev.pledge.sla.history.SlaHistoryPolicy;
import dev.pledge.sla.maintenance.MaintenancePolicy;
import dev.pledge.sla.maintenance.MaintenanceScheduler;
import dev.pledge.sla.notify.AlertRouter;
import dev.pledge.sla.notify.AlertsPolicy;
import dev.pledge.sla.oncall.OnCallPolicy;
import dev.pledge.sla.oncall.OnCallSchedule;
import dev.pledge.sla.severity.Classifier;
import dev.pledge.sla.severity.Report;
import dev.pledge.sla.severity.SlaPolicy;
import dev.pledge.sla.uptime.BurnRateAlerts;
import dev.pledge.sla.uptime.HealthCheck;
import dev.pledge.sla.uptime.UptimeCalculator;
import dev.pledge.sla.uptime.UptimeMonitor;
import dev.pledge.sla.uptime.UptimePolicy;
import dev.pledge.sla.uptime.UptimeStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One way to bind (issue 13 item 4): every section of the bundled policy binds through its
 * component's {@code from(section)}, and through {@code builder(section)} when one thing changes
 * (here: the clock, always a builder setting). A section added to a module without a binding here
 * fails {@link #everySectionAProviderDeclaresHasABinding()}; a section type that does not end with
 * {@code Policy} fails {@link #everySectionTypeEndsWithPolicyAndEveryFormerTypeIsDeprecatedForRemoval()}.
 */
class SectionBindingTest {
  private static final Instant NOW = Instant.parse("2026-11-04T10:15:00Z");
  private final MutableClock clock = MutableClock.at(NOW.toString());
  private final PolicyDocument doc = bundled();
  @TempDir Path dir;

  private static PolicyDocument bundled() {
    try (InputStream in = SectionBindingTest.class.getResourceAsStream("/policy.yaml")) {
      return PolicyLoader.create().load("bundled:policy.yaml", in);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** For each section name, how a component is bound from it, with a clock changed through the builder. */
  private Map<String, Function<PolicyDocument, Object>> bindings() throws IOException {
    Map<String, Function<PolicyDocument, Object>> b = new LinkedHashMap<>();
    RecordingNotifier notifier = Notifier.recording();
    // sections of plain values that other components' builders take
    b.put("organisation", d -> d.require(OrganisationPolicy.class));
    b.put("hosting", d -> d.require(HostingPolicy.class));
    b.put("audit", d -> d.section(dev.pledge.core.audit.AuditPolicy.class).map(AuditTrail::from).orElse(null));
    b.put("passwords", d -> PasswordValidator.builder(d.require(PasswordsPolicy.class)).clock(clock).build());
    b.put("twoFactor", d -> Totp.builder(d.require(TwoFactorPolicy.class)).replayGuard(ReplayGuard.inMemory())
        .clock(clock).build());
    b.put("rateLimits", d -> RateLimiter.builder(d.require(RateLimitsPolicy.class), "api").clock(clock).build());
    b.put("loginThrottle", d -> LoginThrottle.builder(d.require(LoginThrottlePolicy.class)).clock(clock).build());
    b.put("access", d -> AccessBroker.builder(d.require(AccessPolicy.class)).clock(clock).audit(AuditTrail.inMemory()).build());
    b.put("breach", d -> BreachRunbook.builder(d.require(BreachPolicy.class)).clock(clock).audit(AuditTrail.inMemory()).build());
    Path key = dir.resolve("backup.key");
    if (!Files.exists(key)) {
      LocalKeyWrapper.generate(key);
    }
    b.put("backups", d -> BackupEngine.builder(d.require(BackupPolicy.class)).baseDirectory(dir)
        .keyWrapper(LocalKeyWrapper.load(key))
        .locations(List.of(FileStore.at(dir.resolve("london")), FileStore.at(dir.resolve("dublin"))))
        .hosting(d.require(HostingPolicy.class)).clock(clock).auditTrail(AuditTrail.inMemory()).build());
    b.put("retention", d -> RetentionPlanner.builder(d.require(RetentionPolicy.class)).clock(clock).build());
    b.put("sla", d -> Classifier.from(d.require(SlaPolicy.class)));
    b.put("slaHistory", d -> SlaHistory.from(d.require(SlaHistoryPolicy.class)));
    b.put("uptime", d -> UptimeMonitor.builder(d.require(UptimePolicy.class)).clock(clock)
        .store(UptimeStore.jsonLines(dir.resolve("uptime.jsonl"))).notifier(notifier).build());
    b.put("maintenance", d -> MaintenanceScheduler.builder(d.require(MaintenancePolicy.class)).clock(clock)
        .notifier(notifier).build());
    b.put("failover", d -> {
      FailoverPolicy failover = d.require(FailoverPolicy.class);
      return FailoverGroup.builder(failover, failover.groups().get(0).name()).primaryHealth(() -> HealthCheck.Result.up("200"))
          .clock(clock).notifier(notifier).destination("#ops").build();
    });
    b.put("oncall", d -> OnCallSchedule.from(d.require(OnCallPolicy.class)));
    b.put("alerts", d -> AlertRouter.builder(d.require(AlertsPolicy.class), OnCallSchedule.from(d.require(OnCallPolicy.class)))
        .slack(notifier).sms(notifier).clock(clock).build());
    return b;
  }

  @Test
  void everySectionAProviderDeclaresHasABinding() throws IOException {
    assertThat(bindings().keySet()).containsExactlyInAnyOrderElementsOf(PolicyLoader.create().sectionNames());
    assertThat(PolicyLoader.create().sectionNames()).containsAll(doc.sectionNames());
  }

  @Test
  @SuppressWarnings("removal") // the former types are named to check that they are on their way out
  void everySectionTypeEndsWithPolicyAndEveryFormerTypeIsDeprecatedForRemoval() {
    List<SectionDescriptor<?>> sections = new ArrayList<>();
    ServiceLoader.load(PolicySectionProvider.class).forEach(p -> sections.addAll(p.sections()));

    assertThat(sections).extracting(SectionDescriptor::name)
        .containsExactlyInAnyOrderElementsOf(PolicyLoader.create().sectionNames());
    assertThat(sections).allSatisfy(d -> assertThat(d.type().getSimpleName()).as(d.name()).endsWith("Policy"));
    assertThat(sections).flatExtracting(d -> List.copyOf(d.formerTypes().keySet()))
        .containsExactlyInAnyOrder(PasswordsSection.class, TwoFactorSection.class)
        .allSatisfy(t -> assertThat(t.getAnnotation(Deprecated.class).forRemoval()).as(t.getName()).isTrue());
    // a host written against a former type still gets the section, converted
    assertThat(doc.require(PasswordsSection.class).toPolicy()).isEqualTo(doc.require(PasswordsPolicy.class));
    assertThat(doc.require(TwoFactorSection.class).toPolicy()).isEqualTo(doc.require(TwoFactorPolicy.class));
  }

  @Test
  void everySectionOfTheBundledPolicyBindsThroughItsBuilder() throws IOException {
    Map<String, Function<PolicyDocument, Object>> bindings = bindings();
    for (String name : doc.sectionNames()) {
      assertThat(bindings.get(name).apply(doc)).as(name).isNotNull();
    }
  }

  @Test
  void fromBindsTheSectionAsWritten() {
    assertThat(PasswordValidator.from(doc.require(PasswordsPolicy.class)).validate("short").valid()).isFalse();
    assertThat(LoginGate.from(doc.require(TwoFactorPolicy.class))
        .decide(true, false, false)).isEqualTo(LoginGate.Decision.ENROLMENT_REQUIRED);
    RateLimitsPolicy limits = doc.require(RateLimitsPolicy.class);
    assertThat(RateLimiter.from(limits, "api").limits()).isEqualTo(limits.limit("api"));
    assertThat(KeyedRateLimiter.from(limits, "api").limits()).isEqualTo(limits.limit("api"));
    assertThatThrownBy(() -> RateLimiter.from(limits, "nope")).hasMessageContaining("rateLimits has no limit named 'nope'");
    assertThat(LoginThrottle.from(doc.require(LoginThrottlePolicy.class)).keys()).isNotNull();
    assertThat(RetentionPlanner.from(doc.require(RetentionPolicy.class)).rules())
        .isEqualTo(doc.require(RetentionPolicy.class).rules());
    assertThat(Classifier.from(doc.require(SlaPolicy.class)).classify(Report.of("checkout is down")).tier().rank()).isEqualTo(1);
    UptimeCalculator calc = UptimeCalculator.from(doc.require(UptimePolicy.class), doc.require(MaintenancePolicy.class));
    assertThat(calc.target()).isEqualTo(doc.require(UptimePolicy.class).target());
    assertThat(calc.toBuilder().build().target()).isEqualTo(calc.target());
    assertThat(OnCallSchedule.from(doc.require(OnCallPolicy.class)).onCall(NOW)).isPresent();
    // components that audit take the trail beside the section: the policy's, shared by all of them
    AuditTrail trail = AuditTrail.inMemory();
    assertThat(AccessBroker.from(doc.require(AccessPolicy.class), trail).policy()).isEqualTo(doc.require(AccessPolicy.class));
    assertThat(BreachRunbook.from(doc.require(BreachPolicy.class), trail).journal()).isNotNull();
    assertThat(BurnRateAlerts.from(doc.require(UptimePolicy.class), Notifier.recording()).enabled())
        .isEqualTo(doc.require(UptimePolicy.class).burnRateAlerts());
    // the bundled backups section names S3 buckets and a key file next to the process: refused with the field named
    assertThatThrownBy(() -> BackupEngine.builder(doc.require(BackupPolicy.class)).baseDirectory(dir.resolve("nowhere")).auditTrail(AuditTrail.inMemory()).build())
        .hasMessageStartingWith("backups.key.file: ");
  }

  @Test
  void theClockIsABuilderSettingThatTheBoundComponentReads() throws IOException {
    Totp totp = (Totp) bindings().get("twoFactor").apply(doc);
    TotpSecret secret = TotpSecret.generate();
    assertThat(totp.code(secret)).isEqualTo(totp.code(secret, NOW));

    BackupEngine engine = (BackupEngine) bindings().get("backups").apply(doc);
    Files.createDirectories(dir.resolve("data"));
    Files.writeString(dir.resolve("data/a.txt"), "a");
    BackupManifest m = engine.backup(DirectorySource.of(dir.resolve("data")), Scope.of("shop", "production"));
    assertThat(m.startedAt()).isEqualTo(NOW);
    assertThat(m.locations()).hasSize(doc.require(BackupPolicy.class).minimumLocations());

    RetentionPlanner planner = (RetentionPlanner) bindings().get("retention").apply(doc);
    assertThat(planner.plan(List.of(BackupRecord.of("b1", NOW.minus(Duration.ofHours(1))))).keep()).hasSize(1);

    KeyedRateLimiter<String> keyed = KeyedRateLimiter.<String>builder(doc.require(RateLimitsPolicy.class), "api")
        .ticker(ManualTicker.create()).build();
    assertThat(keyed.tryAcquire("ada")).isTrue();
  }

  @Test
  void toBuilderRoundTripsEveryBoundComponentAndChangesOnlyWhatIsSet() throws Exception {
    Map<String, Function<PolicyDocument, Object>> bindings = bindings();
    MutableClock later = MutableClock.at("2027-01-01T00:00:00Z");

    RateLimiter limiter = (RateLimiter) bindings.get("rateLimits").apply(doc);
    assertThat(limiter.toBuilder().build().limits()).isEqualTo(limiter.limits());
    assertThat(limiter.toBuilder().build().name()).isEqualTo(limiter.name());
    KeyedRateLimiter<String> keyed = KeyedRateLimiter.from(doc.require(RateLimitsPolicy.class), "api");
    assertThat(keyed.toBuilder().build().limits()).isEqualTo(keyed.limits());

    Totp totp = (Totp) bindings.get("twoFactor").apply(doc);
    TotpSecret secret = TotpSecret.generate();
    assertThat(totp.toBuilder().build().config()).isEqualTo(totp.config());
    assertThat(totp.toBuilder().build().code(secret)).isEqualTo(totp.code(secret, NOW));
    assertThat(totp.toBuilder().clock(later).build().code(secret)).isEqualTo(totp.code(secret, later.instant()));

    PasswordValidator validator = (PasswordValidator) bindings.get("passwords").apply(doc);
    PasswordValidator copy = validator.toBuilder().build();
    assertThat(copy.policy()).isEqualTo(validator.policy());
    for (String candidate : List.of("short", "password123456", "correct horse battery staple 1917")) {
      assertThat(copy.validate(candidate).violations()).as(candidate).isEqualTo(validator.validate(candidate).violations());
    }

    RetentionPlanner planner = (RetentionPlanner) bindings.get("retention").apply(doc);
    assertThat(planner.toBuilder().build().rules()).isEqualTo(planner.rules());
    assertThat(planner.rules().toBuilder().build()).isEqualTo(planner.rules());
    assertThat(planner.rules().toBuilder().last(1).build().last()).isEqualTo(1);

    UptimeCalculator calc = UptimeCalculator.builder(doc.require(UptimePolicy.class), doc.require(MaintenancePolicy.class)).build();
    assertThat(calc.toBuilder().build().zone()).isEqualTo(calc.zone());

    Report report = Report.builder("checkout is down").siteDown(true).build();
    assertThat(report.toBuilder().build()).isEqualTo(report);

    BackupEngine engine = (BackupEngine) bindings.get("backups").apply(doc);
    BackupEngine again = engine.toBuilder().build();
    assertThat(again.locations()).isEqualTo(engine.locations());
    assertThat(again.minimumLocations()).isEqualTo(engine.minimumLocations());
    assertThat(again.sources()).isEqualTo(engine.sources());

    for (String name : List.of("access", "breach", "loginThrottle", "sla", "uptime", "alerts")) {
      Object bound = bindings.get(name).apply(doc);
      Object builder = bound.getClass().getMethod("toBuilder").invoke(bound);
      Object rebuilt = builder.getClass().getMethod("build").invoke(builder);
      Object twice = rebuilt.getClass().getMethod("toBuilder").invoke(rebuilt);
      assertThat(twice).as(name).usingRecursiveComparison().ignoringFields("given").isEqualTo(builder);
    }

    FailoverGroup<?> group = (FailoverGroup<?>) bindings.get("failover").apply(doc);
    assertThat(group.toBuilder().build().active()).isEqualTo(group.active());
    MaintenanceScheduler scheduler = (MaintenanceScheduler) bindings.get("maintenance").apply(doc);
    assertThat(scheduler.toBuilder().build().runDue()).isZero();
  }
}
