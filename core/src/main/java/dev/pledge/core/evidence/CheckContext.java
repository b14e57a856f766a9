package dev.pledge.core.evidence;

import dev.pledge.core.policy.PolicyDocument;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Objects;

/**
 * What a {@link PromiseCheck} reads: the deployment's policy (which names its stores, trail and
 * schedules), the folder relative paths in it are read from, the period judged and the clock of the
 * assessment. Immutable.
 *
 * @param policy the deployment's policy document
 * @param baseDirectory the folder the policy's relative paths (key files, local stores) resolve against
 * @param period the period judged, {@code [from, to)}
 * @param clock the clock of the assessment; its instant is normally {@code period.to()}
 */
public record CheckContext(PolicyDocument policy, Path baseDirectory, AssessmentPeriod period, Clock clock) {

  /** Validates. */
  public CheckContext {
    Objects.requireNonNull(policy, "policy");
    Objects.requireNonNull(baseDirectory, "baseDirectory");
    Objects.requireNonNull(period, "period");
    Objects.requireNonNull(clock, "clock");
  }

  /** {@code path} resolved against {@link #baseDirectory()} when relative. */
  public Path resolve(String path) {
    return baseDirectory.resolve(path);
  }
}
