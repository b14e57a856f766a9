package dev.pledge.security.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pledge.core.PledgeException;
import dev.pledge.core.internal.Json;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * One JSON document in a file that several threads and processes read and change safely: every
 * access holds an exclusive lock (a {@link ReentrantLock} per file inside this JVM, because file
 * locks are per process, and a {@link FileLock} on a sibling {@code .lock} file between processes),
 * and every change is written to a temporary file, forced to disk and moved over the old one
 * atomically, so a crash leaves the old document or the new one, never half of one.
 *
 * <p>Internal to Pledge. Thread-safe.
 *
 * @param <T> the document's type, a mutable holder that Jackson reads and writes
 */
public final class LockedJsonFile<T> {
  private static final ConcurrentHashMap<Path, ReentrantLock> LOCKS = new ConcurrentHashMap<>();
  private static final ObjectMapper MAPPER = Json.mapper();

  private final Path file;
  private final Path lockFile;
  private final Class<T> type;
  private final Supplier<T> empty;
  private final ReentrantLock jvmLock;
  private T memory;

  private LockedJsonFile(Path file, Class<T> type, Supplier<T> empty) {
    this.file = file;
    this.lockFile = file == null ? null : file.resolveSibling(file.getFileName() + ".lock");
    this.type = type;
    this.empty = empty;
    this.jvmLock = file == null ? new ReentrantLock() : LOCKS.computeIfAbsent(file, f -> new ReentrantLock());
    this.memory = file == null ? empty.get() : null;
  }

  /** The document in {@code file}; its folder is created when missing. */
  public static <T> LockedJsonFile<T> at(Path file, Class<T> type, Supplier<T> empty) {
    Path abs = file.toAbsolutePath().normalize();
    try {
      Files.createDirectories(abs.getParent());
    } catch (IOException e) {
      throw new PledgeException("cannot create the folder " + abs.getParent() + ": " + e.getMessage(), e);
    }
    return new LockedJsonFile<>(abs, type, empty);
  }

  /** A document kept only in memory, with the same locking inside this JVM. */
  public static <T> LockedJsonFile<T> inMemory(Class<T> type, Supplier<T> empty) {
    return new LockedJsonFile<>(null, type, empty);
  }

  /** Reads the document and answers from it; changes {@code reader} makes are not kept. */
  public <R> R read(Function<T, R> reader) {
    return locked(doc -> new Outcome<>(reader.apply(doc), false));
  }

  /**
   * Reads the document, lets {@code change} change it and answer, and writes it back when the
   * outcome says it changed; all under the lock, so the change is atomic among all users.
   */
  public <R> R update(Function<T, Outcome<R>> change) {
    return locked(change);
  }

  private <R> R locked(Function<T, Outcome<R>> body) {
    jvmLock.lock();
    try {
      if (file == null) {
        return body.apply(memory).value();
      }
      try (FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
          FileLock ignored = ch.lock()) {
        T doc = load();
        Outcome<R> out = body.apply(doc);
        if (out.changed()) {
          store(doc);
        }
        return out.value();
      } catch (IOException e) {
        throw new PledgeException("cannot use " + file + ": " + e.getMessage(), e);
      }
    } finally {
      jvmLock.unlock();
    }
  }

  private T load() throws IOException {
    if (!Files.exists(file)) {
      return empty.get();
    }
    try {
      return MAPPER.readValue(file.toFile(), type);
    } catch (com.fasterxml.jackson.core.JacksonException e) {
      throw new PledgeException(file + " is not a valid Pledge state file (line "
          + (e.getLocation() == null ? "?" : e.getLocation().getLineNr()) + "): " + e.getOriginalMessage(), e);
    }
  }

  private void store(T doc) throws IOException {
    Path tmp = Files.createTempFile(file.getParent(), "." + file.getFileName(), ".tmp");
    try {
      ByteBuffer bytes = ByteBuffer.wrap(MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(doc));
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
        while (bytes.hasRemaining()) {
          ch.write(bytes);
        }
        ch.force(true);
      }
      try {
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /**
   * What a change answers, and whether it changed the document.
   *
   * @param value the answer
   * @param changed whether the document must be written back
   * @param <R> the answer's type
   */
  public record Outcome<R>(R value, boolean changed) {
    /** An answer that changed the document. */
    public static <R> Outcome<R> changed(R value) {
      return new Outcome<>(value, true);
    }

    /** An answer that left the document as it was. */
    public static <R> Outcome<R> unchanged(R value) {
      return new Outcome<>(value, false);
    }
  }
}
