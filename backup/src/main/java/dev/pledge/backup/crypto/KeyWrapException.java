package dev.pledge.backup.crypto;

import dev.pledge.backup.BackupException;

/** A data key could not be wrapped or unwrapped: wrong master key, altered key, or key service down. */
public final class KeyWrapException extends BackupException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception; the message names the key id, never key material. */
  public KeyWrapException(String message, Throwable cause) {
    super(message, cause);
  }
}
