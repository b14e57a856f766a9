package dev.pledge.spring.boot.autoconfigure;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.context.annotation.Conditional;

/**
 * Matches when the policy document at {@code pledge.policy} has the top-level section {@link #value()},
 * so that a bean bound from a section exists only when the policy states that section.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Conditional(OnPolicySectionCondition.class)
public @interface ConditionalOnPolicySection {

  /** The section's key, such as {@code rateLimits} or {@code oncall}. */
  String value();
}
