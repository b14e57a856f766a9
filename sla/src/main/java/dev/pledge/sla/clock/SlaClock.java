package dev.pledge.sla.clock;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The response clock of one report, event-sourced (P34-P37): it is the replay of its
 * {@link SlaEvent}s and holds no other state, so replaying the same events always gives the same
 * deadline, and there is no "recalculate" step.
 *
 * <p>Rules: the first event opens the report; events are in time order (equal instants keep their
 * order); a pause cannot start while paused (overlapping pauses) and a resume needs a pause; nothing
 * follows a resolution; a report responds at most once. The target of the tier in force counts, on
 * that tier's calendar, from when the report was opened, minus paused time: after a reclassification
 * the new target counts from the opening too (retroactive start). A resolution before any response
 * stops the response clock as a response would.
 *
 * <p>Immutable and thread-safe; {@link #append} returns a new clock.
 *
 * <pre>{@code
 * SlaClock clock = SlaClock.replay(policy.targets(null), List.of(
 *     new SlaEvent.Opened(Instant.parse("2026-11-02T09:00:00Z"), 2)));
 * clock.status(now).deadline();   // 6 working hours after the opening
 * }</pre>
 */
public final class SlaClock {
  private static final int[] THRESHOLDS = {50, 75, 90, 100};

  private final ResponseTargets targets;
  private final List<SlaEvent> events;
  private final Recording recording;

  /** Where appended events are written: the history, the report's id and its customer (may be null). */
  private record Recording(dev.pledge.sla.history.SlaHistory history, String reportId, String customer) {}

  private SlaClock(ResponseTargets targets, List<SlaEvent> events, Recording recording) {
    this.targets = targets;
    this.events = events;
    this.recording = recording;
  }

  /**
   * Replays {@code events} against {@code targets}.
   *
   * @throws IllegalArgumentException naming the offending event when the events break a rule above
   *     or name an unknown tier
   */
  public static SlaClock replay(ResponseTargets targets, List<? extends SlaEvent> events) {
    Objects.requireNonNull(targets, "targets");
    List<SlaEvent> copy = List.copyOf(events);
    validate(targets, copy);
    return new SlaClock(targets, copy, null);
  }

  /** A clock for a report opened at {@code at} in tier {@code rank}. */
  public static SlaClock open(ResponseTargets targets, Instant at, int rank) {
    return replay(targets, List.of(new SlaEvent.Opened(at, rank)));
  }

  /**
   * This clock with {@code event} appended, validated as by {@link #replay}. A clock
   * {@linkplain #recordingTo recording} to a history writes the event there first, and fails (with
   * nothing appended) when it cannot.
   */
  public SlaClock append(SlaEvent event) {
    List<SlaEvent> next = new ArrayList<>(events);
    next.add(Objects.requireNonNull(event, "event"));
    SlaClock appended = replay(targets, next);
    if (recording == null) {
      return appended;
    }
    recording.history().appendClock(recording.reportId(), recording.customer(), events.size(), event);
    return new SlaClock(targets, appended.events, recording);
  }

  /**
   * This clock, recording into {@code history} as report {@code reportId} (P34-P37): the events the
   * history does not hold yet are written now, and every later {@link #append} is written as it
   * happens, so that the compliance report can judge the response from the history.
   *
   * @param customer the customer whose terms {@code targets} are; null for the standard terms
   * @throws dev.pledge.core.PledgeException when the history cannot be written
   */
  public SlaClock recordingTo(dev.pledge.sla.history.SlaHistory history, String reportId, String customer) {
    Objects.requireNonNull(history, "history");
    if (reportId == null || reportId.isBlank()) {
      throw new IllegalArgumentException("reportId must not be blank");
    }
    int stored = history.clockEvents(reportId).size();
    for (int i = stored; i < events.size(); i++) {
      history.appendClock(reportId, customer, i, events.get(i));
    }
    return new SlaClock(targets, events, new Recording(history, reportId, customer));
  }

  /** The events, oldest first. */
  public List<SlaEvent> events() {
    return events;
  }

  private static void validate(ResponseTargets targets, List<SlaEvent> events) {
    if (events.isEmpty()) {
      throw new IllegalArgumentException("an SLA clock needs at least the opened event");
    }
    if (!(events.get(0) instanceof SlaEvent.Opened)) {
      throw new IllegalArgumentException("event 0 (" + events.get(0).kind() + " at " + events.get(0).at()
          + ") comes before the report was opened: the first event must be opened");
    }
    Instant pausedSince = null;
    boolean responded = false;
    boolean resolved = false;
    for (int i = 0; i < events.size(); i++) {
      SlaEvent e = events.get(i);
      String where = "event " + i + " (" + e.kind() + " at " + e.at() + ")";
      if (i > 0 && e.at().isBefore(events.get(i - 1).at())) {
        throw new IllegalArgumentException(where + " is earlier than event " + (i - 1) + " ("
            + events.get(i - 1).kind() + " at " + events.get(i - 1).at() + "): events must be in time order");
      }
      if (resolved) {
        throw new IllegalArgumentException(where + " follows the resolution: nothing may follow resolved");
      }
      if (e instanceof SlaEvent.Opened o) {
        if (i > 0) {
          throw new IllegalArgumentException(where + ": the report was already opened");
        }
        targets.target(o.rank());
      } else if (e instanceof SlaEvent.Reclassified r) {
        targets.target(r.rank());
      } else if (e instanceof SlaEvent.Paused) {
        if (pausedSince != null) {
          throw new IllegalArgumentException(where + " overlaps the pause since " + pausedSince
              + ": resume before pausing again");
        }
        pausedSince = e.at();
      } else if (e instanceof SlaEvent.Resumed) {
        if (pausedSince == null) {
          throw new IllegalArgumentException(where + ": the clock is not paused");
        }
        pausedSince = null;
      } else if (e instanceof SlaEvent.Responded) {
        if (responded) {
          throw new IllegalArgumentException(where + ": the report was already responded to");
        }
        responded = true;
      } else if (e instanceof SlaEvent.Resolved) {
        resolved = true;
      }
    }
  }

  /**
   * The clock at {@code now}, counting only events at or before {@code now}.
   *
   * @throws IllegalArgumentException when {@code now} is before the opening
   */
  public SlaStatus status(Instant now) {
    Objects.requireNonNull(now, "now");
    Instant opened = events.get(0).at();
    if (now.isBefore(opened)) {
      throw new IllegalArgumentException("now (" + now + ") is before the report was opened (" + opened + ")");
    }
    // running segments [start, end); end == null means still running
    List<Instant[]> segments = new ArrayList<>();
    List<Instant> epochStarts = new ArrayList<>();
    List<Integer> epochRanks = new ArrayList<>();
    Instant runningSince = null;
    Instant stop = null;
    SlaStatus.State state = SlaStatus.State.RUNNING;
    for (SlaEvent e : events) {
      if (e.at().isAfter(now)) {
        break;
      }
      if (e instanceof SlaEvent.Opened o) {
        runningSince = o.at();
        epochStarts.add(o.at());
        epochRanks.add(o.rank());
      } else if (e instanceof SlaEvent.Reclassified r) {
        epochStarts.add(r.at());
        epochRanks.add(r.rank());
      } else if (stop != null) {
        if (e instanceof SlaEvent.Resolved) {
          state = SlaStatus.State.RESOLVED;
        }
        continue;
      } else if (e instanceof SlaEvent.Paused) {
        segments.add(new Instant[] {runningSince, e.at()});
        runningSince = null;
        state = SlaStatus.State.PAUSED;
      } else if (e instanceof SlaEvent.Resumed) {
        runningSince = e.at();
        state = SlaStatus.State.RUNNING;
      } else {
        stop = e.at();
        if (runningSince != null) {
          segments.add(new Instant[] {runningSince, stop});
          runningSince = null;
        }
        state = e instanceof SlaEvent.Resolved ? SlaStatus.State.RESOLVED : SlaStatus.State.RESPONDED;
      }
    }
    if (runningSince != null) {
      segments.add(new Instant[] {runningSince, null});
    }
    int rank = epochRanks.get(epochRanks.size() - 1);
    ResponseTargets.Target target = targets.target(rank);
    BusinessCalendar cal = target.calendar();
    Instant until = stop != null ? stop : now;
    Duration elapsed = Duration.ZERO;
    for (Instant[] s : segments) {
      Instant end = s[1] == null || s[1].isAfter(until) ? until : s[1];
      elapsed = elapsed.plus(cal.between(s[0], end));
    }
    Instant deadline = reach(segments, cal, target.respondWithin());
    boolean breached = deadline != null && (stop != null ? deadline.isBefore(stop) : !deadline.isAfter(now));
    if (deadline != null && stop != null && !deadline.isBefore(stop)) {
      deadline = null; // responded in time: the target was never reached
    }
    Duration remaining = target.respondWithin().minus(elapsed);
    if (remaining.isNegative()) {
      remaining = Duration.ZERO;
    }
    List<SlaWarning> warnings = new ArrayList<>();
    for (int ep = 0; ep < epochRanks.size(); ep++) {
      ResponseTargets.Target t = targets.target(epochRanks.get(ep));
      Instant from = epochStarts.get(ep);
      Instant to = ep + 1 < epochStarts.size() ? epochStarts.get(ep + 1) : null;
      for (int p : THRESHOLDS) {
        Instant x = reach(segments, t.calendar(), t.respondWithin().multipliedBy(p).dividedBy(100));
        if (x == null || x.isAfter(now) || (stop != null && !x.isBefore(stop))) {
          continue;
        }
        if (to != null && !x.isBefore(to)) {
          continue;
        }
        if (x.isBefore(from)) {
          if (ep == 0) {
            continue;
          }
          ResponseTargets.Target prev = targets.target(epochRanks.get(ep - 1));
          Instant before = reach(segments, prev.calendar(), prev.respondWithin().multipliedBy(p).dividedBy(100));
          if (before != null && before.isBefore(from)) {
            continue; // already announced for the earlier tier
          }
          x = from;
        }
        warnings.add(new SlaWarning(x, p, t.rank()));
      }
    }
    warnings.sort((a, b) -> a.occurredAt().compareTo(b.occurredAt()));
    return new SlaStatus(now, state, rank, target.respondWithin(), elapsed, remaining,
        java.util.Optional.ofNullable(deadline), breached, warnings);
  }

  /** The instant at which {@code amount} of working time has run over {@code segments}, or null. */
  private static Instant reach(List<Instant[]> segments, BusinessCalendar cal, Duration amount) {
    Duration left = amount;
    for (Instant[] s : segments) {
      if (s[1] == null) {
        return cal.plus(s[0], left);
      }
      Duration w = cal.between(s[0], s[1]);
      if (w.compareTo(left) >= 0) {
        return cal.plus(s[0], left);
      }
      left = left.minus(w);
    }
    return null;
  }

  @Override
  public String toString() {
    return "SlaClock[" + events.size() + " events, opened " + events.get(0).at() + "]";
  }
}
