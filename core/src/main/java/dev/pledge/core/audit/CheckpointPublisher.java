package dev.pledge.core.audit;

import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * A second place a trail's checkpoints are copied to (P14, P20), kept apart from the trail (another
 * folder or disk, a table in another database, an object store), so that someone who can rewrite the
 * trail, cut its end off or replace it whole still leaves checkpoints behind that no longer match.
 * Implementations are thread-safe.
 */
public interface CheckpointPublisher {

  /**
   * Stores one checkpoint durably.
   *
   * @throws dev.pledge.core.PledgeException when it cannot; the trail logs it and publishes the
   *     checkpoint again with the next one
   */
  void publish(AuditCheckpoint checkpoint);

  /** Every checkpoint published, sorted by sequence number, streamed. Close the stream. */
  Stream<AuditCheckpoint> published();

  /** Where the checkpoints go, for messages; no secret. */
  String describe();

  /**
   * A publisher that appends checkpoints to {@code checkpoints.jsonl} in {@code folder} (created when
   * missing), each forced to disk before {@link #publish} returns.
   */
  static CheckpointPublisher toFolder(Path folder) {
    return new FolderCheckpointPublisher(folder);
  }

  /**
   * A publisher that inserts checkpoints into {@code table} (created when missing) through
   * {@code dataSource}, best a database other than the trail's.
   */
  static CheckpointPublisher toTable(javax.sql.DataSource dataSource, String table) {
    return new JdbcCheckpointPublisher(dataSource, table);
  }
}
