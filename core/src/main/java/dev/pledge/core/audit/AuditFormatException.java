package dev.pledge.core.audit;

import dev.pledge.core.PledgeException;

/**
 * A stored line or row that is not an audit record or checkpoint any more (hand-edited, cut short),
 * named by where it is ({@code trail.jsonl:12}). Verification reports it as an edited record rather
 * than failing; other reads throw it.
 */
public class AuditFormatException extends PledgeException {
  private static final long serialVersionUID = 1L;

  /** An error whose message names the place and what is wrong there. */
  public AuditFormatException(String message) {
    super(message);
  }
}
