package dev.pledge.backup.pitr;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Turns "restore to T" into the exact objects needed (P9), as pgBackRest does: the newest full
 * backup whose consistent point is at or before T, and every log segment from that point up to T,
 * on the same timeline, with no hole between them. When T cannot be reached it says what is missing.
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

  /** The plan for restoring to {@code target} from {@code catalog}. */
  public RestorePlan plan(Collection<RecoveryPoint> catalog, Instant target) {
    Objects.requireNonNull(target, "target");
    List<RecoveryPoint> fulls = catalog.stream()
        .filter(p -> p.kind() == RecoveryPoint.Kind.FULL && !p.end().isAfter(target))
        .sorted(Comparator.comparing(RecoveryPoint::end)).toList();
    if (fulls.isEmpty()) {
      Optional<Instant> first = catalog.stream().filter(p -> p.kind() == RecoveryPoint.Kind.FULL)
          .map(RecoveryPoint::end).min(Instant::compareTo);
      return new RestorePlan(target, Optional.empty(), List.of(), List.of(first
          .map(f -> "no full backup completed at or before " + target + "; the earliest completed at " + f)
          .orElse("no full backup at all")));
    }
    RecoveryPoint base = fulls.get(fulls.size() - 1);
    if (base.end().equals(target)) {
      return new RestorePlan(target, Optional.of(base), List.of(), List.of());
    }
    List<RecoveryPoint> logs = catalog.stream()
        .filter(p -> p.kind() == RecoveryPoint.Kind.LOG && p.timeline().equals(base.timeline()))
        .filter(p -> p.end().isAfter(base.end()) && !p.start().isAfter(target))
        .sorted(Comparator.comparing(RecoveryPoint::start).thenComparing(RecoveryPoint::end)).toList();
    List<RecoveryPoint> chain = new ArrayList<>();
    List<String> gaps = new ArrayList<>();
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
    return new RestorePlan(target, Optional.of(base), chain, gaps);
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
