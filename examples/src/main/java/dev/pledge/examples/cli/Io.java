package dev.pledge.examples.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** The standard streams of one run of the command line. */
public final class Io {
  private final InputStream in;
  private final PrintStream out;
  private final PrintStream err;
  private BufferedReader reader;

  Io(InputStream in, PrintStream out, PrintStream err) {
    this.in = in;
    this.out = out;
    this.err = err;
  }

  /** Standard output: the answer, and nothing else when {@code --json} is given. */
  public PrintStream out() {
    return out;
  }

  /** Standard error: diagnostics and messages that name problems. */
  public PrintStream err() {
    return err;
  }

  /** Standard input as raw bytes. */
  public InputStream in() {
    return in;
  }

  /** The next line of standard input without its line terminator, or {@code null} at its end. */
  public String readLine() {
    try {
      if (reader == null) {
        reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      }
      return reader.readLine();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every remaining line of standard input. */
  public List<String> readLines() {
    List<String> lines = new ArrayList<>();
    for (String l = readLine(); l != null; l = readLine()) {
      lines.add(l);
    }
    return lines;
  }

  /** All of standard input as text. */
  public String readAll() {
    return String.join("\n", readLines());
  }

  /**
   * What went wrong with a file, in the user's words rather than Java's: {@code no such file or
   * folder}, {@code permission denied}, {@code is a directory}, {@code is not UTF-8 text}; never the
   * path again (the caller names it) nor an exception's class name.
   */
  public static String problem(IOException e) {
    if (e instanceof java.nio.file.NoSuchFileException) {
      return "no such file or folder";
    }
    if (e instanceof java.nio.file.AccessDeniedException) {
      return "permission denied";
    }
    if (e instanceof java.nio.file.FileAlreadyExistsException) {
      return "already exists";
    }
    if (e instanceof java.nio.file.NotDirectoryException) {
      return "a part of the path is not a folder";
    }
    if (e instanceof java.nio.charset.CharacterCodingException) {
      return "is not UTF-8 text";
    }
    if (e instanceof java.nio.file.FileSystemException f && f.getReason() != null) {
      return f.getReason().toLowerCase(java.util.Locale.ROOT);
    }
    String m = e.getMessage();
    return m == null || m.isBlank() ? "input/output error" : m.toLowerCase(java.util.Locale.ROOT);
  }
}
