package dev.pledge.sla.internal;

import dev.pledge.core.policy.DocumentCheck;
import dev.pledge.core.policy.PolicySectionProvider;
import dev.pledge.core.policy.SectionDescriptor;
import dev.pledge.sla.notify.AlertsPolicy;
import dev.pledge.sla.oncall.OnCallPolicy;
import dev.pledge.sla.severity.SlaPolicy;
import java.util.List;

/** Registers the policy sections of the support SLA, on-call, alerts and the SLA history (P2-P4, P33-P38). */
public final class SlaSections implements PolicySectionProvider {

  @Override
  public List<SectionDescriptor<?>> sections() {
    return List.of(
        SectionDescriptor.of("sla", SlaPolicy.class),
        SectionDescriptor.of("oncall", OnCallPolicy.class),
        SectionDescriptor.of("alerts", AlertsPolicy.class),
        SectionDescriptor.of("slaHistory", dev.pledge.sla.history.SlaHistoryPolicy.class));
  }

  /** The alerts section checked against the sla, oncall and uptime sections it serves. */
  @Override
  public List<DocumentCheck> documentChecks() {
    return List.of(new AlertsChecks());
  }
}
