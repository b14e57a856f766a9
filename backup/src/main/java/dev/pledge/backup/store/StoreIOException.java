package dev.pledge.backup.store;

import java.io.IOException;

/**
 * An I/O failure of the store itself (network down, disk error, server error), as opposed to bytes
 * that fail authentication. Stores throw it from their streams so that the engine reports an
 * operational failure rather than a tampered backup.
 */
public class StoreIOException extends IOException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception; the message names the location, never a credential. */
  public StoreIOException(String message, Throwable cause) {
    super(message, cause);
  }
}
