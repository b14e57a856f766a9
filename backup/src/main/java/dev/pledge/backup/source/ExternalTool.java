package dev.pledge.backup.source;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Runs a dump or restore tool with secrets in its environment only, and its stderr kept for the error message. */
final class ExternalTool {
  private ExternalTool() {}

  /** Runs {@code command}, copying its stdout to {@code out} (when not null) and {@code in} to its stdin (when not null). */
  static void run(List<String> command, Map<String, String> env, InputStream in, OutputStream out) throws IOException {
    Path errFile = Files.createTempFile("pledge-tool", ".err");
    try {
      ProcessBuilder pb = new ProcessBuilder(command).redirectError(errFile.toFile());
      pb.environment().putAll(env);
      if (out == null) {
        pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
      }
      if (in == null) {
        pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
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
          throw new IOException(command.get(0) + " exited with status " + code + ": " + tail(errFile));
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException(command.get(0) + " was interrupted", e);
      } finally {
        p.destroy();
      }
    } finally {
      Files.deleteIfExists(errFile);
    }
  }

  private static String tail(Path errFile) throws IOException {
    String s = Files.readString(errFile, StandardCharsets.UTF_8).strip();
    return s.length() > 2000 ? "..." + s.substring(s.length() - 2000) : s;
  }
}
