package dev.pledge.backup.schedule;

import dev.pledge.core.Scope;
import dev.pledge.core.event.PledgeEvent;
import java.time.Instant;

/**
 * What happened to one slot of a schedule on this node.
 *
 * @param occurredAt when, by the scheduler's clock
 * @param schedule the schedule's name
 * @param scope the site and environment
 * @param slot the slot concerned
 * @param kind what happened
 * @param attempt the attempt number, from 1, where it applies; else 0
 * @param detail a short explanation (the failure's message, the next retry time)
 */
public record ScheduleEvent(Instant occurredAt, String schedule, Scope scope, Instant slot, Kind kind, int attempt,
    String detail) implements PledgeEvent {

  /** What happened. */
  public enum Kind {
    /** This node took the slot and started the job. */
    STARTED,
    /** The job succeeded; the slot is completed. */
    SUCCEEDED,
    /** An attempt failed; a retry was scheduled. */
    RETRY_SCHEDULED,
    /** Every attempt failed; an alert was sent and the slot was given up. */
    GAVE_UP,
    /**
     * The latest slot passed before any node ever ran the schedule, and its {@link MissedRun} does not
     * ask for a run at first start; the next slot runs.
     */
    FIRST_START_SKIPPED,
    /** Slots passed while no node ran (downtime) and the policy is to skip them. */
    MISSED_SKIPPED,
    /** The slot fell while the previous run of the same schedule was still going. */
    OVERLAP_SKIPPED,
    /** Another node holds or completed the slot. */
    TAKEN_BY_OTHER_NODE
  }
}
