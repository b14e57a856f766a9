package dev.pledge.backup.store;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;

/**
 * Where backups are kept: a flat namespace of immutable objects under string keys ({@code
 * shop/production/20261101T063000Z-1a2b3c4d.data}). The engine writes data objects through
 * {@link #create}, then the manifest last, so that only complete backups are ever listed (P8, P10).
 * Built-in stores: {@link FileStore} ({@code file:}) and, from pledge-backup-s3, {@code S3Store} ({@code s3://}); see
 * {@link Stores#parse}. Implementations must be thread-safe.
 */
public interface BackupStore {

  /** Where the store is, as a URI without credentials: {@code file:/var/backups}, {@code s3://bucket/prefix?region=eu-west-2}. */
  String location();

  /** The cloud region the bytes are kept in, when the store has one (checked against P1 before any byte is sent). */
  default Optional<String> region() {
    return Optional.empty();
  }

  /**
   * The store's security posture (P10), when the store can report one: an S3 bucket reports whether
   * public access is blocked, default encryption and versioning are on and a lifecycle rule exists. A
   * local store has none to report (default: empty). An engine bound to a policy with a {@code
   * backups.posture} refuses a backup into a store whose reported posture falls short.
   *
   * @return the posture, or empty when the store has none to report
   */
  default Optional<StorePosture> reportedPosture() {
    return Optional.empty();
  }

  /**
   * Starts writing the object {@code key}. Nothing is visible under {@code key} until {@link
   * PendingObject#commit()} returns; {@link PendingObject#abort()} removes every partial byte.
   */
  PendingObject create(String key) throws IOException;

  /** Writes a small object atomically (a manifest). */
  void put(String key, byte[] bytes) throws IOException;

  /** Opens the object {@code key} for reading; {@link java.nio.file.NoSuchFileException} when absent. */
  InputStream open(String key) throws IOException;

  /** The keys of committed objects that start with {@code prefix}, sorted. */
  List<String> list(String prefix) throws IOException;

  /** Deletes the object {@code key}, if it exists. */
  void delete(String key) throws IOException;

  /**
   * Removes what crashed or failed writes left behind (partial files, unfinished multipart uploads).
   * Implementations leave alone what may still be a live write, of this process or of another node
   * using the same store: the built-in stores only remove leftovers older than a configurable age.
   *
   * @return how many leftovers were removed
   */
  int cleanUpIncomplete() throws IOException;

  /** An object being written: an output stream plus the decision to publish or discard it. */
  interface PendingObject extends AutoCloseable {

    /** The stream to write the object's bytes to; not thread-safe. */
    java.io.OutputStream stream();

    /** Makes the object durable and visible under its key, atomically. */
    void commit() throws IOException;

    /** Discards everything written; safe to call after a failure, and a no-op after commit. */
    void abort();

    /** Aborts unless committed. */
    @Override
    default void close() {
      abort();
    }
  }
}
