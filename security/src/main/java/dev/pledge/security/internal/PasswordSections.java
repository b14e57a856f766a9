package dev.pledge.security.internal;

import dev.pledge.core.policy.PolicySectionProvider;
import dev.pledge.core.policy.SectionDescriptor;
import dev.pledge.security.password.PasswordRules;
import dev.pledge.security.password.PasswordsPolicy;
import dev.pledge.security.totp.TwoFactorPolicy;
import java.util.List;

/**
 * Registers the policy sections of passwords ({@code passwords}) and two-factor authentication
 * ({@code twoFactor}) (P23-P26, P30). Rules that contradict a NIST SP 800-63B SHALL or SHALL NOT
 * load with a warning that names the rule. The sections' types before 0.2.0 ({@code PasswordsSection},
 * {@code TwoFactorSection}) are declared as former types, so a host that still asks for them is
 * answered until they are removed.
 */
public final class PasswordSections implements PolicySectionProvider {

  @Override
  @SuppressWarnings("removal") // the former types are named here until they are removed
  public List<SectionDescriptor<?>> sections() {
    return List.of(
        SectionDescriptor.of("passwords", PasswordsPolicy.class)
            .withCheck((name, section, warnings) -> PasswordRules.from(section).nistWarnings(name).forEach(warnings))
            .withFormerType(dev.pledge.security.password.PasswordsSection.class,
                dev.pledge.security.password.PasswordsSection::of),
        SectionDescriptor.of("twoFactor", TwoFactorPolicy.class)
            .withFormerType(dev.pledge.security.totp.TwoFactorSection.class,
                dev.pledge.security.totp.TwoFactorSection::of));
  }
}
