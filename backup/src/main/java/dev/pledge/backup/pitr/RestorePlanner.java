package dev.pledge.backup.pitr;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Turns "restore to T" into the exact objects needed (P9), as pgBackRest does: the newest full
 * backup whose consistent point is at or before T, and every log segment from that point up to T,
 * on the timeline that leads to T ({@link #plan(Collection, Collection, Instant)}), with no hole
 * between them. When T cannot be reached it says what is missing.
 *
 * <p>Also answers the retention side's question: which objects must be kept so that every second
 * of a window stays restorable ({@link #needed}). Stateless and thread-safe.
 */
public final class RestorePlanner {
  private final Duration tolerance;

  private RestorePlanner(Duration tolerance) {
    this.tolerance = tolerance;
  }

  /**
   * A planner; {@code tolerance} is the largest gap between one segment's end and the next one's
   * start that still counts as continuous (segments are timestamped to the second).
   */
  public static RestorePlanner create(Duration tolerance) {
    Objects.requireNonNull(tolerance, "tolerance");
    if (tolerance.isNegative()) {
      throw new IllegalArgumentException("tolerance must not be negative, got " + tolerance);
    }
    return new RestorePlanner(tolerance);
  }

  /** A planner that tolerates a one-second gap between consecutive segments. */
  public static RestorePlanner create() {
    return create(Duration.ofSeconds(1));
  }

  /** The plan for restoring to {@code target} from {@code catalog}, on one timeline. */
  public RestorePlan plan(Collection<RecoveryPoint> catalog, Instant target) {
    return plan(catalog, List.of(), target);
  }

  /**
   * The plan for restoring to {@code target} from {@code catalog} along PostgreSQL's timeline
   * {@code switches}, as {@code recovery_target_timeline = latest} and pgBackRest choose: the target
   * is reached on the newest timeline that began at or before it, following its parents back to
   * timeline 1. The logs are those of each timeline on that path, a parent's only before the
   * position where its child branched off (what it wrote after belongs to an abandoned branch), and
   * the full backup is the newest completed at or before the target, on whichever timeline was
   * current then (full backups do not record their timeline). A switch
   * whose parent's own switch is missing from {@code switches} is named as a gap.
   */
  public RestorePlan plan(Collection<RecoveryPoint> catalog, Collection<TimelineSwitch> switches, Instant target) {
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(switches, "switches");
    List<String> gaps = new ArrayList<>();
    List<TimelineSwitch> path = path(switches, target, gaps);
    // the timelines from the root to the target's, each with the switch that leaves it (null for the last)
    List<String> timelines = new ArrayList<>();
    timelines.add(path.isEmpty() ? null : path.get(0).parent());
    path.forEach(sw -> timelines.add(sw.timeline()));
    List<RecoveryPoint> fulls = catalog.stream()
        .filter(p -> p.kind() == RecoveryPoint.Kind.FULL && !p.end().isAfter(target))
        .filter(p -> onPath(p, timelines, path))
        .sorted(Comparator.comparing(RecoveryPoint::end)).toList();
    if (fulls.isEmpty()) {
      Optional<Instant> first = catalog.stream().filter(p -> p.kind() == RecoveryPoint.Kind.FULL)
          .map(RecoveryPoint::end).min(Instant::compareTo);
      gaps.add(first.map(f -> "no full backup completed at or before " + target + "; the earliest completed at " + f)
          .orElse("no full backup at all"));
      return new RestorePlan(target, Optional.empty(), List.of(), gaps, path);
    }
    RecoveryPoint base = fulls.get(fulls.size() - 1);
    if (base.end().equals(target) && path.isEmpty()) {
      return new RestorePlan(target, Optional.of(base), List.of(), gaps, path);
    }
    if (timelines.get(0) == null) {
      timelines.set(0, base.timeline());
    }
    List<RecoveryPoint> logs = catalog.stream()
        .filter(p -> p.kind() == RecoveryPoint.Kind.LOG && onPath(p, timelines, path))
        .filter(p -> p.end().isAfter(base.end()) && !p.start().isAfter(target))
        .sorted(Comparator.comparing(RecoveryPoint::start).thenComparing(RecoveryPoint::end)).toList();
    List<RecoveryPoint> chain = new ArrayList<>();
    Instant covered = base.end();
    for (RecoveryPoint l : logs) {
      if (!l.end().isAfter(covered)) {
        continue; // wholly inside what is covered already
      }
      if (l.start().isAfter(covered.plus(tolerance))) {
        gaps.add("no log covers " + covered + " .. " + l.start());
      }
      chain.add(l);
      covered = l.end();
      if (!covered.isBefore(target)) {
        break;
      }
    }
    if (covered.isBefore(target)) {
      gaps.add("logs end at " + covered + ", before the target " + target);
    }
    return new RestorePlan(target, Optional.of(base), chain, gaps, path);
  }

  /**
   * The switches from timeline 1 to the newest timeline begun at or before {@code target}, oldest
   * first; empty when the target precedes every switch. A broken chain is reported in {@code gaps}.
   */
  private static List<TimelineSwitch> path(Collection<TimelineSwitch> switches, Instant target, List<String> gaps) {
    Map<String, TimelineSwitch> byTimeline = new HashMap<>();
    switches.forEach(sw -> byTimeline.put(sw.timeline(), sw));
    Optional<TimelineSwitch> newest = switches.stream().filter(sw -> !sw.at().isAfter(target))
        .max(Comparator.comparingLong(TimelineSwitch::number));
    List<TimelineSwitch> path = new ArrayList<>();
    for (TimelineSwitch sw = newest.orElse(null); sw != null; sw = byTimeline.get(sw.parent())) {
      path.add(0, sw);
      if (!sw.parent().equals("1") && !byTimeline.containsKey(sw.parent())) {
        gaps.add("timeline " + sw.timeline() + " branched off timeline " + sw.parent()
            + ", whose own history (" + String.format("%08X", Long.parseLong(sw.parent())) + ".history) is not in the archive");
      }
    }
    return path;
  }

  /**
   * Whether {@code p} lies on the path: a log on one of its timelines and, unless on the last,
   * before the switch that leaves it (by position, or by time when its position is unknown).
   */
  private static boolean onPath(RecoveryPoint p, List<String> timelines, List<TimelineSwitch> path) {
    if (timelines.get(0) == null || p.kind() == RecoveryPoint.Kind.FULL) {
      // A full backup's manifest does not say which timeline it was taken on; at any instant the path
      // has one current timeline, so a full counts as taken on that one. (A full taken after a switch
      // on a server still writing the abandoned branch, a split brain, would be misread.)
      return true;
    }
    int i = timelines.indexOf(p.timeline());
    if (i < 0) {
      return false;
    }
    if (i == timelines.size() - 1) {
      return true;
    }
    TimelineSwitch leaving = path.get(i);
    return p.position() >= 0 ? p.position() < leaving.position() : p.start().isBefore(leaving.at());
  }

  /**
   * The objects that must be kept so that every instant of {@code [from, to]} stays restorable:
   * the newest full backup completed at or before {@code from} (or the first one after it, when
   * none precedes), every later full backup up to {@code to}, and every log segment from that base
   * onwards.
   */
  public List<RecoveryPoint> needed(Collection<RecoveryPoint> catalog, Instant from, Instant to) {
    RestorePlan atStart = plan(catalog, from);
    Instant baseEnd = atStart.base().map(RecoveryPoint::end).orElse(from);
    List<RecoveryPoint> out = new ArrayList<>();
    for (RecoveryPoint p : catalog) {
      boolean keep = p.kind() == RecoveryPoint.Kind.FULL
          ? !p.end().isBefore(baseEnd) && !p.end().isAfter(to)
          : p.end().isAfter(baseEnd) && !p.start().isAfter(to);
      if (keep) {
        out.add(p);
      }
    }
    out.sort(Comparator.comparing(RecoveryPoint::start));
    return List.copyOf(out);
  }
}
