package dev.pledge.backup.example;

import dev.pledge.backup.source.BackupSource;
import dev.pledge.backup.source.RestoreTarget;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The SPI example: an integrator's own source and target, written against the public API only. A
 * SQLite database is backed up as the SQL text of {@code sqlite3 .dump} (one read transaction, so a
 * consistent snapshot) and restored by feeding that text to {@code sqlite3} on a new file. The same
 * shape serves MongoDB ({@code mongodump --archive} / {@code mongorestore --archive}) or any tool that
 * writes a dump to stdout and reads it back from stdin.
 */
public record SqliteDatabase(Path file) implements BackupSource, RestoreTarget {

  @Override
  public String kind() {
    return "sqlite";
  }

  @Override
  public String description() {
    return "sqlite:" + file.toAbsolutePath();
  }

  @Override
  public void writeTo(OutputStream out) throws IOException {
    Process p = start(List.of("sqlite3", "-bail", "-readonly", file.toString(), ".dump"));
    p.getOutputStream().close();
    try (InputStream dump = p.getInputStream()) {
      dump.transferTo(out);
    }
    await(p, "dumping " + file);
  }

  @Override
  public void restoreFrom(InputStream plaintext) throws IOException {
    if (Files.exists(file)) {
      throw new IOException("restore target " + file + " exists; restore into a new file");
    }
    Process p = start(List.of("sqlite3", "-bail", file.toString()));
    try (OutputStream sql = p.getOutputStream()) {
      plaintext.transferTo(sql);
    }
    p.getInputStream().transferTo(OutputStream.nullOutputStream());
    await(p, "restoring into " + file);
  }

  private static Process start(List<String> command) throws IOException {
    return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.PIPE).start();
  }

  private static void await(Process p, String what) throws IOException {
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    try {
      if (p.waitFor() != 0) {
        throw new IOException("sqlite3 failed " + what + ": " + err);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted " + what, e);
    }
  }
}
