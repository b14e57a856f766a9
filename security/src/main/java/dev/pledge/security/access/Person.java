package dev.pledge.security.access;

import java.util.Objects;

/**
 * A person who may hold accounts and roles. Each account belongs to exactly one person (P19).
 * Immutable.
 *
 * @param account the person's own account, never shared
 * @param name the person's name, for reports
 * @param employment whether the person is an employee or an external contractor (P16)
 */
public record Person(String account, String name, Employment employment) {

  /** Validates the person. */
  public Person {
    if (account == null || account.isBlank()) {
      throw new IllegalArgumentException("person needs an account");
    }
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("person '" + account + "' needs a name");
    }
    Objects.requireNonNull(employment, "employment");
  }

  /** An employee. */
  public static Person employee(String account, String name) {
    return new Person(account, name, Employment.EMPLOYEE);
  }

  /** An external contractor, who is never granted infrastructure or data access (P16). */
  public static Person contractor(String account, String name) {
    return new Person(account, name, Employment.CONTRACTOR);
  }

  /** How a person works for the organisation. */
  public enum Employment {
    /** An employee. */
    EMPLOYEE,
    /** An external contractor. */
    CONTRACTOR
  }
}
