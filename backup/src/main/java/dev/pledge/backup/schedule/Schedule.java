package dev.pledge.backup.schedule;

import dev.pledge.core.Scope;
import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A named, recurring backup for one site and environment (P6, P7). Immutable.
 *
 * @param name unique among the schedules of a cluster; it names the lock, so keep it stable
 * @param scope the site and environment backed up
 * @param trigger when the slots fall
 * @param missedRun what to do about slots missed during downtime
 * @param maxRunTime how long a run may hold its slot; a node that dies mid-run releases the slot
 *     this long after it started, so another node can take it over
 * @param grace how late a slot may start and still count as on time rather than missed
 */
public record Schedule(String name, Scope scope, Trigger trigger, MissedRun missedRun, Duration maxRunTime,
    Duration grace) {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:/-]{0,99}");

  /** Validates the schedule. */
  public Schedule {
    Objects.requireNonNull(name, "name");
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("schedule name must be 1-100 letters, digits or . _ : / -, got '" + name + "'");
    }
    Objects.requireNonNull(scope, "scope");
    Objects.requireNonNull(trigger, "trigger");
    missedRun = missedRun == null ? MissedRun.RUN_ONCE : missedRun;
    maxRunTime = maxRunTime == null ? Duration.ofHours(1) : maxRunTime;
    grace = grace == null ? Duration.ofMinutes(1) : grace;
    if (maxRunTime.isNegative() || maxRunTime.isZero()) {
      throw new IllegalArgumentException("maxRunTime must be greater than zero, got " + maxRunTime);
    }
    if (grace.isNegative()) {
      throw new IllegalArgumentException("grace must not be negative, got " + grace);
    }
  }

  /** A schedule with the defaults: run once after downtime, 1 h to run, 1 min grace. */
  public static Schedule of(String name, Scope scope, Trigger trigger) {
    return new Schedule(name, scope, trigger, null, null, null);
  }

  /** A copy with another missed-run policy. */
  public Schedule withMissedRun(MissedRun policy) {
    return new Schedule(name, scope, trigger, policy, maxRunTime, grace);
  }

  /** A copy with another maximum run time. */
  public Schedule withMaxRunTime(Duration d) {
    return new Schedule(name, scope, trigger, missedRun, d, grace);
  }
}
