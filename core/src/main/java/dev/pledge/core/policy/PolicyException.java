package dev.pledge.core.policy;

import dev.pledge.core.PledgeException;
import java.util.Optional;

/**
 * A policy document could not be loaded: it is malformed, has an unknown key, a wrong type, a missing
 * required value or a value out of range. The message names the file, the line and column, and the
 * path of the key, as {@code policy.yaml:12:7: backups.schedules[1].every: must be greater than zero}.
 * A policy that throws this was not loaded at all: a policy never half-loads.
 */
public final class PolicyException extends PledgeException {
  private static final long serialVersionUID = 1L;

  private final String source;
  private final int line;
  private final int column;
  private final String path;
  private final String problem;

  /**
   * Creates the exception.
   *
   * @param source the file name or other name of the document
   * @param line the 1-based line, or 0 when unknown
   * @param column the 1-based column, or 0 when unknown
   * @param path the path of the key ({@code backups.schedules[1].every}), or empty for the document
   * @param problem what is wrong, without the location
   */
  public PolicyException(String source, int line, int column, String path, String problem) {
    super(format(source, line, column, path, problem));
    this.source = source;
    this.line = line;
    this.column = column;
    this.path = path == null ? "" : path;
    this.problem = problem;
  }

  /** The file name or other name of the document. */
  public String source() {
    return source;
  }

  /** The 1-based line of the problem, or 0 when unknown. */
  public int line() {
    return line;
  }

  /** The 1-based column of the problem, or 0 when unknown. */
  public int column() {
    return column;
  }

  /** The path of the offending key, such as {@code backups.schedules[1].every}; empty for the document. */
  public String path() {
    return path;
  }

  /** The path, when the problem belongs to a key. */
  public Optional<String> pathIfAny() {
    return path.isEmpty() ? Optional.empty() : Optional.of(path);
  }

  /** What is wrong, without the location. */
  public String problem() {
    return problem;
  }

  private static String format(String source, int line, int column, String path, String problem) {
    StringBuilder sb = new StringBuilder(source);
    if (line > 0) {
      sb.append(':').append(line);
      if (column > 0) {
        sb.append(':').append(column);
      }
    }
    sb.append(": ");
    if (path != null && !path.isEmpty()) {
      sb.append(path).append(": ");
    }
    return sb.append(problem).toString();
  }
}
