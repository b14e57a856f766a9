package dev.pledge.backup.internal;

import dev.pledge.core.policy.PolicySectionProvider;
import dev.pledge.core.policy.SectionDescriptor;
import java.util.List;

/** Registers the policy sections of the backup pipeline (P6-P10, P27). */
public final class BackupSections implements PolicySectionProvider {

  @Override
  public List<SectionDescriptor<?>> sections() {
    return List.of();
  }
}
