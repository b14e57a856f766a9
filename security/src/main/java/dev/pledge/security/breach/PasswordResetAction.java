package dev.pledge.security.breach;

import dev.pledge.security.password.ForcedResets;
import java.util.List;
import java.util.Objects;

/**
 * The built-in action for {@link StepKind#FORCE_PASSWORD_RESET} (P30): every client password set
 * before the breach was detected must be changed at the next login
 * ({@link dev.pledge.security.password.PasswordRotation} reads the same {@link ForcedResets}).
 * Idempotent: the reset is dated at the incident's detection, so running it again records nothing
 * new. In a drill, a reset is forced on a probe account only (P32). Thread-safe.
 */
public final class PasswordResetAction implements BreachAction {
  /** The account a drill forces a reset on. */
  public static final String PROBE_ACCOUNT = "pledge-probe";
  private final ForcedResets resets;

  private PasswordResetAction(ForcedResets resets) {
    this.resets = resets;
  }

  /** Forces resets in {@code resets}. */
  public static PasswordResetAction of(ForcedResets resets) {
    return new PasswordResetAction(Objects.requireNonNull(resets, "resets"));
  }

  @Override
  public String perform(BreachIncident incident) {
    if (incident.drill()) {
      resets.force(List.of(PROBE_ACCOUNT), incident.detectedAt());
      if (!resets.latestFor(PROBE_ACCOUNT).map(t -> !t.isBefore(incident.detectedAt())).orElse(false)) {
        throw new IllegalStateException("the forced reset of the probe account was not recorded");
      }
      return "rehearsed: a reset forced on the probe account " + PROBE_ACCOUNT + " and read back";
    }
    resets.forceAll(incident.detectedAt());
    return "every password set before " + incident.detectedAt() + " must be changed at the next login";
  }
}
