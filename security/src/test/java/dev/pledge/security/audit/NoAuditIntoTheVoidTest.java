package dev.pledge.security.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pledge.core.audit.AuditTrail;
import dev.pledge.core.audit.InMemoryAuditTrail;
import dev.pledge.core.policy.PolicyLoader;
import dev.pledge.security.access.AccessBroker;
import dev.pledge.security.access.AccessPolicy;
import dev.pledge.security.apikey.ApiKeyStore;
import dev.pledge.security.apikey.ApiKeys;
import dev.pledge.security.breach.BreachPolicy;
import dev.pledge.security.breach.BreachRunbook;
import dev.pledge.security.breach.StepKind;
import org.junit.jupiter.api.Test;

/**
 * P14, P20: the security components that audit have no default trail, so none records into a list
 * nobody reads or into nothing unless the caller names it; a trail given is the one recorded to.
 */
class NoAuditIntoTheVoidTest {
  private static final AccessPolicy ACCESS = PolicyLoader.create().load("policy.yaml", """
      access:
        administrator: mark
        maxGrant: 8h
        roles:
          - name: engineer
            permissions: [deploy]
      """).require(AccessPolicy.class);

  @Test
  void anAccessBrokerWithoutATrailIsAnErrorNamingTheChoices() {
    assertThatThrownBy(() -> AccessBroker.builder(ACCESS).build()).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("access broker has no audit trail")
        .hasMessageContaining("AuditTrail.inMemory() or AuditTrail.discarding() explicitly");
  }

  @Test
  void aBreachRunbookWithoutATrailIsAnErrorNamingTheChoices() {
    assertThatThrownBy(() -> BreachRunbook.builder(BreachPolicy.defaults()).build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("breach runbook has no audit trail");
  }

  @Test
  void apiKeysWithoutATrailAreAnErrorNamingTheChoices() {
    assertThatThrownBy(() -> ApiKeys.builder(ApiKeyStore.inMemory()).build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("API keys have no audit trail");
  }

  @Test
  void eachRecordsToTheTrailItIsGiven() {
    InMemoryAuditTrail trail = AuditTrail.inMemory();
    assertThat(AccessBroker.builder(ACCESS).audit(trail).build().permits("mallory", "deploy", "shop")).isFalse();
    BreachRunbook.Builder b = BreachRunbook.builder(BreachPolicy.defaults()).audit(trail);
    for (StepKind k : StepKind.values()) {
      b.action(k, incident -> "rehearsed");
    }
    b.build().drill("DRILL-1");
    ApiKeys.builder(ApiKeyStore.inMemory()).audit(trail).build().issue("ci", "deploy");
    assertThat(trail.records()).extracting(r -> r.action())
        .anyMatch(a -> a.startsWith("access."))
        .anyMatch(a -> a.startsWith("breach."))
        .anyMatch(a -> a.startsWith("apikey."));
  }
}
