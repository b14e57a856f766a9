package dev.pledge.sla.internal;

import dev.pledge.core.policy.PolicySectionProvider;
import dev.pledge.core.policy.PolicyWarning;
import dev.pledge.core.policy.SectionDescriptor;
import dev.pledge.sla.failover.FailoverPolicy;
import dev.pledge.sla.maintenance.MaintenancePolicy;
import dev.pledge.sla.uptime.UptimePolicy;
import java.util.List;

/** Registers the policy sections of uptime, maintenance and failover (P2, P3, P5, P39). */
public final class UptimeSections implements PolicySectionProvider {

  @Override
  public List<SectionDescriptor<?>> sections() {
    return List.of(
        SectionDescriptor.of("uptime", UptimePolicy.class).withCheck((name, s, warnings) -> {
          if (s.target().compareTo(UptimePolicy.DEFAULT_TARGET) < 0) {
            warnings.accept(new PolicyWarning(name + ".target", "p2/target",
                "target " + s.target() + " is below the 99.9% that P2 promises"));
          }
          if (s.probes().isEmpty()) {
            warnings.accept(new PolicyWarning(name + ".probes", "p4/probes",
                "no health probes: nothing watches the sites (P4)"));
          }
        }),
        SectionDescriptor.of("maintenance", MaintenancePolicy.class),
        SectionDescriptor.of("failover", FailoverPolicy.class).withCheck((name, s, warnings) -> {
          if (s.groups().isEmpty()) {
            warnings.accept(new PolicyWarning(name + ".groups", "p5/spare",
                "no failover groups: no spare picks up the load (P5)"));
          }
        }));
  }
}
