package dev.pledge.core;

/**
 * The one unchecked root of every exception Pledge throws for an operational or policy failure.
 *
 * <p>Misuse of an API (a null argument, a negative size) throws {@link IllegalArgumentException} or
 * {@link IllegalStateException} instead, with a message that names the field and the bad value.
 * Messages never contain a secret (password, key, token, TOTP secret).
 */
public class PledgeException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Creates an exception with a message a user can act on. */
  public PledgeException(String message) {
    super(message);
  }

  /** Creates an exception with a message a user can act on and the underlying cause. */
  public PledgeException(String message, Throwable cause) {
    super(message, cause);
  }
}
