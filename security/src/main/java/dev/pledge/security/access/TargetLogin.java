package dev.pledge.security.access;

import dev.pledge.core.Secret;
import java.time.Instant;
import java.util.Objects;

/**
 * The credentials of a login that a grant made on one {@link AccessTarget}: handed to the grantee
 * once, never stored or logged by Pledge. {@link #toString()} never shows the password.
 *
 * @param target the target's name
 * @param username the login's name, which starts with the target's {@link AccessTarget#loginPrefix()}
 * @param password the login's random password
 * @param until when the login stops working (the grant's end)
 */
public record TargetLogin(String target, String username, Secret password, Instant until) {

  /** Validates the credentials. */
  public TargetLogin {
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(username, "username");
    Objects.requireNonNull(password, "password");
    Objects.requireNonNull(until, "until");
  }

  @Override
  public String toString() {
    return "TargetLogin[" + target + ", " + username + ", password redacted, until " + until + "]";
  }
}
