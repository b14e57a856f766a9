/**
 * The policy document: one YAML or JSON file that states the whole policy, read by
 * {@link dev.pledge.core.policy.PolicyLoader} and bound section by section to the types that each
 * module registers through {@link dev.pledge.core.policy.PolicySectionProvider}. Core knows no
 * module's types. A section's type is a record named after its key with the suffix {@code Policy}
 * ({@code rateLimits} binds to {@code RateLimitsPolicy}); a type renamed in a release stays reachable
 * through {@link dev.pledge.core.policy.SectionDescriptor#withFormerType} until it is removed.
 * Loading is strict and all-or-nothing; errors are
 * {@link dev.pledge.core.policy.PolicyException}s that name the file, line, column and key path.
 */
package dev.pledge.core.policy;
