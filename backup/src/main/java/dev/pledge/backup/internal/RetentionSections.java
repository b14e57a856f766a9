package dev.pledge.backup.internal;

import dev.pledge.backup.retention.RetentionPolicy;
import dev.pledge.core.policy.PolicySectionProvider;
import dev.pledge.core.policy.PolicyWarning;
import dev.pledge.core.policy.SectionDescriptor;
import java.util.List;

/** Registers the policy sections of retention, tiering and scheduling (P9, P11, P12). */
public final class RetentionSections implements PolicySectionProvider {

  @Override
  public List<SectionDescriptor<?>> sections() {
    return List.of(SectionDescriptor.of("retention", RetentionPolicy.class)
        .withCheck((name, s, warnings) -> {
          if (s.rules().isEmpty()) {
            warnings.accept(new PolicyWarning(name + ".keep", "p11/keep",
                "no keep rules: every backup is kept forever (P11 keeps backups for 3 months)"));
          }
        }));
  }
}
