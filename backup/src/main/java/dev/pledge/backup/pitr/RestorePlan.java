package dev.pledge.backup.pitr;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What restoring to {@link #target()} needs (P9): the full backup to start from, every log segment
 * to replay on top of it in order, or why the target cannot be reached.
 *
 * @param target the instant to restore to
 * @param base the full backup to start from, if one precedes the target
 * @param logs the log segments to replay, oldest first, the last one covering the target
 * @param gaps what is missing, as human-readable spans, empty when the plan is complete
 * @param timelines the PostgreSQL timeline switches on the way from the base to the target, oldest
 *     first (empty when the target is on the base's timeline); their {@code .history} files are
 *     restored with the logs, and recovery follows the last one's timeline
 */
public record RestorePlan(Instant target, Optional<RecoveryPoint> base, List<RecoveryPoint> logs, List<String> gaps,
    List<TimelineSwitch> timelines) {

  /** Copies the lists. */
  public RestorePlan {
    logs = List.copyOf(logs);
    gaps = List.copyOf(gaps);
    timelines = List.copyOf(timelines);
  }

  /** A plan that stays on one timeline. */
  public RestorePlan(Instant target, Optional<RecoveryPoint> base, List<RecoveryPoint> logs, List<String> gaps) {
    this(target, base, logs, gaps, List.of());
  }

  /** The timeline the target is reached on: the last switch's, or {@code "1"} when there is none. */
  public String timeline() {
    return timelines.isEmpty() ? "1" : timelines.get(timelines.size() - 1).timeline();
  }

  /** Whether the target can be reached with the objects listed. */
  public boolean complete() {
    return base.isPresent() && gaps.isEmpty();
  }

  /** How much log must be replayed: from the base's consistent point to the target. */
  public Duration replay() {
    return base.map(b -> Duration.between(b.end(), target)).orElse(Duration.ZERO);
  }

  /** Every full backup and log segment to fetch, base first (the {@link #timelines} histories besides). */
  public List<RecoveryPoint> objects() {
    java.util.ArrayList<RecoveryPoint> all = new java.util.ArrayList<>();
    base.ifPresent(all::add);
    all.addAll(logs);
    return List.copyOf(all);
  }
}
