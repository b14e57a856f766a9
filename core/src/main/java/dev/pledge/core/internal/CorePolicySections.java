package dev.pledge.core.internal;

import dev.pledge.core.policy.HostingPolicy;
import dev.pledge.core.policy.OrganisationPolicy;
import dev.pledge.core.policy.PolicySectionProvider;
import dev.pledge.core.policy.SectionDescriptor;
import java.util.List;

/** Registers the sections core owns: {@code organisation}, {@code hosting} and {@code audit}. */
public final class CorePolicySections implements PolicySectionProvider {

  @Override
  public List<SectionDescriptor<?>> sections() {
    return List.of(
        SectionDescriptor.of("organisation", OrganisationPolicy.class),
        SectionDescriptor.of("hosting", HostingPolicy.class).withCheck((name, h, warnings) -> {
          List<String> known = AwsRegions.codes();
          for (int i = 0; i < h.regions().size(); i++) {
            String r = h.regions().get(i);
            if (!known.contains(r)) {
              warnings.accept(new dev.pledge.core.policy.PolicyWarning(name + ".regions[" + i + "]", "unknown-region",
                  "'" + r + "' is not an AWS region" + AwsRegions.suggestion(r)));
            }
          }
        }),
        SectionDescriptor.of("audit", dev.pledge.core.audit.AuditPolicy.class).withCheck((name, a, warnings) -> {
          if (!a.discards() && a.keyFile() == null) {
            warnings.accept(new dev.pledge.core.policy.PolicyWarning(name + ".keyFile", "audit-checkpoints",
                "no keyFile: the trail is hash-chained but not checkpointed, so cutting its end off goes unnoticed"));
          }
          if (!a.discards() && a.durabilityMode().defersForce()) {
            warnings.accept(new dev.pledge.core.policy.PolicyWarning(name + ".durability", "audit-durability",
                "durability: " + a.durability() + " acknowledges records before they are on disk: an OS crash or a"
                    + " power loss can lose the records of the last " + a.durability().substring("written ".length())
                    + " (P20)"));
          }
          if (a.discards()) {
            warnings.accept(new dev.pledge.core.policy.PolicyWarning(name + ".store", "audit-discard",
                "store: discard keeps no audit record; P14 and P20 cannot be shown"));
          }
        }));
  }
}
