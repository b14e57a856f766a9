package dev.pledge.security.access;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A person as the {@link AccessStore} keeps them: enrolled once, departed at most once (P18, P19).
 * Immutable.
 *
 * @param person the person
 * @param enrolledAt when the account was enrolled
 * @param departedAt when the person left, or {@code null} while they are here
 */
public record EnrolledPerson(Person person, Instant enrolledAt, Instant departedAt) {

  /** Validates the entry. */
  public EnrolledPerson {
    Objects.requireNonNull(person, "person");
    Objects.requireNonNull(enrolledAt, "enrolledAt");
  }

  /** The account. */
  public String account() {
    return person.account();
  }

  /** When the person left, if they did. */
  public Optional<Instant> departed() {
    return Optional.ofNullable(departedAt);
  }
}
