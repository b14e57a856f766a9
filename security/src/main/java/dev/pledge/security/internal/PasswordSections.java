package dev.pledge.security.internal;

import dev.pledge.core.policy.PolicySectionProvider;
import dev.pledge.core.policy.SectionDescriptor;
import dev.pledge.security.password.PasswordPolicy;
import dev.pledge.security.password.PasswordsSection;
import dev.pledge.security.totp.TwoFactorSection;
import java.util.List;

/**
 * Registers the policy sections of passwords ({@code passwords}) and two-factor authentication
 * ({@code twoFactor}) (P23-P26, P30). Rules that contradict a NIST SP 800-63B SHALL or SHALL NOT
 * load with a warning that names the rule.
 */
public final class PasswordSections implements PolicySectionProvider {

  @Override
  public List<SectionDescriptor<?>> sections() {
    return List.of(
        SectionDescriptor.of("passwords", PasswordsSection.class)
            .withCheck((name, section, warnings) -> PasswordPolicy.from(section).nistWarnings(name).forEach(warnings)),
        SectionDescriptor.of("twoFactor", TwoFactorSection.class));
  }
}
