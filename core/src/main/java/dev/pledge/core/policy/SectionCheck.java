package dev.pledge.core.policy;

import java.util.function.Consumer;

/**
 * A check that runs on a bound section after the whole document loaded, to report warnings (not
 * errors: errors belong in the section type's constructor, which makes loading fail).
 *
 * @param <T> the section's type
 */
@FunctionalInterface
public interface SectionCheck<T> {

  /** Reports zero or more warnings about {@code section}, whose key is {@code name}. */
  void check(String name, T section, Consumer<PolicyWarning> warnings);
}
