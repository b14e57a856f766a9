package dev.pledge.backup.source;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Objects;

/**
 * Restore targets that take the decrypted backup itself, of any kind, instead of unpacking it: the
 * bytes its source wrote. For a {@link DirectorySource} backup that is a POSIX (PAX) tar stream
 * ({@code tar -xf FILE} extracts it); for a database, the dump its client tool wrote. What a
 * {@code pledge backup restore --raw} writes. The engine hands these targets only bytes that
 * authenticated, as it does every target (P8).
 */
public final class RawTarget {
  /** The kind these targets report; they accept a backup of every kind. */
  public static final String KIND = "raw";

  private RawTarget() {
  }

  /**
   * The backup into the file {@code file}, which must not exist. The bytes go into a hidden sibling
   * file (readable by its owner only, as the plaintext may be sensitive), which is renamed into place
   * only once the whole backup authenticated, so a failed restore leaves no file behind.
   */
  public static StagingRestoreTarget file(Path file) {
    return new FileTarget(Objects.requireNonNull(file, "file").toAbsolutePath().normalize());
  }

  /**
   * The backup into {@code out} (standard output, a pipe), which is not closed. A stream cannot be
   * taken back, so the engine verifies the whole backup first and then decrypts it a second time
   * into the stream. {@code description} names the destination in the audit trail ({@code stdout}).
   */
  public static RestoreTarget stream(OutputStream out, String description) {
    Objects.requireNonNull(out, "out");
    Objects.requireNonNull(description, "description");
    return new RestoreTarget() {
      @Override
      public String kind() {
        return KIND;
      }

      @Override
      public boolean accepts(String sourceKind) {
        return true;
      }

      @Override
      public String description() {
        return description;
      }

      @Override
      public void restoreFrom(InputStream plaintext) throws IOException {
        plaintext.transferTo(out);
        out.flush();
      }
    };
  }

  private static final class FileTarget implements StagingRestoreTarget {
    private final Path file;

    FileTarget(Path file) {
      this.file = file;
    }

    @Override
    public String kind() {
      return KIND;
    }

    @Override
    public boolean accepts(String sourceKind) {
      return true;
    }

    @Override
    public String description() {
      return "file:" + file;
    }

    private void requireAbsent() throws IOException {
      if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
        throw new IOException("restore target " + file + " already exists; a raw restore writes a new file");
      }
    }

    @Override
    public Staged stage(InputStream plaintext) throws IOException {
      requireAbsent();
      Path parent = file.getParent();
      Files.createDirectories(parent);
      // createTempFile makes the file readable and writable by its owner only
      Path staging = Files.createTempFile(parent, "." + file.getFileName() + ".restoring-", "");
      try (OutputStream out = Files.newOutputStream(staging)) {
        plaintext.transferTo(out);
      } catch (IOException | RuntimeException e) {
        Files.deleteIfExists(staging);
        throw e;
      }
      return new Staged() {
        private boolean done;

        @Override
        public void commit() throws IOException {
          if (done) {
            return;
          }
          try {
            requireAbsent();
            Files.move(staging, file, StandardCopyOption.ATOMIC_MOVE);
            done = true;
          } catch (IOException | RuntimeException e) {
            discard();
            throw e;
          }
        }

        @Override
        public void discard() {
          if (!done) {
            done = true;
            try {
              Files.deleteIfExists(staging);
            } catch (IOException ignored) {
              // a hidden temporary file; nothing more can be done here
            }
          }
        }
      };
    }
  }
}
