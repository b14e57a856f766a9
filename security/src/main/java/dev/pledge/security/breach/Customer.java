package dev.pledge.security.breach;

import java.util.Objects;

/**
 * A customer to notify of a breach (P28). Immutable.
 *
 * @param id the customer's id, stable across runs (the notification log keys on it)
 * @param name the name to address them by
 * @param email where the notification goes
 */
public record Customer(String id, String name, String email) {

  /** Validates the customer. */
  public Customer {
    if (id == null || id.isBlank()) {
      throw new IllegalArgumentException("a customer needs an id");
    }
    Objects.requireNonNull(name, "name");
    if (email == null || !email.matches("[^@\\s]+@[^@\\s]+")) {
      throw new IllegalArgumentException("customer " + id + " needs an e-mail address, got '" + email + "'");
    }
  }
}
