package dev.pledge.security.access;

import java.util.List;
import java.util.Objects;

/**
 * A grant just made, with the logins it made on its targets. The passwords in {@link #logins()} are
 * handed over here once; Pledge keeps them nowhere.
 *
 * @param grant the grant
 * @param logins one login per target of the grant, in the order of its targets
 */
public record Granted(AccessGrant grant, List<TargetLogin> logins) {

  /** Validates and copies. */
  public Granted {
    Objects.requireNonNull(grant, "grant");
    logins = List.copyOf(logins);
  }
}
