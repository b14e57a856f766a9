package dev.pledge.core.policy;

import java.util.List;

/**
 * The service-provider interface through which a module registers the sections it owns. Each module
 * lists its implementation in {@code META-INF/services/dev.pledge.core.policy.PolicySectionProvider};
 * {@link PolicyLoader#create()} finds every provider on the class path, so core knows no module's types.
 */
public interface PolicySectionProvider {

  /** The sections this module owns. */
  List<SectionDescriptor<?>> sections();

  /** Checks that span this module's sections (and others'), run after the whole document loaded. */
  default List<DocumentCheck> documentChecks() {
    return List.of();
  }
}
