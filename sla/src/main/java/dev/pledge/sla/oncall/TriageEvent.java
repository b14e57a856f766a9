package dev.pledge.sla.oncall;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One fact in the triage of a report (P33), as recorded for its {@link Triage}: classified, assigned,
 * reclassified. A triage is the replay of its events and nothing else. Immutable.
 */
public sealed interface TriageEvent {

  /** When it happened. */
  Instant at();

  /** Who did it: an engineer's id, or {@code pledge} for automatic steps. */
  String by();

  /**
   * The report was classified in tier {@code rank} for {@code reasons} (the matched rules).
   *
   * @param at when
   * @param reportId the report's id
   * @param rank the tier's rank
   * @param reasons the rules that decided, most severe first
   * @param by who classified it
   */
  record Classified(Instant at, String reportId, int rank, List<String> reasons, String by) implements TriageEvent {
    /** Validates the event. */
    public Classified {
      Objects.requireNonNull(at, "at");
      if (reportId == null || reportId.isBlank()) {
        throw new IllegalArgumentException("reportId must not be blank");
      }
      checkRank(rank);
      reasons = reasons == null ? List.of() : List.copyOf(reasons);
      by = who(by);
    }
  }

  /**
   * The report was assigned, or reassigned, to {@code to}.
   *
   * @param at when
   * @param to the engineer or queue now responsible
   * @param by who assigned it
   * @param note why, for the history; may be empty
   */
  record Assigned(Instant at, Assignee to, String by, String note) implements TriageEvent {
    /** Validates the event. */
    public Assigned {
      Objects.requireNonNull(at, "at");
      Objects.requireNonNull(to, "to");
      by = who(by);
      note = note == null ? "" : note;
    }
  }

  /**
   * The report moved to tier {@code rank}.
   *
   * @param at when
   * @param rank the new tier's rank
   * @param by who reclassified it
   * @param reason why, for the history
   */
  record Reclassified(Instant at, int rank, String by, String reason) implements TriageEvent {
    /** Validates the event. */
    public Reclassified {
      Objects.requireNonNull(at, "at");
      checkRank(rank);
      by = who(by);
      if (reason == null || reason.isBlank()) {
        throw new IllegalArgumentException("a reclassification needs a reason for the history");
      }
    }
  }

  private static void checkRank(int rank) {
    if (rank < 1) {
      throw new IllegalArgumentException("rank must be at least 1, got " + rank);
    }
  }

  private static String who(String by) {
    if (by == null || by.isBlank()) {
      throw new IllegalArgumentException("by must name who acted (an engineer's id, or pledge)");
    }
    return by;
  }

  /**
   * Who is responsible for a report: an engineer or a queue.
   *
   * @param queue true for a queue, false for an engineer
   * @param id the engineer's id or the queue's name
   */
  record Assignee(boolean queue, String id) {
    /** Validates the assignee. */
    public Assignee {
      if (id == null || id.isBlank()) {
        throw new IllegalArgumentException("an assignee needs an id");
      }
    }

    /** An engineer. */
    public static Assignee engineer(String id) {
      return new Assignee(false, id);
    }

    /** A queue. */
    public static Assignee queue(String name) {
      return new Assignee(true, name);
    }

    @java.lang.Override
    public String toString() {
      return (queue ? "queue " : "engineer ") + id;
    }
  }
}
