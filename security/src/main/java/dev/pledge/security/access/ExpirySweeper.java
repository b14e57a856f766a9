package dev.pledge.security.access;

import dev.pledge.core.lock.SlotLock;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ends grants past their end (P15, P17) on one node per slot: time is cut into slots of one
 * {@linkplain Builder#period period} (counted from the epoch), and in each slot the first node to take
 * it through the {@link SlotLock} the nodes share runs {@link AccessBroker#expire()}; the others
 * leave it alone. This is the backup scheduler's lock, so a {@link dev.pledge.core.lock.JdbcSlotLock}
 * on the database the nodes already share gives the sweep to exactly one of them per slot.
 *
 * <p>A grant thus ends at most one period (and one tick) after its end, whichever node made it and
 * whether or not that node is still there. A node that dies while sweeping holds its slot only until
 * its lease ({@linkplain Builder#maxSweepTime maxSweepTime}) ends; then any node takes the slot over,
 * and the next slot is free for all in any case. A sweep that fails (the store or a target
 * unreachable) is reported to {@linkplain Builder#onFailure onFailure} and leaves its slot uncompleted,
 * so it is retried once its lease ends.
 *
 * <p>{@link #sweep()} makes one attempt at the current slot (tests call it after moving a fake
 * clock); {@link #start} makes one every quarter period on the host's scheduler. Thread-safe.
 */
public final class ExpirySweeper implements AutoCloseable {
  /** The job's name in the lock unless the builder names another. */
  public static final String DEFAULT_NAME = "access-expiry";
  private static final Logger LOG = LoggerFactory.getLogger(ExpirySweeper.class);
  private static final SecureRandom RANDOM = new SecureRandom();

  private final AccessBroker broker;
  private final SlotLock lock;
  private final String name;
  private final String node;
  private final Clock clock;
  private final Duration period;
  private final Duration maxSweepTime;
  private final Consumer<RuntimeException> onFailure;
  private volatile ScheduledFuture<?> task;

  private ExpirySweeper(Builder b) {
    this.broker = b.broker;
    this.lock = b.lock;
    this.name = b.name;
    this.node = b.node;
    this.clock = b.clock;
    this.period = b.period;
    this.maxSweepTime = b.maxSweepTime == null ? b.period : b.maxSweepTime;
    this.onFailure = b.onFailure;
  }

  /**
   * A builder for a sweeper that runs {@code broker}'s expiry on one node per slot of {@code lock}.
   * Every node's sweeper must use the same lock (the same table) and the same name and period.
   */
  public static Builder builder(AccessBroker broker, SlotLock lock) {
    return new Builder(broker, Objects.requireNonNull(lock, "lock"));
  }

  /**
   * Starts sweeping with {@code broker} every {@code period} on {@code scheduler}, the first sweep at
   * once, on every node that calls it: sweeps are idempotent and each ended grant is ended by one
   * node, but every node sweeps.
   *
   * @deprecated sweeps on every node; use {@link #builder(AccessBroker, SlotLock)} and
   *     {@link #start(ScheduledExecutorService)} so one node sweeps each slot
   */
  @Deprecated(since = "0.2.0")
  public static ExpirySweeper start(AccessBroker broker, ScheduledExecutorService scheduler, Duration period,
      Consumer<RuntimeException> onFailure) {
    Objects.requireNonNull(onFailure, "onFailure");
    Objects.requireNonNull(scheduler, "scheduler");
    // no lock: every node sweeps, as this method always did
    requirePositive("period", period);
    Builder b = new Builder(broker, null).onFailure(onFailure);
    b.period = period;
    ExpirySweeper sweeper = b.build();
    sweeper.task = scheduler.scheduleWithFixedDelay(sweeper::attempt, 0, period.toNanos(), TimeUnit.NANOSECONDS);
    return sweeper;
  }

  /**
   * The slot that contains {@code at}: {@code at} rounded down to a whole number of periods since the
   * epoch, so every node computes the same slots.
   */
  public Instant slotAt(Instant at) {
    long p = Math.max(1, period.toMillis());
    return Instant.ofEpochMilli(Math.floorDiv(at.toEpochMilli(), p) * p);
  }

  /**
   * One attempt at the current slot: when this node takes it, ends every grant past its end and
   * completes the slot.
   *
   * @return the grants this sweep ended, or empty when the slot was not this node's (another node
   *     has it or swept it, or this node already did)
   * @throws RuntimeException when the sweep failed; the slot stays uncompleted, for a retry once its
   *     lease ends
   */
  public Optional<List<AccessGrant>> sweep() {
    if (lock == null) {
      return Optional.of(broker.expire());
    }
    Instant now = clock.instant();
    Optional<SlotLock.Lease> lease = lock.tryAcquire(name, slotAt(now), node, now, now.plus(maxSweepTime));
    if (lease.isEmpty()) {
      return Optional.empty();
    }
    List<AccessGrant> ended = broker.expire();
    lock.complete(lease.get());
    return Optional.of(ended);
  }

  /**
   * Starts attempting the current slot every quarter period on {@code scheduler}, the first attempt at
   * once; failures go to the builder's {@code onFailure}. {@link #close()} stops it.
   *
   * @return this sweeper
   * @throws IllegalStateException when it was started already
   */
  public synchronized ExpirySweeper start(ScheduledExecutorService scheduler) {
    Objects.requireNonNull(scheduler, "scheduler");
    if (task != null) {
      throw new IllegalStateException("expiry sweeper " + name + "@" + node + " was started already");
    }
    long tick = Math.max(1, period.toNanos() / 4);
    task = scheduler.scheduleAtFixedRate(this::attempt, 0, tick, TimeUnit.NANOSECONDS);
    return this;
  }

  private void attempt() {
    try {
      sweep();
    } catch (RuntimeException e) {
      try {
        onFailure.accept(e);
      } catch (RuntimeException ignored) {
        // a failing listener never stops the sweeps
      }
    }
  }

  /**
   * Stops sweeping; a sweep under way finishes. A stopped sweeper may be {@linkplain
   * #start(ScheduledExecutorService) started} again (a Spring context that is stopped and restarted
   * does so). Idempotent.
   */
  @Override
  public synchronized void close() {
    ScheduledFuture<?> t = task;
    task = null;
    if (t != null) {
      t.cancel(false);
    }
  }

  @Override
  public String toString() {
    return "ExpirySweeper[" + name + "@" + node + ", every " + period + ", "
        + (lock == null ? "on every node" : lock) + "]";
  }

  private static void requirePositive(String what, Duration d) {
    Objects.requireNonNull(d, what);
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(what + " must be greater than zero, got " + d);
    }
  }

  /** Builds an {@link ExpirySweeper}. Not thread-safe. */
  public static final class Builder {
    private final AccessBroker broker;
    private final SlotLock lock;
    private String name = DEFAULT_NAME;
    private String node;
    private Clock clock = Clock.systemUTC();
    private Duration period = Duration.ofMinutes(1);
    private Duration maxSweepTime;
    private Consumer<RuntimeException> onFailure = e -> LOG.warn("access expiry sweep failed: {}", e.getMessage());

    private Builder(AccessBroker broker, SlotLock lock) {
      this.broker = Objects.requireNonNull(broker, "broker");
      this.lock = lock;
    }

    /**
     * The job's name in the lock (default {@value ExpirySweeper#DEFAULT_NAME}); sweepers of different
     * access stores that share one lock need different names.
     */
    public Builder name(String name) {
      if (name == null || name.isBlank() || name.length() > 100) {
        throw new IllegalArgumentException("name must be 1-100 characters, got '" + name + "'");
      }
      this.name = name;
      return this;
    }

    /** This node's name in the lock (default: random, {@code node-} and 12 hex digits). */
    public Builder node(String node) {
      if (node == null || node.isBlank() || node.length() > 200) {
        throw new IllegalArgumentException("node must be 1-200 characters, got '" + node + "'");
      }
      this.node = node;
      return this;
    }

    /** The clock that decides the slot (default: system UTC); normally the broker's. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** The length of a slot, at least one millisecond (default one minute). */
    public Builder period(Duration period) {
      requirePositive("period", period);
      if (period.toMillis() < 1) {
        throw new IllegalArgumentException("period must be at least 1ms, got " + period);
      }
      this.period = period;
      return this;
    }

    /**
     * How long a node holds a slot it took before another node may take it over, were it to die or
     * fail mid-sweep (default: the period).
     */
    public Builder maxSweepTime(Duration maxSweepTime) {
      requirePositive("maxSweepTime", maxSweepTime);
      this.maxSweepTime = maxSweepTime;
      return this;
    }

    /** Where failed sweeps are reported (default: a warning in the log, the message only). */
    public Builder onFailure(Consumer<RuntimeException> onFailure) {
      this.onFailure = Objects.requireNonNull(onFailure, "onFailure");
      return this;
    }

    /** The sweeper, not yet started. */
    public ExpirySweeper build() {
      if (node == null) {
        byte[] b = new byte[6];
        RANDOM.nextBytes(b);
        node = "node-" + HexFormat.of().formatHex(b);
      }
      return new ExpirySweeper(this);
    }
  }
}
