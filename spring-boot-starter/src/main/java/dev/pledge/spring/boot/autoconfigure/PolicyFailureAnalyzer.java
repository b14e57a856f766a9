package dev.pledge.spring.boot.autoconfigure;

import dev.pledge.core.policy.PolicyException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Turns a policy document that does not load into Spring Boot's start-up failure report, with the
 * loader's own words (file, line, column, key path) instead of a bean-creation stack.
 */
class PolicyFailureAnalyzer extends AbstractFailureAnalyzer<PolicyException> {

  @Override
  protected FailureAnalysis analyze(Throwable rootFailure, PolicyException cause) {
    return new FailureAnalysis("The Pledge policy document could not be loaded: " + cause.getMessage(),
        "Correct the policy document, or point pledge.policy at the right one (classpath:..., file:... or a path).",
        cause);
  }
}
