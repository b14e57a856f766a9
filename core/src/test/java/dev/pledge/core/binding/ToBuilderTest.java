package dev.pledge.core.binding;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pledge.core.audit.AuditOutcome;
import dev.pledge.core.audit.AuditQuery;
import dev.pledge.core.policy.PolicyLoader;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Issue 13: core's config builders have {@code toBuilder()}, and a copy built again is the same. */
class ToBuilderTest {

  @Test
  void anAuditQueryCopiedAndBuiltAgainIsEqualAndChangesOnlyWhatIsSet() {
    AuditQuery q = AuditQuery.builder().from(Instant.parse("2026-11-01T00:00:00Z"))
        .to(Instant.parse("2026-11-02T00:00:00Z")).actor("alice").action("access.grant").resource("db/shop")
        .outcome(AuditOutcome.DENIED).build();
    assertThat(q.toBuilder().build()).isEqualTo(q);
    assertThat(q.toBuilder().actor("bob").build()).isNotEqualTo(q)
        .isEqualTo(AuditQuery.builder().from(Instant.parse("2026-11-01T00:00:00Z"))
            .to(Instant.parse("2026-11-02T00:00:00Z")).actor("bob").action("access.grant").resource("db/shop")
            .outcome(AuditOutcome.DENIED).build());
  }

  @Test
  void aPolicyLoaderCopyKnowsTheSameSectionsAndChecks() {
    PolicyLoader loader = PolicyLoader.create();
    PolicyLoader copy = loader.toBuilder().build();
    assertThat(copy.sectionNames()).isEqualTo(loader.sectionNames());
    assertThat(copy).usingRecursiveComparison().isEqualTo(loader);
  }
}
