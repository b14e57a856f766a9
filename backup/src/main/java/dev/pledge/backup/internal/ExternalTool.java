package dev.pledge.backup.internal;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Runs the external tools backups drive (pg_dump, pg_basebackup, mariadb-dump, the clients): secrets
 * go in the environment only, never on the command line, and the end of the tool's stderr goes into
 * the error message. Not part of the API.
 */
public final class ExternalTool {
  private ExternalTool() {}

  /** The first of {@code names} found on PATH, or the first name when none is (the start then fails naming it). */
  public static String find(String... names) {
    for (String name : names) {
      for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
        if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, name))) {
          return Path.of(dir, name).toString();
        }
      }
    }
    return names[0];
  }

  /**
   * Runs {@code command} with {@code in} on its stdin (or nothing) and its stdout into {@code out}
   * (or discarded).
   *
   * @throws IOException naming the tool, its exit status and the end of its stderr
   */
  public static void run(List<String> command, Map<String, String> env, InputStream in, OutputStream out) throws IOException {
    Path err = Files.createTempFile("pledge-pitr-tool", ".err");
    try {
      ProcessBuilder pb = new ProcessBuilder(command).redirectError(err.toFile());
      pb.environment().putAll(env);
      if (out == null) {
        pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
      }
      if (in == null) {
        pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
      }
      Process p;
      try {
        p = pb.start();
      } catch (IOException e) {
        throw new IOException(command.get(0) + " cannot be started (is it installed and on PATH?)", e);
      }
      try {
        if (in != null) {
          try (OutputStream stdin = p.getOutputStream()) {
            in.transferTo(stdin);
          } catch (IOException e) {
            // the tool stopped reading: its exit status and stderr say why
          }
        }
        if (out != null) {
          try (InputStream stdout = p.getInputStream()) {
            stdout.transferTo(out);
          }
        }
        int code = p.waitFor();
        if (code != 0) {
          throw new IOException(Path.of(command.get(0)).getFileName() + " exited with status " + code + ": " + tail(err));
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException(command.get(0) + " was interrupted", e);
      } finally {
        p.destroy();
      }
    } finally {
      Files.deleteIfExists(err);
    }
  }

  private static String tail(Path err) throws IOException {
    String s = Files.readString(err, StandardCharsets.UTF_8).strip();
    return s.length() > 800 ? "..." + s.substring(s.length() - 800) : s;
  }
}
