package dev.pledge.sla.oncall;

import dev.pledge.sla.clock.SlaEvent;
import dev.pledge.sla.severity.Classification;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The triage of one report (P33), event-sourced like the SLA clock: it is the replay of its
 * {@link TriageEvent}s, so the whole history of classification and assignment is kept and the same
 * events always give the same state. A classified report goes to the operations engineer on call, or
 * to a queue when nobody is; later reassignments and reclassifications append to the history.
 *
 * <p>Rules: the first event, and only it, is {@code Classified}; events are in time order; a
 * reassignment names someone other than the current assignee; a reclassification changes the
 * tier. Immutable and thread-safe; changes return a new triage.
 *
 * <pre>{@code
 * Triage t = Triage.start("R-17", classification, schedule, "support-queue", now);
 * t.assignee();                       // engineer alice (on call)
 * t = t.reclassify(later, 2, "alice", "only one customer affected");
 * t.clockEvents();                    // feed to SlaClock.replay: opened, reclassified
 * }</pre>
 */
public final class Triage {
  private final List<TriageEvent> events;
  private final dev.pledge.sla.history.SlaHistory history;

  private Triage(List<TriageEvent> events, dev.pledge.sla.history.SlaHistory history) {
    this.events = events;
    this.history = history;
  }

  /**
   * Replays {@code events}.
   *
   * @throws IllegalArgumentException naming the offending event
   */
  public static Triage replay(List<? extends TriageEvent> events) {
    List<TriageEvent> copy = List.copyOf(events);
    if (copy.isEmpty() || !(copy.get(0) instanceof TriageEvent.Classified)) {
      throw new IllegalArgumentException("a triage starts with the classified event");
    }
    int rank = 0;
    TriageEvent.Assignee assignee = null;
    for (int i = 0; i < copy.size(); i++) {
      TriageEvent e = copy.get(i);
      String where = "event " + i + " (" + e.getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT) + " at " + e.at() + ")";
      if (i > 0 && e.at().isBefore(copy.get(i - 1).at())) {
        throw new IllegalArgumentException(where + " is earlier than event " + (i - 1) + ": events must be in time order");
      }
      if (e instanceof TriageEvent.Classified c) {
        if (i > 0) {
          throw new IllegalArgumentException(where + ": the report was already classified; reclassify instead");
        }
        rank = c.rank();
      } else if (e instanceof TriageEvent.Reclassified r) {
        if (r.rank() == rank) {
          throw new IllegalArgumentException(where + ": the report is already in tier " + rank);
        }
        rank = r.rank();
      } else if (e instanceof TriageEvent.Assigned a) {
        if (a.to().equals(assignee)) {
          throw new IllegalArgumentException(where + ": the report is already assigned to " + assignee);
        }
        assignee = a.to();
      }
    }
    return new Triage(copy, null);
  }

  /**
   * Starts the triage of a classified report: it goes to the operations engineer on call at
   * {@code at}, or to {@code queue} when nobody (or nobody from operations) is on call.
   */
  public static Triage start(String reportId, Classification classification, OnCallSchedule schedule,
      String queue, Instant at) {
    Objects.requireNonNull(classification, "classification");
    Objects.requireNonNull(schedule, "schedule");
    TriageEvent.Assignee to = schedule.onCall(at).filter(Engineer::operations)
        .map(e -> TriageEvent.Assignee.engineer(e.id()))
        .orElseGet(() -> TriageEvent.Assignee.queue(queue));
    String note = to.queue() ? "nobody from operations on call" : "on call";
    return replay(List.of(
        new TriageEvent.Classified(at, reportId, classification.tier().rank(), classification.matchedNames(), "pledge"),
        new TriageEvent.Assigned(at, to, "pledge", note)));
  }

  /** This triage with the report reassigned to {@code to}. */
  public Triage reassign(Instant at, TriageEvent.Assignee to, String by, String note) {
    return append(new TriageEvent.Assigned(at, to, by, note));
  }

  /** This triage with the report moved to tier {@code rank}. */
  public Triage reclassify(Instant at, int rank, String by, String reason) {
    return append(new TriageEvent.Reclassified(at, rank, by, reason));
  }

  private Triage append(TriageEvent e) {
    List<TriageEvent> next = new ArrayList<>(events);
    next.add(e);
    Triage appended = replay(next);
    if (history == null) {
      return appended;
    }
    history.appendTriage(reportId(), events.size(), e);
    return new Triage(appended.events, history);
  }

  /**
   * This triage, recording into {@code history} (P33): the events the history does not hold yet are
   * written now, and every later reassignment or reclassification is written as it happens (and
   * fails, changing nothing, when it cannot be).
   *
   * @throws dev.pledge.core.PledgeException when the history cannot be written
   */
  public Triage recordingTo(dev.pledge.sla.history.SlaHistory history) {
    Objects.requireNonNull(history, "history");
    int stored = history.triageEvents(reportId()).size();
    for (int i = stored; i < events.size(); i++) {
      history.appendTriage(reportId(), i, events.get(i));
    }
    return new Triage(events, history);
  }

  /** The report's id. */
  public String reportId() {
    return ((TriageEvent.Classified) events.get(0)).reportId();
  }

  /** The current tier's rank. */
  public int rank() {
    int rank = 0;
    for (TriageEvent e : events) {
      if (e instanceof TriageEvent.Classified c) {
        rank = c.rank();
      } else if (e instanceof TriageEvent.Reclassified r) {
        rank = r.rank();
      }
    }
    return rank;
  }

  /** Who is responsible now, if anyone was assigned. */
  public Optional<TriageEvent.Assignee> assignee() {
    TriageEvent.Assignee a = null;
    for (TriageEvent e : events) {
      if (e instanceof TriageEvent.Assigned x) {
        a = x.to();
      }
    }
    return Optional.ofNullable(a);
  }

  /** Every event, oldest first: the full history. */
  public List<TriageEvent> history() {
    return events;
  }

  /** The events the report's SLA clock needs: opened in the first tier, then each reclassification. */
  public List<SlaEvent> clockEvents() {
    List<SlaEvent> out = new ArrayList<>();
    for (TriageEvent e : events) {
      if (e instanceof TriageEvent.Classified c) {
        out.add(new SlaEvent.Opened(c.at(), c.rank()));
      } else if (e instanceof TriageEvent.Reclassified r) {
        out.add(new SlaEvent.Reclassified(r.at(), r.rank()));
      }
    }
    return out;
  }

  @java.lang.Override
  public String toString() {
    return "Triage[" + reportId() + ", tier " + rank() + ", " + assignee().map(Object::toString).orElse("unassigned")
        + ", " + events.size() + " events]";
  }
}
