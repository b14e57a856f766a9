package dev.pledge.security.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pledge.core.audit.AuditOutcome;
import dev.pledge.core.audit.AuditRecord;
import dev.pledge.core.audit.AuditTrail;
import dev.pledge.core.audit.InMemoryAuditTrail;
import dev.pledge.core.policy.PolicyDocument;
import dev.pledge.core.policy.PolicyException;
import dev.pledge.core.policy.PolicyLoader;
import dev.pledge.core.time.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AccessBrokerTest {
  private static final String POLICY = """
      access:
        administrator: mark
        maxGrant: 8h
        roles:
          - name: engineer
            permissions: [deploy, logs.read]
          - name: operations
            permissions: [database.read, database.write]
            production: true
      """;

  private final MutableClock clock = MutableClock.at("2026-11-02T09:00:00Z");
  private final InMemoryAuditTrail audit = AuditTrail.inMemory();
  private AccessBroker broker;

  @BeforeEach
  void setUp() {
    AccessPolicy policy = PolicyLoader.create().load("policy.yaml", POLICY).require(AccessPolicy.class);
    broker = AccessBroker.builder(policy).clock(clock).audit(audit).build();
    broker.enrol(Person.employee("mark", "Mark Middleton"));
    broker.enrol(Person.employee("ana", "Ana Ops"));
    broker.enrol(Person.contractor("carl", "Carl Contractor"));
  }

  @Test
  void aRoleHeldForAnAssignmentPermitsOnlyWhatItCarriesAndEndsWithIt() {
    broker.assign("ana", "engineer", "PROJ-12 checkout redesign", clock.instant().plus(Duration.ofDays(14)));

    assertThat(broker.permits("ana", "deploy", "shop/production")).isTrue();
    assertThat(broker.permits("ana", "database.read", "shop/production")).as("least privilege (P14)").isFalse();

    clock.advance(Duration.ofDays(14));
    assertThat(broker.permits("ana", "deploy", "shop/production")).as("assignment over (P17)").isFalse();
    assertThat(broker.expire()).hasSize(1);
    assertThat(audit.byAction("access.expire")).hasSize(1);
  }

  @Test
  void productionDataIsReachedOnlyJustInTimeForAProblem() {
    assertThatThrownBy(() -> broker.assign("ana", "operations", "standing", clock.instant().plus(Duration.ofDays(30))))
        .isInstanceOf(AccessDeniedException.class).hasMessageContaining("P15");
    assertThatThrownBy(() -> broker.grantJustInTime("ana", "operations", "shop/production", "INC-7 corrupt orders",
        Duration.ofHours(9), "mark")).hasMessageContaining("at most 8h");
    assertThatThrownBy(() -> broker.grantJustInTime("ana", "operations", "shop/production", "INC-7 corrupt orders",
        Duration.ofHours(2))).as("no approver").isInstanceOf(AccessDeniedException.class)
        .hasMessageContaining("approver who is not the requester");
    assertThatThrownBy(() -> broker.grantJustInTime("ana", "operations", "shop/production", "INC-7 corrupt orders",
        Duration.ofHours(2), "ana")).as("approving oneself").hasMessageContaining("must not be the requester");
    assertThatThrownBy(() -> broker.grantJustInTime("ana", "operations", "shop/production", "orders look odd",
        Duration.ofHours(2), "mark")).as("no incident named").hasMessageContaining("name the incident");

    AccessGrant g = broker.grantJustInTime("ana", "operations", "shop/production", "INC-7 corrupt orders",
        Duration.ofHours(2), "mark");

    assertThat(broker.permits("ana", "database.read", "shop/production")).isTrue();
    assertThat(broker.permits("ana", "database.read", "portal/production")).as("only the resource granted").isFalse();
    clock.advance(Duration.ofHours(2));
    assertThat(broker.permits("ana", "database.read", "shop/production")).isFalse();
    assertThat(g.reason()).contains("INC-7");
  }

  @Test
  void contractorsAreNeverGrantedAnything() {
    assertThatThrownBy(() -> broker.assign("carl", "engineer", "help", clock.instant().plus(Duration.ofDays(1))))
        .isInstanceOf(AccessDeniedException.class)
        .satisfies(e -> assertThat(((AccessDeniedException) e).rule()).isEqualTo("P16"));
    assertThat(audit.records(r -> r.outcome() == AuditOutcome.DENIED && r.actor().equals("carl"))).hasSize(1);
  }

  @Test
  void leavingRemovesEveryRoleAndTheAccountIsNeverReused() {
    broker.assign("ana", "engineer", "PROJ-12", clock.instant().plus(Duration.ofDays(14)));
    broker.grantJustInTime("ana", "operations", "shop/production", "INC-8", Duration.ofHours(1), "mark");

    List<AccessGrant> removed = broker.offboard("ana", "hr");

    assertThat(removed).hasSize(2);
    assertThat(broker.permits("ana", "deploy", "shop/production")).isFalse();
    assertThatThrownBy(() -> broker.enrol(Person.employee("ana", "Another Ana"))).hasMessageContaining("P19");
  }

  @Test
  void accountsAreNotSharedAndOnlyTheNamedAdministratorHoldsEverything() {
    assertThatThrownBy(() -> broker.enrol(Person.employee("mark", "Someone Else"))).hasMessageContaining("P19");
    assertThatThrownBy(() -> broker.assign("ana", AccessPolicy.ADMINISTRATOR, "x", clock.instant().plusSeconds(60)))
        .hasMessageContaining("P21");
    assertThat(broker.permits("mark", "database.write", "shop/production")).isTrue();
    assertThat(broker.posture().administrators()).isEqualTo(1);
    assertThat(broker.posture().kept()).isTrue();
  }

  @Test
  void everyDecisionIsAudited() {
    broker.assign("ana", "engineer", "PROJ-12", clock.instant().plus(Duration.ofDays(1)));
    broker.permits("ana", "database.write", "shop/production");
    assertThat(audit.records()).extracting(AuditRecord::action)
        .contains("access.enrol", "access.grant", "access.check");
    assertThat(audit.byAction("access.grant").get(0).details()).containsEntry("role", "engineer");
  }

  @Test
  void thePolicyRefusesAdministratorRolesAndDuplicateRoles() {
    PolicyLoader loader = PolicyLoader.create();
    assertThatThrownBy(() -> loader.load("p.yaml", """
        access:
          administrator: mark
          roles:
            - name: root
              permissions: [administrator]
        """)).isInstanceOf(PolicyException.class).hasMessageContaining("P21");
    assertThatThrownBy(() -> loader.load("p.yaml", """
        access:
          roles:
            - name: a
              permissions: [x]
        """)).isInstanceOf(PolicyException.class).hasMessageContaining("access.administrator");
    PolicyDocument warned = loader.load("p.yaml", """
        access:
          administrator: mark
          standingProductionAccess: true
          roles:
            - name: a
              permissions: [x]
        """);
    assertThat(warned.warnings()).anySatisfy(w -> assertThat(w.rule()).isEqualTo("P15"));
  }

  @Test
  void theOperationsEngineerOnCallIsApprovedWithoutASecondPersonOnlyWhenThePolicySaysSo() {
    AccessPolicy auto = PolicyLoader.create().load("policy.yaml", POLICY + "  autoApproveOnCall: true\n")
        .require(AccessPolicy.class);
    AccessStore store = AccessStore.inMemory();
    AccessBroker onCallBroker = AccessBroker.builder(auto).clock(clock).audit(audit).store(store)
        .onCall((account, at) -> account.equals("ana")).build();
    onCallBroker.enrol(Person.employee("ana", "Ana Ops"));
    onCallBroker.enrol(Person.employee("ben", "Ben Ops"));

    Granted g = onCallBroker.grant("ana", "operations", "shop/production", "INC-9 checkout down", Duration.ofHours(1),
        null, List.of());
    assertThat(g.grant().approver()).isEqualTo("on-call");
    assertThatThrownBy(() -> onCallBroker.grant("ben", "operations", "shop/production", "INC-9", Duration.ofHours(1),
        null, List.of())).hasMessageContaining("not the operations engineer on call");
    assertThat(audit.byAction("access.approve")).extracting(AuditRecord::actor).contains("on-call");
    assertThat(audit.byAction("access.request")).hasSize(2);
  }

  @Test
  void aPendingRequestWaitsForItsApproverAndIsDecidedOnce() {
    AccessRequest r = broker.request("ana", "operations", "shop/production", "INC-10 stuck payments",
        Duration.ofHours(1), List.of());
    assertThat(broker.permits("ana", "database.read", "shop/production")).as("not before approval").isFalse();

    Granted g = broker.approve(r.id(), "mark");

    assertThat(broker.permits("ana", "database.read", "shop/production")).isTrue();
    assertThat(g.grant().approver()).isEqualTo("mark");
    assertThat(broker.requests()).singleElement().satisfies(x -> {
      assertThat(x.status()).isEqualTo(AccessRequest.Status.APPROVED);
      assertThat(x.grantId()).isEqualTo(g.grant().id());
    });
    assertThatThrownBy(() -> broker.approve(r.id(), "mark")).hasMessageContaining("already approved");
  }

  @Test
  void grantsMustEndInTheFuture() {
    Instant past = clock.instant().minusSeconds(1);
    assertThatThrownBy(() -> broker.assign("ana", "engineer", "x", past)).hasMessageContaining("future");
  }
}
