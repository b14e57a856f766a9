package dev.pledge.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pledge.core.Scope;
import dev.pledge.core.audit.AuditOutcome;
import dev.pledge.core.audit.AuditRecord;
import dev.pledge.core.audit.AuditTrail;
import dev.pledge.core.notify.Alert;
import dev.pledge.core.notify.AlertSeverity;
import dev.pledge.core.notify.Notifier;
import dev.pledge.core.notify.RecordingNotifier;
import dev.pledge.core.policy.HostingPolicy;
import dev.pledge.core.policy.OrganisationPolicy;
import dev.pledge.core.policy.PolicyDocument;
import dev.pledge.core.policy.PolicyLoader;
import dev.pledge.core.time.Durations;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.Period;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's code example, line for line, so that it cannot rot. */
class ReadmeExampleTest {

  @Test
  void theReadmeExampleRunsOnTheBundledPolicy(@TempDir Path dir) throws Exception {
    Path policyFile = dir.resolve("policy.yaml");
    try (var in = getClass().getResourceAsStream("/policy.yaml")) {
      Files.copy(in, policyFile);
    }
    Path auditFile = dir.resolve("audit.jsonl");

    // --- README begins
    PolicyDocument policy = PolicyLoader.create().load(policyFile);
    OrganisationPolicy org = policy.require(OrganisationPolicy.class);
    HostingPolicy hosting = policy.require(HostingPolicy.class);

    Duration every = Durations.parse("5m");
    Period keep = Durations.parsePeriod("3 months");

    AuditTrail audit = AuditTrail.jsonLines(auditFile);
    Clock clock = Clock.fixed(Instant.parse("2026-11-01T06:30:00Z"), ZoneOffset.UTC);
    for (Scope scope : org.scopes()) {
      audit.record(AuditRecord.of(clock.instant(), "ops", "policy.loaded", scope.toString(),
          AuditOutcome.SUCCESS));
    }
    RecordingNotifier notifier = Notifier.recording();
    if (!hosting.allows("us-east-1")) {
      notifier.send(Alert.of(clock.instant(), AlertSeverity.INFO, "us-east-1 is outside P1", "refused"));
    }
    // --- README ends

    assertThat(every).isEqualTo(Duration.ofMinutes(5));
    assertThat(keep).isEqualTo(Period.ofMonths(3));
    assertThat(audit.records()).hasSize(org.scopes().size()).hasSize(5);
    assertThat(notifier.alerts()).singleElement().extracting(Alert::title).isEqualTo("us-east-1 is outside P1");
  }
}
