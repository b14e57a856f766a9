package dev.pledge.backup.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The embedded default store ({@code file:/path}): each object is a file under a root directory.
 * Objects are written to a hidden {@code .partial} file, forced to disk, then renamed atomically
 * into place and the directory forced, so a crash leaves either the whole object or a leftover that
 * {@link #cleanUpIncomplete()} removes once it has not been written for {@link
 * Builder#incompleteWriteAge(Duration)} (default 24 h), so that a write still running on another node
 * that shares the directory (an NFS or SMB mount) is never cut from under it. Thread-safe.
 *
 * <pre>{@code
 * FileStore store = FileStore.builder(Path.of("/mnt/backups/pledge"))
 *     .incompleteWriteAge(Duration.ofHours(24)).build();
 * }</pre>
 */
public final class FileStore implements BackupStore {
  private static final Pattern KEY = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*(/[A-Za-z0-9][A-Za-z0-9._-]*)*");
  private static final String PARTIAL = ".partial";
  private static final SecureRandom RANDOM = new SecureRandom();
  private final Path root;
  private final Clock clock;
  private final Duration incompleteWriteAge;

  private final Builder settings;

  private FileStore(Builder b) {
    this.settings = new Builder(b);
    this.root = b.root.toAbsolutePath().normalize();
    this.clock = b.clock;
    this.incompleteWriteAge = b.incompleteWriteAge;
  }

  /**
   * A store rooted at {@code root} with the defaults (system UTC clock, 24 h before a partial file
   * counts as abandoned); the directory is created on first write.
   */
  public static FileStore at(Path root) {
    return builder(root).build();
  }

  /** A builder for a store rooted at {@code root}. */
  public static Builder builder(Path root) {
    return new Builder(root);
  }

  /** The root directory. */
  public Path root() {
    return root;
  }

  @Override
  public String location() {
    return "file:" + root;
  }

  private Path resolve(String key) {
    if (key == null || !KEY.matcher(key).matches() || key.contains("..")) {
      throw new IllegalArgumentException("object key must be slash-separated names of letters, digits, '.', '_' or '-', got '" + key + "'");
    }
    return root.resolve(key);
  }

  @Override
  public PendingObject create(String key) throws IOException {
    Path target = resolve(key);
    Files.createDirectories(target.getParent());
    Path temp = target.resolveSibling("." + target.getFileName() + "." + HexFormat.of().formatHex(randomBytes()) + PARTIAL);
    FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    OutputStream out = new java.io.BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16);
    return new PendingObject() {
      private boolean done;

      @Override
      public OutputStream stream() {
        return out;
      }

      @Override
      public void commit() throws IOException {
        if (done) {
          throw new IllegalStateException("object " + key + " already committed or aborted");
        }
        out.flush();
        channel.force(true);
        out.close();
        moveIntoPlace(temp, target);
        forceDirectory(target.getParent());
        done = true;
      }

      @Override
      public void abort() {
        if (done) {
          return;
        }
        done = true;
        try {
          out.close();
        } catch (IOException ignored) {
          // the file is deleted next; a failed close changes nothing
        }
        try {
          Files.deleteIfExists(temp);
        } catch (IOException ignored) {
          // left for cleanUpIncomplete()
        }
      }
    };
  }

  @Override
  public void put(String key, byte[] bytes) throws IOException {
    try (PendingObject p = create(key)) {
      p.stream().write(bytes);
      p.commit();
    }
  }

  @Override
  public InputStream open(String key) throws IOException {
    return Files.newInputStream(resolve(key));
  }

  @Override
  public List<String> list(String prefix) throws IOException {
    if (!Files.isDirectory(root)) {
      return List.of();
    }
    List<String> keys = new ArrayList<>();
    try (Stream<Path> files = Files.walk(root)) {
      files.filter(Files::isRegularFile)
          .filter(p -> !p.getFileName().toString().startsWith("."))
          .map(p -> root.relativize(p).toString().replace(java.io.File.separatorChar, '/'))
          .filter(k -> k.startsWith(prefix))
          .forEach(keys::add);
    }
    keys.sort(null);
    return keys;
  }

  @Override
  public void delete(String key) throws IOException {
    Files.deleteIfExists(resolve(key));
  }

  /**
   * Deletes the partial files of writes that crashed or failed, once they were last modified more
   * than {@link Builder#incompleteWriteAge(Duration)} before the store's clock says it is now. A
   * partial file written to more recently may belong to a backup still running, in this process or on
   * another node sharing the directory, and is left alone. The modification time comes from the file
   * system, so the clock should be the wall clock of a host in step with it.
   *
   * @return how many partial files were deleted
   */
  @Override
  public int cleanUpIncomplete() throws IOException {
    if (!Files.isDirectory(root)) {
      return 0;
    }
    Instant cutoff = clock.instant().minus(incompleteWriteAge);
    List<Path> leftovers;
    try (Stream<Path> files = Files.walk(root)) {
      leftovers = files.filter(p -> p.getFileName().toString().endsWith(PARTIAL)).toList();
    }
    int removed = 0;
    for (Path p : leftovers) {
      Instant modified;
      try {
        modified = Files.getLastModifiedTime(p).toInstant();
      } catch (NoSuchFileException gone) {
        continue; // committed or aborted meanwhile
      }
      if (modified.isAfter(cutoff)) {
        continue; // recently written: maybe a live write
      }
      if (Files.deleteIfExists(p)) {
        removed++;
      }
    }
    return removed;
  }

  private static void moveIntoPlace(Path temp, Path target) throws IOException {
    try {
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      throw new IOException("the file system under " + target.getParent() + " cannot rename atomically", e);
    }
  }

  private static void forceDirectory(Path dir) {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException ignored) {
      // some platforms cannot open a directory for sync; the rename itself is atomic
    }
  }

  private static byte[] randomBytes() {
    byte[] b = new byte[6];
    RANDOM.nextBytes(b);
    return b;
  }

  @Override
  public String toString() {
    return "FileStore[" + location() + "]";
  }

  /**
   * A builder holding every setting of this store (root, clock, incomplete-write age), to change one.
   */
  public Builder toBuilder() {
    return new Builder(settings);
  }

  /** Configures a {@link FileStore}. Not thread-safe; the store it builds is. */
  public static final class Builder {
    private final Path root;
    private Clock clock = Clock.systemUTC();
    private Duration incompleteWriteAge = Duration.ofHours(24);

    private Builder(Path root) {
      this.root = Objects.requireNonNull(root, "root");
    }

    /** The clock {@link FileStore#cleanUpIncomplete()} measures the age of partial files by (default: system UTC). */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * How long a partial file must have gone unwritten before cleanup deletes it (default 24 h; zero
     * deletes every partial file, including those of live writes).
     *
     * @throws IllegalArgumentException when {@code age} is null or negative
     */
    public Builder incompleteWriteAge(Duration age) {
      if (age == null || age.isNegative()) {
        throw new IllegalArgumentException("incompleteWriteAge must be zero or positive, got " + age);
      }
      this.incompleteWriteAge = age;
      return this;
    }

    /** The store. */
    public FileStore build() {
      return new FileStore(this);
    }

    /** A copy of {@code other}'s settings, for {@code toBuilder()}. */
    private Builder(Builder other) {
      this.root = other.root;
      this.clock = other.clock;
      this.incompleteWriteAge = other.incompleteWriteAge;
    }
  }
}
