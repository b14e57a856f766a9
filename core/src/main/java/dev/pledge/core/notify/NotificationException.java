package dev.pledge.core.notify;

import dev.pledge.core.PledgeException;

/** An alert could not be delivered. The message never contains the destination's secret. */
public class NotificationException extends PledgeException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception. */
  public NotificationException(String message) {
    super(message);
  }

  /** Creates the exception with its cause. */
  public NotificationException(String message, Throwable cause) {
    super(message, cause);
  }
}
