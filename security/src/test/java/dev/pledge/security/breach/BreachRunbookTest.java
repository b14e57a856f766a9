package dev.pledge.security.breach;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pledge.core.audit.AuditTrail;
import dev.pledge.core.audit.InMemoryAuditTrail;
import dev.pledge.core.policy.PolicyLoader;
import dev.pledge.core.time.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.time.Period;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BreachRunbookTest {
  private final MutableClock clock = MutableClock.at("2026-11-02T09:00:00Z");
  private final InMemoryAuditTrail audit = AuditTrail.inMemory();

  @Test
  void theDocumentsProtocolIsTheDefault() {
    BreachPolicy p = PolicyLoader.create().load("p.yaml", "breach: {}\n").require(BreachPolicy.class);
    assertThat(p.steps()).extracting(BreachPolicy.Step::step).containsExactly(StepKind.NOTIFY_CUSTOMERS,
        StepKind.REVOKE_EXTERNAL_KEYS, StepKind.FORCE_PASSWORD_RESET, StepKind.RESET_CLOUD_CREDENTIALS,
        StepKind.ROTATE_DATASTORE_CREDENTIALS);
    assertThat(p.drillEvery()).isEqualTo(Period.ofMonths(3));
  }

  @Test
  void aResponseRunsEveryStepInOrderEvenPastAFailureAndTimesTheNotification() {
    List<String> done = new ArrayList<>();
    BreachRunbook runbook = BreachRunbook.builder(BreachPolicy.defaults()).clock(clock).audit(audit)
        .action(StepKind.NOTIFY_CUSTOMERS, i -> {
          clock.advance(Duration.ofHours(3));
          done.add("notify");
          return "notified 412 customers";
        })
        .action(StepKind.REVOKE_EXTERNAL_KEYS, i -> {
          throw new IllegalStateException("key service unreachable");
        })
        .action(StepKind.RESET_CLOUD_CREDENTIALS, i -> {
          done.add("cloud");
          return "rotated 3 IAM keys";
        })
        .build();

    BreachIncident incident = new BreachIncident("BR-1", Instant.parse("2026-11-02T08:00:00Z"), "leaked key", false);
    BreachReport report = runbook.respond(incident);

    assertThat(done).containsExactly("notify", "cloud");
    assertThat(report.notifiedAfter()).contains(Duration.ofHours(4));
    assertThat(report.notifiedInTime()).isTrue();
    assertThat(report.steps()).extracting(BreachReport.StepResult::status).containsExactly(
        BreachReport.StepResult.Status.DONE, BreachReport.StepResult.Status.FAILED,
        BreachReport.StepResult.Status.NOT_CONFIGURED, BreachReport.StepResult.Status.DONE,
        BreachReport.StepResult.Status.NOT_CONFIGURED);
    assertThat(report.steps().get(1).detail()).contains("key service unreachable");
    assertThat(report.complete()).isFalse();
    assertThat(audit.byAction("breach.step")).hasSize(5);
  }

  @Test
  void lateNotificationBreaksP28() {
    BreachRunbook runbook = BreachRunbook.builder(BreachPolicy.defaults()).clock(clock).audit(AuditTrail.inMemory())
        .action(StepKind.NOTIFY_CUSTOMERS, i -> "notified").build();
    BreachReport report = runbook.respond(new BreachIncident("BR-2", clock.instant().minus(Duration.ofHours(25)), "", false));
    assertThat(report.notifiedInTime()).isFalse();
  }

  @Test
  void drillsAreRecordedAndFallDueEveryQuarter() {
    BreachPolicy policy = PolicyLoader.create().load("p.yaml", """
        breach:
          steps:
            - step: NOTIFY_CUSTOMERS
            - step: FORCE_PASSWORD_RESET
              required: false
        """).require(BreachPolicy.class);
    List<Boolean> drillFlags = new ArrayList<>();
    BreachRunbook runbook = BreachRunbook.builder(policy).clock(clock).audit(audit)
        .action(StepKind.NOTIFY_CUSTOMERS, i -> {
          drillFlags.add(i.drill());
          return "would notify 412 customers";
        }).build();

    assertThat(runbook.drillOverdue()).isTrue();
    BreachReport drill = runbook.drill("DRILL-2026-Q4");

    assertThat(drill.complete()).as("optional step not configured does not fail a drill").isTrue();
    assertThat(drillFlags).containsExactly(true);
    assertThat(runbook.nextDrillDue()).isEqualTo(Instant.parse("2027-02-02T09:00:00Z"));
    clock.set(Instant.parse("2027-02-02T09:00:00Z"));
    assertThat(runbook.drillOverdue()).isFalse();
    clock.advance(Duration.ofSeconds(1));
    assertThat(runbook.drillOverdue()).isTrue();
    assertThat(audit.byAction("breach.drill")).hasSize(1);
    assertThatThrownBy(() -> runbook.respond(new BreachIncident("x", clock.instant(), "", true)))
        .hasMessageContaining("drill");
  }

  @Test
  void thePolicyRejectsAProtocolWithoutNotification() {
    assertThatThrownBy(() -> PolicyLoader.create().load("p.yaml", """
        breach:
          steps:
            - step: RESET_CLOUD_CREDENTIALS
        """)).hasMessageContaining("NOTIFY_CUSTOMERS");
  }
}
