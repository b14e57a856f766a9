package dev.pledge.core.audit;

import dev.pledge.core.PledgeException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A tamper-evident {@link AuditTrail} that loses nothing it acknowledged (P14, P20): each record gets
 * the next sequence number and a SHA-256 hash over its canonical bytes and the previous record's hash
 * ({@link AuditChain}), is written to an {@link AuditStore}, and is durable before {@link #record}
 * returns (with {@link Durability#written}: written before it returns, forced within a bound). Every
 * {@code checkpointEvery} records, when {@code checkpointInterval} has passed at the next write, and
 * on {@link #close()}, the trail signs a {@link AuditCheckpoint} with its {@link CheckpointKey} and
 * copies it to each {@link CheckpointPublisher}.
 *
 * <p>Group commit: callers that arrive while a group is being forced queue up (without a lock); when
 * the force ends, one of them writes everything queued (up to {@link Durability#maxGroup()}) in the
 * next group, and each caller returns once the group holding its record is durable: the writer wakes
 * each caller of a group directly. A failed group throws at every
 * caller in it; their records were not written, and the trail carries on with the next group.
 *
 * <p>With {@link Durability#written(Duration)}, each caller links and writes its own record to the
 * store without forcing it ({@link AuditStore#appendWithoutForce}) and returns; the first record
 * written after a force schedules the next force {@code maxDelay} later on the trail's force scheduler
 * ({@link Builder#forceScheduler}), and that force covers every record written before it starts.
 * A write that fails (a full disk) throws at its caller, and the trail carries on. A background force
 * that fails leaves records that were acknowledged possibly not on disk, which no caller can be told
 * any more: the trail then <b>fails for good</b>. It logs an error, and every later {@code record},
 * {@code append}, {@link #checkpoint()} and {@link #close()} throws a {@link PledgeException} naming
 * the store, the cause and the last record known to be on disk. Close it, check the disk, verify the
 * trail and open a new one.
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
  /** How many groups one caller writes in a row, at most, before its own is written. */
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

  // Callers queue without a lock and park; one of them at a time is the writer (it wins `writing`),
  // writes what is queued as one group and unparks each caller of the group itself, so a woken caller
  // needs no lock to return and its next record is queued at once.
  private final ConcurrentLinkedQueue<Pending> queue = new ConcurrentLinkedQueue<>();
  private final AtomicInteger queued = new AtomicInteger();
  private final AtomicBoolean writing = new AtomicBoolean();
  /** The writer while it gathers, unparked by each arriving caller; null otherwise. */
  private volatile Thread gatherer;
  private final AtomicInteger inFlight = new AtomicInteger();
  /** The most callers seen inside append in this window (racy maximum: a hint for gathering). */
  private volatile int peak;
  // written only by the writer of the moment (the `writing` flag orders them between writers)
  private int concurrency = 1;
  private int windowGroups;
  private long writeNanos;
  private volatile boolean closed;
  private final ArrayDeque<AuditCheckpoint> unpublished = new ArrayDeque<>();

  // Durability.written: where background forces run, whether one is scheduled, and why the trail failed
  private final ScheduledExecutorService forcer;
  private final boolean ownsForcer;
  private final long forceDelayNanos;
  private final AtomicBoolean forceScheduled = new AtomicBoolean();
  private volatile ScheduledFuture<?> pendingForce;
  private volatile PledgeException failure;

  private static final class Pending {
    final AuditRecord record;
    final Thread caller = Thread.currentThread();
    ChainedRecord result;
    RuntimeException error;
    /** Set after result or error, which it publishes to the caller. */
    volatile boolean done;

    Pending(AuditRecord record) {
      this.record = record;
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
    if (durability.defersForce()) {
      if (!store.supportsDeferredForce()) {
        throw new IllegalArgumentException("durability " + durability + " needs a store that writes a record first"
            + " and forces it later (a JSON Lines file); " + store.describe() + " cannot: use grouped or per-record");
      }
      this.forceDelayNanos = durability.forceDelay().orElseThrow().toNanos();
      this.ownsForcer = b.forceScheduler == null;
      this.forcer = ownsForcer ? Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "pledge-audit-force " + store.describe());
        t.setDaemon(true); // what is written survives the process; the OS forces it in its own time
        return t;
      }) : b.forceScheduler;
    } else {
      this.forceDelayNanos = 0;
      this.ownsForcer = false;
      this.forcer = null;
    }
  }

  /** A builder over {@code store}, which the trail closes when it is closed. */
  public static Builder builder(AuditStore store) {
    return new Builder(store);
  }

  /**
   * Appends one record and returns once it is durable (with {@link Durability#written}: once it is
   * written, to be forced within the mode's bound).
   *
   * @throws PledgeException when the store cannot make it durable (the record is then not in the trail),
   *     or when the trail failed (see the class comment)
   * @throws IllegalStateException when the trail is closed
   */
  @Override
  public void record(AuditRecord record) {
    append(record);
  }

  /**
   * Appends one record, returns it as chained (its sequence number and hash) once it is durable
   * (with {@link Durability#written}: once it is written, to be forced within the mode's bound).
   *
   * @throws PledgeException when the store cannot make it durable (the record is then not in the trail),
   *     or when the trail failed (see the class comment)
   * @throws IllegalStateException when the trail is closed
   */
  public ChainedRecord append(AuditRecord record) {
    Pending p = new Pending(AuditChain.normalised(Objects.requireNonNull(record, "record")));
    if (closed) {
      throw new IllegalStateException("audit trail " + store.describe() + " is closed");
    }
    if (forcer != null) {
      return appendWritten(p);
    }
    int now = inFlight.incrementAndGet();
    if (now > peak) {
      peak = now;
    }
    boolean interrupted = false;
    try {
      queue.add(p);
      queued.incrementAndGet();
      Thread g = gatherer;
      if (g != null) {
        LockSupport.unpark(g);
      }
      while (!p.done) {
        if (writing.compareAndSet(false, true)) {
          try {
            interrupted |= lead(p);
          } finally {
            writing.set(false);
          }
          wakeNextWriter(); // a caller may have queued after the last look and parked
        } else {
          LockSupport.park(this);
          // an acknowledgement must not be abandoned half-way: keep waiting, restore the flag after
          interrupted |= Thread.interrupted();
        }
      }
    } finally {
      inFlight.decrementAndGet();
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
   * {@link Durability#written}: links and writes the caller's own record (the store serialises
   * writers), then makes sure a force is scheduled.
   */
  private ChainedRecord appendWritten(Pending p) {
    PledgeException failed = failure;
    if (failed != null) {
      throw new PledgeException(failed.getMessage(), failed);
    }
    boolean interrupted = Thread.interrupted(); // an interrupted write would close the file under every writer
    try {
      write(List.of(p), false, true);
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
    if (p.error != null) {
      throw p.error;
    }
    scheduleForce();
    return p.result;
  }

  /** Schedules a background force {@code maxDelay} from now unless one is scheduled and not started. */
  private void scheduleForce() {
    if (!forceScheduled.compareAndSet(false, true)) {
      return; // the scheduled force has not started yet, so it will cover this record
    }
    try {
      pendingForce = forcer.schedule(this::forceInBackground, forceDelayNanos, TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException e) {
      // the scheduler is shut down (closing, or the host stopped its own): force here rather than not at all
      forceScheduled.set(false);
      forceOrFail();
    }
  }

  private void forceInBackground() {
    forceScheduled.set(false); // before the force: a record written from now on schedules the next one
    try {
      forceOrFail();
    } catch (PledgeException e) {
      // forceOrFail logged it and failed the trail; there is nobody here to tell
    }
  }

  /** Forces the store; when that fails, fails the trail for good and throws why. */
  private void forceOrFail() {
    try {
      store.force();
    } catch (RuntimeException e) {
      PledgeException why;
      synchronized (this) {
        if (failure == null) {
          // the store's own message names its file, the cause and the last record on disk
          failure = e instanceof PledgeException pe ? pe : new PledgeException("audit trail " + store.describe()
              + " failed: forcing written records to disk failed (" + e.getMessage() + "); records acknowledged since"
              + " the last successful force may not be on disk, and nothing more is accepted", e);
          LOG.error("audit trail {} refuses every further record: {}", store.describe(), failure.getMessage());
        }
        why = failure;
      }
      throw new PledgeException(why.getMessage(), why);
    }
  }

  /** Unparks the first queued caller, which then takes the writer's place. */
  private void wakeNextWriter() {
    Pending next = queue.peek();
    if (next != null) {
      LockSupport.unpark(next.caller);
    }
  }

  /**
   * As the writer: writes queued groups until the one holding this caller's record is durable. Then
   * it returns; the callers it just woke come back with their next records, and the first of them
   * writes the next group, which so holds every active caller's record (staying the writer after its
   * own record is durable would leave its own next record out of every group).
   *
   * @return whether this thread was interrupted meanwhile (the flag is cleared while it writes: an
   *     interrupted thread would close a FileChannel under every writer)
   */
  private boolean lead(Pending own) {
    boolean interrupted = false;
    int groups = 0;
    do {
      interrupted |= gather(own);
      interrupted |= Thread.interrupted();
      int max = durability.maxGroup();
      List<Pending> group = new ArrayList<>(Math.min(max, Math.max(1, queued.get())));
      Pending next;
      while (group.size() < max && (next = queue.poll()) != null) {
        group.add(next);
      }
      if (group.isEmpty()) {
        break;
      }
      queued.addAndGet(-group.size());
      long t0 = System.nanoTime();
      try {
        write(group, false, false);
      } finally {
        long took = System.nanoTime() - t0;
        writeNanos = writeNanos == 0 ? took : writeNanos - (writeNanos >> 3) + (took >> 3);
        if (++windowGroups >= GATHER_WINDOW) {
          concurrency = peak;
          peak = inFlight.get();
          windowGroups = 0;
        }
        for (Pending q : group) {
          if (q.result == null && q.error == null) {
            q.error = new PledgeException("cannot append to audit trail " + store.describe() + ": the writer failed");
          }
          q.done = true;
          if (q.caller != Thread.currentThread()) {
            LockSupport.unpark(q.caller);
          }
        }
      }
    } while (!own.done && ++groups < MAX_GROUPS_PER_LEADER);
    return interrupted;
  }

  /**
   * Before a force (as the writer): when several callers were active in the last window, waits a
   * bounded time until as many records are queued as could be (every such caller but this writer,
   * once its own record is written), so the callers just acknowledged share the next force.
   *
   * @return whether the wait was interrupted
   */
  private boolean gather(Pending own) {
    if (!durability.gathers() || concurrency <= 1 || writeNanos == 0) {
      return false;
    }
    int target = Math.min(durability.maxGroup(), concurrency - (own.done ? 1 : 0));
    long deadline = System.nanoTime() + Math.min(MAX_GATHER_NANOS, writeNanos / 2);
    boolean interrupted = false;
    gatherer = Thread.currentThread();
    try {
      while (queued.get() < target && !closed) {
        long wait = deadline - System.nanoTime();
        if (wait <= 0) {
          break;
        }
        LockSupport.parkNanos(this, wait);
        interrupted |= Thread.interrupted();
      }
    } finally {
      gatherer = null;
    }
    return interrupted;
  }

  /**
   * Writes one group (outside the lock), forced unless {@code deferForce}; marks every pending record
   * with its result or the error.
   */
  private void write(List<Pending> group, boolean forceCheckpoint, boolean deferForce) {
    AuditStore.Group written;
    try {
      AuditStore.Linker linker = head -> link(head, group, forceCheckpoint);
      written = deferForce ? store.appendWithoutForce(linker) : store.append(linker);
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
   * Writes a checkpoint over the records so far, unless the last one already covers them, and forces
   * the trail to disk (with {@link Durability#written} too).
   *
   * @throws IllegalStateException when the trail has no key
   * @throws PledgeException when the checkpoint cannot be written or forced, or the trail failed
   */
  public void checkpoint() {
    if (key == null) {
      throw new IllegalStateException("audit trail " + store.describe() + " has no checkpoint key");
    }
    PledgeException failed = failure;
    if (failed != null) {
      throw new PledgeException(failed.getMessage(), failed);
    }
    while (!writing.compareAndSet(false, true)) {
      LockSupport.parkNanos(this, 50_000); // rare (a checkpoint on demand or on close): wait out the writer
    }
    try {
      AuditStore.Group g = store.append(head -> link(head, List.of(), true));
      if (g.checkpoint() != null) {
        publish(g.checkpoint());
      }
    } finally {
      writing.set(false);
      wakeNextWriter();
    }
    if (forcer != null) {
      forceOrFail(); // a checkpoint over nothing new writes, and so forces, nothing
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
   * Writes a final checkpoint (when there is a key and records since the last one), forces what
   * {@link Durability#written} left unforced, stops the trail's own force scheduler, then closes the
   * store if the trail owns it. Records arriving after this are refused.
   *
   * @throws PledgeException when the final checkpoint or force fails, or the trail had failed (the
   *     store is closed all the same)
   */
  @Override
  public void close() {
    synchronized (unpublished) {
      if (closed) {
        return;
      }
      closed = true;
    }
    try {
      ScheduledFuture<?> f = pendingForce;
      if (f != null) {
        f.cancel(false); // never interrupt a force: an interrupted FileChannel closes
      }
      if (key != null) {
        checkpoint();
      }
      if (forcer != null) {
        forceOrFail();
      }
    } finally {
      try {
        if (ownsForcer) {
          forcer.shutdown();
        }
      } finally {
        if (ownsStore) {
          store.close();
        }
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
    private ScheduledExecutorService forceScheduler;
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

    /**
     * Per-record, grouped or written durability (default {@link Durability#grouped()}).
     * {@link Durability#written} needs a store that supports it
     * ({@link AuditStore#supportsDeferredForce()}); {@link #build()} refuses it otherwise.
     */
    public Builder durability(Durability durability) {
      this.durability = Objects.requireNonNull(durability, "durability");
      return this;
    }

    /**
     * Where the background forces of {@link Durability#written} run (default: a daemon thread of the
     * trail's own, stopped on {@link ChainedAuditTrail#close()}). The trail never shuts a scheduler
     * it was given down, nor interrupts its tasks.
     */
    public Builder forceScheduler(ScheduledExecutorService scheduler) {
      this.forceScheduler = Objects.requireNonNull(scheduler, "scheduler");
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

    /**
     * The trail.
     *
     * @throws IllegalArgumentException when the durability is {@link Durability#written} and the store
     *     cannot write first and force later (a JDBC store)
     */
    public ChainedAuditTrail build() {
      return new ChainedAuditTrail(this);
    }
  }
}
