package dev.pledge.examples.cli;

/** Ends a command with an exit status and a message for standard error. */
public final class CliException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final int exitCode;

  /** Creates the exception. */
  public CliException(int exitCode, String message) {
    super(message);
    this.exitCode = exitCode;
  }

  /** Bad usage or bad input (exit 2). */
  public static CliException badInput(String message) {
    return new CliException(PledgeCli.BAD_INPUT, message);
  }

  /** An operational failure (exit 3). */
  public static CliException failure(String message) {
    return new CliException(PledgeCli.FAILURE, message);
  }

  /** The exit status. */
  public int exitCode() {
    return exitCode;
  }
}
