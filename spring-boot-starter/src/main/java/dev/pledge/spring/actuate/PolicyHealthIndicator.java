package dev.pledge.spring.actuate;

import dev.pledge.core.policy.PolicyDocument;
import java.util.Objects;
import org.springframework.boot.actuate.health.AbstractHealthIndicator;
import org.springframework.boot.actuate.health.Health;

/**
 * Reports the policy document the application runs on: its source, the sections bound, the sections
 * kept unbound (their module is not on the class path) and the number of load warnings. Always {@code UP}:
 * an application whose policy does not load does not start. Thread-safe.
 */
public final class PolicyHealthIndicator extends AbstractHealthIndicator {
  private final PolicyDocument policy;

  /** An indicator for {@code policy}. */
  public PolicyHealthIndicator(PolicyDocument policy) {
    super("policy check failed");
    this.policy = Objects.requireNonNull(policy, "policy");
  }

  @Override
  protected void doHealthCheck(Health.Builder builder) {
    builder.up()
        .withDetail("source", policy.source())
        .withDetail("sections", policy.sectionNames())
        .withDetail("unbound", policy.unboundSectionNames())
        .withDetail("warnings", policy.warnings().size());
  }
}
