package dev.pledge.core.internal;

import dev.pledge.core.policy.HostingPolicy;
import dev.pledge.core.policy.OrganisationPolicy;
import dev.pledge.core.policy.PolicySectionProvider;
import dev.pledge.core.policy.SectionDescriptor;
import java.util.List;

/** Registers the sections core owns: {@code organisation} and {@code hosting}. */
public final class CorePolicySections implements PolicySectionProvider {

  @Override
  public List<SectionDescriptor<?>> sections() {
    return List.of(
        SectionDescriptor.of("organisation", OrganisationPolicy.class),
        SectionDescriptor.of("hosting", HostingPolicy.class));
  }
}
