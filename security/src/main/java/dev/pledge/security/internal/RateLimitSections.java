package dev.pledge.security.internal;

import dev.pledge.core.policy.PolicySectionProvider;
import dev.pledge.core.policy.SectionDescriptor;
import java.util.List;

/** Registers the policy sections of rate limiting (P13). */
public final class RateLimitSections implements PolicySectionProvider {

  @Override
  public List<SectionDescriptor<?>> sections() {
    return List.of();
  }
}
