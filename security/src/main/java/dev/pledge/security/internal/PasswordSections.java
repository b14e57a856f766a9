package dev.pledge.security.internal;

import dev.pledge.core.policy.PolicySectionProvider;
import dev.pledge.core.policy.SectionDescriptor;
import java.util.List;

/** Registers the policy sections of passwords and two-factor authentication (P23-P26, P30). */
public final class PasswordSections implements PolicySectionProvider {

  @Override
  public List<SectionDescriptor<?>> sections() {
    return List.of();
  }
}
