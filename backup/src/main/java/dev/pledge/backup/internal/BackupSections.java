package dev.pledge.backup.internal;

import dev.pledge.backup.BackupPolicy;
import dev.pledge.core.policy.PolicySectionProvider;
import dev.pledge.core.policy.PolicyWarning;
import dev.pledge.core.policy.SectionDescriptor;
import java.util.List;

/** Registers the policy sections of the backup pipeline (P6-P10, P27). */
public final class BackupSections implements PolicySectionProvider {

  @Override
  public List<SectionDescriptor<?>> sections() {
    return List.of(SectionDescriptor.of("backups", BackupPolicy.class).withCheck((name, p, warnings) -> {
      if (p.locations().size() < p.minimumLocations()) {
        warnings.accept(new PolicyWarning(name + ".locations", "p10/locations",
            p.locations().size() + " location(s) listed but minimumLocations is " + p.minimumLocations()));
      }
      if (!p.maskProductionRestores()) {
        warnings.accept(new PolicyWarning(name + ".maskProductionRestores", "p27/masking",
            "production backups may be restored into other environments unmasked; P27 says test data only"));
      }
      if (p.locations().stream().noneMatch(l -> l.startsWith("s3://"))) {
        warnings.accept(new PolicyWarning(name + ".locations", "p8/s3",
            "no s3:// location; P8 promises backups stored in Amazon S3"));
      }
    }));
  }
}
