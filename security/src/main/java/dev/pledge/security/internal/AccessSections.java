package dev.pledge.security.internal;

import dev.pledge.core.policy.PolicySectionProvider;
import dev.pledge.core.policy.PolicyWarning;
import dev.pledge.core.policy.SectionDescriptor;
import dev.pledge.security.access.AccessPolicy;
import dev.pledge.security.breach.BreachPolicy;
import java.util.List;

/** Registers the {@code access} (P14-P21) and {@code breach} (P28-P32) sections. */
public final class AccessSections implements PolicySectionProvider {

  @Override
  public List<SectionDescriptor<?>> sections() {
    return List.of(
        SectionDescriptor.of("access", AccessPolicy.class).withCheck((name, a, warnings) -> {
          if (a.standingProductionAccess()) {
            warnings.accept(new PolicyWarning(name + ".standingProductionAccess", "P15",
                "standing production access is on: P15 promises none"));
          }
          if (!a.employeesOnly()) {
            warnings.accept(new PolicyWarning(name + ".employeesOnly", "P16",
                "contractors may be granted access: P16 promises employees only"));
          }
        }),
        SectionDescriptor.of("breach", BreachPolicy.class));
  }
}
