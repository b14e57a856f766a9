package dev.pledge.core.audit;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * Where a {@link ChainedAuditTrail} keeps its chain (P14, P20): a JSON Lines file
 * ({@link JsonLinesAuditStore}, the embedded default) or a SQL table shared by several nodes
 * ({@link JdbcAuditStore}). Implement it to keep the chain elsewhere.
 *
 * <p>The one rule an implementation must keep: {@link #append} reads the chain's head, lets the
 * {@link Linker} build the group on it, and makes the group durable, as one atomic step that no other
 * writer (thread, process or node) can interleave with; when it returns, the group survives a crash,
 * and when it throws, none of it is visible. Implementations are thread-safe.
 */
public interface AuditStore extends AutoCloseable {

  /**
   * The chain's state at its end.
   *
   * @param seq the last record's sequence number, 0 when the chain is empty
   * @param hash the last record's hash, {@link AuditChain#GENESIS} when empty
   * @param checkpointSeq the sequence number the last checkpoint covers, 0 when there is none
   * @param checkpointAt when the last checkpoint was made, or null when there is none
   */
  record Head(long seq, String hash, long checkpointSeq, Instant checkpointAt) {
    /** The head of an empty chain. */
    public static final Head EMPTY = new Head(0, AuditChain.GENESIS, 0, null);

    /** Validates the parts. */
    public Head {
      Objects.requireNonNull(hash, "hash");
    }
  }

  /**
   * One group of records, written in one durable step, and the checkpoint that closes it, if any.
   *
   * @param records the records, consecutive from the head's sequence number plus one
   * @param checkpoint the checkpoint over the last record of the group (or the head), or null
   */
  record Group(List<ChainedRecord> records, AuditCheckpoint checkpoint) {
    /** Copies the list. */
    public Group {
      records = List.copyOf(records);
    }

    /** Whether there is nothing to write. */
    public boolean isEmpty() {
      return records.isEmpty() && checkpoint == null;
    }
  }

  /** Builds the next group on the head as the store holds it, under the store's chain lock. */
  @FunctionalInterface
  interface Linker {
    /** The group to append after {@code head}. */
    Group link(Head head);
  }

  /**
   * Appends the group {@code linker} builds on the current head, atomically and durably (see the
   * class comment), and returns it.
   *
   * @throws dev.pledge.core.PledgeException when the group cannot be made durable; nothing of it is
   *     then visible, and the store stays usable once the cause is gone
   */
  Group append(Linker linker);

  /**
   * Whether this store can write a group to the operating system now and force it to disk later
   * ({@link #appendWithoutForce}, {@link #force()}), which {@link Durability#written} needs. False
   * unless the store says otherwise; the JSON Lines store can, a JDBC store cannot (its database
   * commits each group).
   */
  default boolean supportsDeferredForce() {
    return false;
  }

  /**
   * Appends the group {@code linker} builds on the current head, atomically, as {@link #append}
   * does, but returns once the group is written to the operating system rather than forced to disk:
   * it then survives this process being killed, and survives an operating system crash or a power loss
   * only once a later {@link #force()} (or a forced {@link #append}) has returned. A group that holds a
   * checkpoint is forced before this returns, so that a checkpoint published elsewhere never covers
   * records the disk does not hold.
   *
   * @throws dev.pledge.core.PledgeException when the group cannot be written (nothing of it is then
   *     visible), or when an earlier force failed (see {@link #force()})
   * @throws UnsupportedOperationException when {@link #supportsDeferredForce()} is false
   */
  default Group appendWithoutForce(Linker linker) {
    throw new UnsupportedOperationException("audit trail " + describe() + " cannot write a group now and force it"
        + " later");
  }

  /**
   * Forces every group written so far to disk; returns at once when nothing is waiting to be forced
   * or the store is closed (closing forces).
   *
   * @throws dev.pledge.core.PledgeException when the force fails: groups written since the last
   *     successful force may then not be on disk, and a store that supports deferred forcing refuses
   *     every later append, naming the file and the cause
   */
  default void force() {
    // stores whose appends are durable when they return have nothing to force
  }

  /** The head as it stands now (another node may move it at any moment). */
  Head head();

  /**
   * The records {@code query} wants, in stored order (sequence order unless the store was tampered
   * with), streamed: memory stays bounded however long the trail. Close the stream.
   *
   * @throws AuditFormatException while streaming, at a line or row that is not a record any more
   */
  Stream<ChainedRecord> records(AuditQuery query);

  /** The checkpoints in stored order (by sequence number), streamed. Close the stream. */
  Stream<AuditCheckpoint> checkpoints();

  /** The last {@code n} records in chain order, in memory bounded by {@code n}. */
  default List<ChainedRecord> tail(int n) {
    if (n < 0) {
      throw new IllegalArgumentException("tail needs n >= 0, got " + n);
    }
    ArrayDeque<ChainedRecord> ring = new ArrayDeque<>(Math.min(n, 1024) + 1);
    if (n == 0) {
      return List.of();
    }
    try (Stream<ChainedRecord> s = records(AuditQuery.all())) {
      s.forEach(r -> {
        ring.addLast(r);
        if (ring.size() > n) {
          ring.removeFirst();
        }
      });
    }
    return List.copyOf(ring);
  }

  /** Where the store keeps the chain, for messages ({@code file:/var/log/pledge/audit.jsonl}); no secret. */
  String describe();

  /** Releases files, locks and connections. */
  @Override
  void close();
}
