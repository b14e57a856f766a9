package dev.pledge.sla.oncall;

import dev.pledge.core.PledgeException;

/** An on-call schedule breaks P38: an out-of-hours gap, or an ineligible engineer out of hours. */
public class ScheduleException extends PledgeException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception. */
  public ScheduleException(String message) {
    super(message);
  }
}
