package dev.pledge.sla.oncall;

/**
 * A team member who may be on call (P33, P38). Immutable.
 *
 * @param id a stable id, such as {@code alice}
 * @param name a display name
 * @param operations whether the engineer is an operations engineer who can fix production: only they
 *     may be on the out-of-hours rotation
 */
public record Engineer(String id, String name, boolean operations) {
  /** Validates the engineer. */
  public Engineer {
    if (id == null || id.isBlank()) {
      throw new IllegalArgumentException("engineer id must not be blank");
    }
    name = name == null || name.isBlank() ? id : name;
  }
}
