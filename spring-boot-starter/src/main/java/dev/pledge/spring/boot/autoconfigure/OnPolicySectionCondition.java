package dev.pledge.spring.boot.autoconfigure;

import java.util.Map;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/** The condition behind {@link ConditionalOnPolicySection}. */
class OnPolicySectionCondition extends SpringBootCondition {

  @Override
  public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
    Map<String, Object> attributes = metadata.getAnnotationAttributes(ConditionalOnPolicySection.class.getName());
    String section = (String) attributes.get("value");
    String location = context.getEnvironment().getProperty("pledge.policy", "classpath:policy.yaml");
    PolicyLocation policy;
    try {
      policy = PolicyLocation.of(location);
    } catch (IllegalArgumentException e) {
      return ConditionOutcome.noMatch(e.getMessage());
    }
    return policy.hasSection(section, context.getResourceLoader())
        ? ConditionOutcome.match("the policy " + location + " has a '" + section + "' section")
        : ConditionOutcome.noMatch("the policy " + location + " has no '" + section + "' section");
  }
}
