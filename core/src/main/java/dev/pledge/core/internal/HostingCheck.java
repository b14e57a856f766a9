package dev.pledge.core.internal;

import dev.pledge.core.evidence.CheckContext;
import dev.pledge.core.evidence.Evidence;
import dev.pledge.core.evidence.Judgement;
import dev.pledge.core.evidence.PromiseCheck;
import dev.pledge.core.policy.HostingPolicy;
import java.util.List;

/**
 * Core's check: P22, requests over TLS only, from the hosting settings the deployment runs with (the
 * TLS itself is terminated by the load balancer, outside the library). Stateless and thread-safe.
 */
public final class HostingCheck implements PromiseCheck {

  @Override
  public String name() {
    return "core.hosting";
  }

  @Override
  public List<Integer> promises() {
    return List.of(22);
  }

  @Override
  public List<Judgement> judge(CheckContext ctx) {
    return ctx.policy().section(HostingPolicy.class)
        .map(h -> List.of(Judgement.judged(22, Boolean.TRUE.equals(h.tlsOnly()), "the deployment serves TLS only; no plain-http endpoint is configured",
            "the hosting settings allow plain http", List.of(Evidence.of("tlsOnly", h.tlsOnly()),
                Evidence.of("regions", String.join(", ", h.regions()))))))
        .orElse(List.of(Judgement.noEvidence(22, "the policy has no hosting section")));
  }
}
