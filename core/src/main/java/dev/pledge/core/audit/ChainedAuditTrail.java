package dev.pledge.core.audit;

import dev.pledge.core.PledgeException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A tamper-evident {@link AuditTrail} that loses nothing it acknowledged (P14, P20): each record gets
 * the next sequence number and a SHA-256 hash over its canonical bytes and the previous record's hash
 * ({@link AuditChain}), is written to an {@link AuditStore}, and is durable before {@link #record}
 * returns. Every {@code checkpointEvery} records, when {@code checkpointInterval} has passed at the
 * next write, and on {@link #close()}, the trail signs a {@link AuditCheckpoint} with its
 * {@link CheckpointKey} and copies it to each {@link CheckpointPublisher}.
 *
 * <p>Group commit: callers that arrive while a group is being forced queue up; when the force ends,
 * one of them writes everything queued (up to {@link Durability#maxGroup()}) in the next group, and
 * each caller returns once the group holding its record is durable. A failed group throws at every
 * caller in it; their records were not written, and the trail carries on with the next group.
 *
 * <p>Thread-safe. Times come from the injected {@link Clock}.
 *
 * <pre>{@code
 * try (ChainedAuditTrail trail = ChainedAuditTrail.builder(JsonLinesAuditStore.open(file))
 *     .key(CheckpointKey.load(keyFile)).checkpointEvery(1000).checkpointInterval(Duration.ofMinutes(1))
 *     .publishTo(CheckpointPublisher.toFolder(otherDisk)).build()) {
 *   trail.record(AuditRecord.of(clock.instant(), "alice", "access.grant", "db/shop", AuditOutcome.SUCCESS));
 * }
 * }</pre>
 */
public final class ChainedAuditTrail implements AuditTrail, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ChainedAuditTrail.class);
  private static final int MAX_UNPUBLISHED = 10_000;
  /** How many groups one caller writes in a row before it returns and another caller takes over. */
  private static final int MAX_GROUPS_PER_LEADER = 16;

  private final AuditStore store;
  private final boolean ownsStore;
  private final CheckpointKey key;
  private final long checkpointEvery;
  private final Duration checkpointInterval;
  private final Durability durability;
  private final Clock clock;
  private final List<CheckpointPublisher> publishers;
  private final Instant started;

  /** How many groups make one window over which the number of concurrent callers is measured. */
  private static final int GATHER_WINDOW = 64;
  /** The longest a writer gathers before a force. */
  private static final long MAX_GATHER_NANOS = 2_000_000;

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition groupDone = lock.newCondition();
  private final Condition arrived = lock.newCondition();
  // gathering state, under lock: callers inside append now, the most seen in this window, the most
  // seen in the last window, groups written in this window, and a moving average of a group's write
  private int inFlight;
  private int peak;
  private int concurrency = 1;
  private int windowGroups;
  private long writeNanos;
  private final ArrayDeque<Pending> queue = new ArrayDeque<>();
  private boolean writing;
  private boolean closed;
  private final ArrayDeque<AuditCheckpoint> unpublished = new ArrayDeque<>();

  private static final class Pending {
    final AuditRecord record;
    ChainedRecord result;
    RuntimeException error;

    Pending(AuditRecord record) {
      this.record = record;
    }

    boolean done() {
      return result != null || error != null;
    }
  }

  private ChainedAuditTrail(Builder b) {
    this.store = b.store;
    this.ownsStore = b.ownsStore;
    this.key = b.key;
    this.checkpointEvery = b.checkpointEvery;
    this.checkpointInterval = b.checkpointInterval;
    this.durability = b.durability;
    this.clock = b.clock;
    this.publishers = List.copyOf(b.publishers);
    this.started = clock.instant();
    if (key != null && !key.canSign()) {
      throw new IllegalArgumentException("checkpoint key " + key.keyId() + " can only verify; a writer needs the"
          + " private key (or the HMAC secret)");
    }
  }

  /** A builder over {@code store}, which the trail closes when it is closed. */
  public static Builder builder(AuditStore store) {
    return new Builder(store);
  }

  /**
   * Appends one record and returns once it is durable.
   *
   * @throws PledgeException when the store cannot make it durable (the record is then not in the trail)
   * @throws IllegalStateException when the trail is closed
   */
  @Override
  public void record(AuditRecord record) {
    append(record);
  }

  /**
   * Appends one record, returns it as chained (its sequence number and hash) once it is durable.
   *
   * @throws PledgeException when the store cannot make it durable (the record is then not in the trail)
   */
  public ChainedRecord append(AuditRecord record) {
    Pending p = new Pending(AuditChain.normalised(Objects.requireNonNull(record, "record")));
    boolean interrupted = false;
    lock.lock();
    try {
      peak = Math.max(peak, ++inFlight);
      if (closed) {
        throw new IllegalStateException("audit trail " + store.describe() + " is closed");
      }
      queue.addLast(p);
      if (writing) {
        arrived.signal();
      }
      while (!p.done()) {
        if (!writing) {
          writing = true;
          try {
            // Keep writing while callers are queued, up to a bound: handing the next group to another
            // thread costs a wake-up and a scheduling delay per group, which dominates on a busy machine.
            int groups = 0;
            do {
              interrupted |= gather(p);
              List<Pending> group = new ArrayList<>(Math.min(queue.size(), durability.maxGroup()));
              while (!queue.isEmpty() && group.size() < durability.maxGroup()) {
                group.add(queue.removeFirst());
              }
              lock.unlock();
              long t0 = System.nanoTime();
              try {
                write(group, false);
              } finally {
                long took = System.nanoTime() - t0;
                lock.lock();
                writeNanos = writeNanos == 0 ? took : writeNanos - (writeNanos >> 3) + (took >> 3);
                if (++windowGroups >= GATHER_WINDOW) {
                  concurrency = peak;
                  peak = inFlight;
                  windowGroups = 0;
                }
                groupDone.signalAll();
              }
            } while (!queue.isEmpty() && ++groups < MAX_GROUPS_PER_LEADER);
          } finally {
            writing = false;
            groupDone.signalAll();
          }
        } else {
          groupDone.awaitUninterruptibly(); // an acknowledgement must not be abandoned half-way
        }
      }
    } finally {
      inFlight--;
      lock.unlock();
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
    if (p.error != null) {
      throw p.error;
    }
    return p.result;
  }

  /**
   * Before a force (under the lock): when several callers were active in the last window, waits a
   * bounded time until as many records are queued as could be (every such caller but this writer,
   * once its own record is written), so the callers just acknowledged share the next force.
   *
   * @return whether the wait was interrupted
   */
  private boolean gather(Pending own) {
    if (!durability.gathers() || concurrency <= 1 || writeNanos == 0) {
      return false;
    }
    int target = Math.min(durability.maxGroup(), concurrency - (own.done() ? 1 : 0));
    long wait = Math.min(MAX_GATHER_NANOS, writeNanos / 2);
    while (queue.size() < target && wait > 0 && !closed) {
      try {
        wait = arrived.awaitNanos(wait);
      } catch (InterruptedException e) {
        // keep writing (callers wait for this group) and restore the flag once out of the file's way:
        // an interrupted thread would close a FileChannel under every writer
        return true;
      }
    }
    return false;
  }

  /** Writes one group (outside the lock); marks every pending record with its result or the error. */
  private void write(List<Pending> group, boolean forceCheckpoint) {
    AuditStore.Group written;
    try {
      written = store.append(head -> link(head, group, forceCheckpoint));
    } catch (RuntimeException e) {
      RuntimeException err = e instanceof PledgeException ? e
          : new PledgeException("cannot append to audit trail " + store.describe() + ": " + e.getMessage(), e);
      group.forEach(p -> p.error = err);
      return;
    }
    for (int i = 0; i < group.size(); i++) {
      group.get(i).result = written.records().get(i);
    }
    if (written.checkpoint() != null) {
      publish(written.checkpoint());
    }
  }

  private AuditStore.Group link(AuditStore.Head head, List<Pending> group, boolean forceCheckpoint) {
    List<ChainedRecord> out = new ArrayList<>(group.size());
    long seq = head.seq();
    String prev = head.hash();
    for (Pending p : group) {
      ChainedRecord c = AuditChain.link(++seq, prev, p.record);
      out.add(c);
      prev = c.hash();
    }
    AuditCheckpoint cp = null;
    if (key != null && seq > head.checkpointSeq()) {
      Instant now = clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MICROS); // what every store keeps
      Instant since = head.checkpointAt() == null || head.checkpointAt().isBefore(started) ? started
          : head.checkpointAt();
      boolean due = forceCheckpoint
          || seq - head.checkpointSeq() >= checkpointEvery
          || (checkpointInterval != null && !now.isBefore(since.plus(checkpointInterval)));
      if (due) {
        cp = key.sign(seq, prev, head.checkpointSeq(), now);
      }
    }
    return new AuditStore.Group(out, cp);
  }

  private void publish(AuditCheckpoint cp) {
    if (publishers.isEmpty()) {
      return;
    }
    synchronized (unpublished) {
      unpublished.addLast(cp);
      while (unpublished.size() > MAX_UNPUBLISHED) {
        unpublished.removeFirst();
      }
      while (!unpublished.isEmpty()) {
        AuditCheckpoint next = unpublished.peekFirst();
        try {
          for (CheckpointPublisher p : publishers) {
            p.publish(next);
          }
        } catch (RuntimeException e) {
          LOG.warn("audit trail {}: checkpoint at seq {} not yet published ({}); retrying with the next checkpoint",
              store.describe(), next.seq(), e.getMessage());
          return;
        }
        unpublished.removeFirst();
      }
    }
  }

  /**
   * Writes a checkpoint over the records so far, unless the last one already covers them.
   *
   * @throws IllegalStateException when the trail has no key
   */
  public void checkpoint() {
    if (key == null) {
      throw new IllegalStateException("audit trail " + store.describe() + " has no checkpoint key");
    }
    lock.lock();
    try {
      while (writing) {
        groupDone.awaitUninterruptibly();
      }
      writing = true;
    } finally {
      lock.unlock();
    }
    try {
      AuditStore.Group g = store.append(head -> link(head, List.of(), true));
      if (g.checkpoint() != null) {
        publish(g.checkpoint());
      }
    } finally {
      lock.lock();
      writing = false;
      groupDone.signalAll();
      lock.unlock();
    }
  }

  /**
   * Every record, oldest first, read into memory; prefer {@link #query} for long trails, which
   * streams.
   */
  @Override
  public List<AuditRecord> records() {
    try (Stream<AuditRecord> s = query(AuditQuery.all())) {
      return s.toList();
    }
  }

  /** The records {@code q} wants, streamed in chain order. Close the stream. */
  public Stream<AuditRecord> query(AuditQuery q) {
    return store.records(q).map(ChainedRecord::record);
  }

  /** The last {@code n} records, oldest first. */
  public List<ChainedRecord> tail(int n) {
    return store.tail(n);
  }

  /** Verifies the whole trail with this trail's key and publishers (see {@link AuditVerifier}). */
  public AuditVerification verify() {
    AuditVerifier v = key == null ? AuditVerifier.create() : AuditVerifier.create().key(key);
    return v.verify(store, publishers.toArray(CheckpointPublisher[]::new));
  }

  /** The store. */
  public AuditStore store() {
    return store;
  }

  /** The durability mode. */
  public Durability durability() {
    return durability;
  }

  /**
   * Writes a final checkpoint (when there is a key and records since the last one), then closes the
   * store if the trail owns it. Records arriving after this are refused.
   */
  @Override
  public void close() {
    lock.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
    } finally {
      lock.unlock();
    }
    try {
      if (key != null) {
        checkpoint();
      }
    } finally {
      if (ownsStore) {
        store.close();
      }
    }
  }

  @Override
  public String toString() {
    return "ChainedAuditTrail[" + store.describe() + ", " + durability + (key == null ? ", no checkpoints"
        : ", checkpoints every " + checkpointEvery + " records" + (checkpointInterval == null ? ""
            : " or " + checkpointInterval) + " signed " + key.algorithm()) + "]";
  }

  /** Builds a {@link ChainedAuditTrail}; not thread-safe. */
  public static final class Builder {
    private final AuditStore store;
    private boolean ownsStore = true;
    private CheckpointKey key;
    private long checkpointEvery = 1000;
    private Duration checkpointInterval = Duration.ofMinutes(1);
    private Durability durability = Durability.grouped();
    private Clock clock = Clock.systemUTC();
    private final List<CheckpointPublisher> publishers = new ArrayList<>();

    private Builder(AuditStore store) {
      this.store = Objects.requireNonNull(store, "store");
    }

    /** The key that signs checkpoints; without one, no checkpoints are written (not recommended). */
    public Builder key(CheckpointKey key) {
      this.key = Objects.requireNonNull(key, "key");
      return this;
    }

    /** A checkpoint at least every {@code records} records (default 1000). */
    public Builder checkpointEvery(long records) {
      if (records < 1) {
        throw new IllegalArgumentException("checkpointEvery must be at least 1 record, got " + records);
      }
      this.checkpointEvery = records;
      return this;
    }

    /**
     * A checkpoint at the first write after {@code interval} has passed since the last one
     * (default one minute); null for none by time.
     */
    public Builder checkpointInterval(Duration interval) {
      if (interval != null && (interval.isNegative() || interval.isZero())) {
        throw new IllegalArgumentException("checkpointInterval must be positive, got " + interval);
      }
      this.checkpointInterval = interval;
      return this;
    }

    /** Per-record or grouped durability (default {@link Durability#grouped()}). */
    public Builder durability(Durability durability) {
      this.durability = Objects.requireNonNull(durability, "durability");
      return this;
    }

    /** The clock that stamps checkpoints and decides when one is due (default UTC system clock). */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** Also copies every checkpoint to {@code publisher}. */
    public Builder publishTo(CheckpointPublisher publisher) {
      this.publishers.add(Objects.requireNonNull(publisher, "publisher"));
      return this;
    }

    /** Whether closing the trail closes the store (default true). */
    public Builder ownsStore(boolean owns) {
      this.ownsStore = owns;
      return this;
    }

    /** The trail. */
    public ChainedAuditTrail build() {
      return new ChainedAuditTrail(this);
    }
  }
}
