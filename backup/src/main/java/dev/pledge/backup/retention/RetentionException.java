package dev.pledge.backup.retention;

import dev.pledge.core.PledgeException;

/**
 * A retention plan was refused because it would break restore coverage (a kept backup whose
 * parent chain is incomplete). The message names the backups and the reason (P9, P11).
 */
public class RetentionException extends PledgeException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception with a message naming the backups involved. */
  public RetentionException(String message) {
    super(message);
  }
}
