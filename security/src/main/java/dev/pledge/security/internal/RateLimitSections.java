package dev.pledge.security.internal;

import dev.pledge.core.policy.PolicySectionProvider;
import dev.pledge.core.policy.PolicyWarning;
import dev.pledge.core.policy.SectionDescriptor;
import dev.pledge.security.ratelimit.LoginThrottlePolicy;
import dev.pledge.security.ratelimit.RateLimitsPolicy;
import java.util.List;

/** Registers the policy sections of rate limiting (P13): {@code rateLimits} and {@code loginThrottle}. */
public final class RateLimitSections implements PolicySectionProvider {

  @Override
  public List<SectionDescriptor<?>> sections() {
    return List.of(loginThrottle(), SectionDescriptor.of("rateLimits", RateLimitsPolicy.class)
        .withCheck((name, policy, warnings) -> policy.limits().forEach((limit, rates) -> {
          for (int i = 0; i < rates.size(); i++) {
            RateLimitsPolicy.Rate r = rates.get(i);
            if (r.burst() < r.permits() && r.per().getSeconds() >= 1 && r.burst() == 1 && r.permits() > 1) {
              warnings.accept(new PolicyWarning(name + ".limits." + limit + "[" + i + "].burst", "p13/burst",
                  "burst 1 spaces requests evenly; clients that send small bursts will be rejected"));
            }
          }
        })));
  }

  private static SectionDescriptor<LoginThrottlePolicy> loginThrottle() {
    return SectionDescriptor.of("loginThrottle", LoginThrottlePolicy.class)
        .withCheck((name, policy, warnings) -> {
          if (!policy.resetOnSuccess()) {
            warnings.accept(new PolicyWarning(name + ".resetOnSuccess", "p13/reset-on-success",
                "failures are counted across successful logins, so an honest user's occasional typos add up to a lockout"));
          }
          if (policy.lockout().compareTo(policy.forgetAfter()) > 0) {
            warnings.accept(new PolicyWarning(name + ".forgetAfter", "p13/forget-after",
                "forgetAfter " + policy.forgetAfter() + " is shorter than lockout " + policy.lockout()
                    + "; failures are kept for the lockout anyway"));
          }
        });
  }
}
