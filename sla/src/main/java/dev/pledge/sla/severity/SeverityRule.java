package dev.pledge.sla.severity;

/**
 * An integrator's own classification rule, for what the policy's declarative {@link Rule}s cannot
 * say (a lookup in a customer database, say). It takes part exactly as a policy rule does: the most
 * severe matching tier wins and its name is reported (P33). Implementations must be thread-safe and
 * fast; {@link #matches} is called once per classification.
 */
public interface SeverityRule {

  /** The rule's name, shown in classifications. */
  String name();

  /** The category the rule assigns when it matches; a tier of the policy must cover it. */
  String category();

  /** Whether {@code report} falls under this rule. */
  boolean matches(Report report);
}
