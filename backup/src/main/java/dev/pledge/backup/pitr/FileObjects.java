package dev.pledge.backup.pitr;

import dev.pledge.backup.source.BackupSource;
import dev.pledge.backup.source.RestoreTarget;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/** One file as a backup source (a log segment) and as a restore target (a segment or a dump fetched back). */
final class FileObjects {
  private FileObjects() {}

  static BackupSource source(String kind, String description, Path file) {
    return new BackupSource() {
      @Override
      public String kind() {
        return kind;
      }

      @Override
      public String description() {
        return description;
      }

      @Override
      public void writeTo(OutputStream out) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
          in.transferTo(out);
        }
      }
    };
  }

  /**
   * Writes the restored bytes to {@code file} (owner-only: a dump or log holds the database's rows),
   * through a temporary sibling moved into place once complete.
   */
  static RestoreTarget target(String kind, Path file) {
    return new RestoreTarget() {
      @Override
      public String kind() {
        return kind;
      }

      @Override
      public String description() {
        return "file:" + file;
      }

      @Override
      public void restoreFrom(InputStream plaintext) throws IOException {
        if (Files.exists(file)) {
          throw new IOException(file + " already exists; refusing to overwrite it");
        }
        Path tmp = file.resolveSibling(file.getFileName() + ".partial");
        Files.deleteIfExists(tmp);
        try {
          Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
          Files.createFile(tmp);
        }
        try (OutputStream out = Files.newOutputStream(tmp)) {
          plaintext.transferTo(out);
        } catch (IOException e) {
          Files.deleteIfExists(tmp);
          throw e;
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
      }
    };
  }
}
