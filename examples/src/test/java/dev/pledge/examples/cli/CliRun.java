package dev.pledge.examples.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pledge.core.internal.Json;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * One in-process run of the {@code pledge} command line: its exit status, stdout and stderr.
 *
 * @param exitCode the exit status
 * @param out what was printed on stdout
 * @param err what was printed on stderr
 */
public record CliRun(int exitCode, String out, String err) {

  /** Runs {@code pledge args} with empty stdin. */
  public static CliRun of(String... args) {
    return withInput("", args);
  }

  /** Runs {@code pledge args} with {@code stdin} as standard input. */
  public static CliRun withInput(String stdin, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = PledgeCli.run(args, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
        new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    return new CliRun(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  /** Stdout parsed as exactly one JSON document. */
  public JsonNode json() {
    try {
      return Json.mapper().readTree(out);
    } catch (Exception e) {
      throw new AssertionError("stdout is not one JSON document: " + out, e);
    }
  }
}
