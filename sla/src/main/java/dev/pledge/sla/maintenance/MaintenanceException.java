package dev.pledge.sla.maintenance;

import dev.pledge.core.PledgeException;

/** A maintenance window was refused, for instance because it gives less notice than the policy requires (P39). */
public final class MaintenanceException extends PledgeException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception with a message a user can act on. */
  public MaintenanceException(String message) {
    super(message);
  }
}
