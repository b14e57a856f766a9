package dev.pledge.security.access;

import dev.pledge.core.PledgeException;

/** A grant or an action was refused by the access policy; the refusal is audited. */
public final class AccessDeniedException extends PledgeException {
  private static final long serialVersionUID = 1L;
  private final String rule;

  /** Creates the exception; {@code rule} names the promise that refused, such as {@code P16}. */
  public AccessDeniedException(String rule, String message) {
    super(message + " (" + rule + ")");
    this.rule = rule;
  }

  /** The promise that refused, such as {@code P16}. */
  public String rule() {
    return rule;
  }
}
