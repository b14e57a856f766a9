package dev.pledge.core.audit;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How a {@link ChainedAuditTrail} makes records durable (P20). Immutable.
 *
 * <p>Forced before {@code record} returns (a record acknowledged to the caller survives the process
 * being killed, an operating system crash and a power loss):
 *
 * <ul>
 *   <li>{@link #perRecord()}: each record is written and forced alone, one after another.
 *   <li>{@link #grouped(int)}: records that callers hand in while a force is under way are written
 *       together by the next force (group commit), at most {@code maxRecords} at a time. A lone
 *       caller is written at once. When several callers have been appending at the same time, the
 *       writer gathers before each force: it waits, at most half a recent force's duration and never
 *       more than 2 ms, until as many records are queued as callers were recently active, so that the
 *       callers of the group just forced can hand in their next record and share the next force
 *       (like PostgreSQL's {@code commit_delay} with {@code commit_siblings}). {@link #withoutGathering()}
 *       turns this off. {@link #grouped()} is the default.
 * </ul>
 *
 * <p>Written before {@code record} returns, forced in the background within a bound:
 *
 * <ul>
 *   <li>{@link #written(Duration)}: {@code record} returns once the record is chained and written to
 *       the operating system (in the file, not yet on the disk), and a background force makes it
 *       durable later, as MySQL's {@code innodb_flush_log_at_trx_commit=2}, PostgreSQL's
 *       {@code synchronous_commit=off} with {@code wal_writer_delay}, or Kafka's {@code flush.ms} do. An
 *       acknowledged record survives the process being killed (even with {@code SIGKILL}); <b>an
 *       operating system crash or a power loss can lose the records acknowledged in the last
 *       {@code maxDelay}</b>, plus those acknowledged while the force that would have covered them was
 *       running. Precisely: the force that covers a record starts at most {@code maxDelay} after the
 *       record was written, or as soon as the force before it ends if that is later; the trail forces
 *       too before it publishes a checkpoint (so a checkpoint copied elsewhere never covers records the
 *       disk does not hold), on {@link ChainedAuditTrail#checkpoint()} and on close. What a crash leaves
 *       is still a valid chain: a torn tail is set aside on open like any other. Only stores that can
 *       write first and force later support it (the JSON Lines store; not JDBC, where the database
 *       commits each group). A write that fails (a full disk) still fails the {@code record} call whose
 *       record it was; a background force that fails fails the trail: see
 *       {@link ChainedAuditTrail}.
 * </ul>
 */
public final class Durability {
  private static final Durability PER_RECORD = new Durability(1, false, null);
  private final int maxGroup;
  private final boolean gathers;
  private final Duration forceDelay;

  private Durability(int maxGroup, boolean gathers, Duration forceDelay) {
    this.maxGroup = maxGroup;
    this.gathers = gathers;
    this.forceDelay = forceDelay;
  }

  /** One force or transaction per record. */
  public static Durability perRecord() {
    return PER_RECORD;
  }

  /**
   * Group commit of at most {@code maxRecords} records a group.
   *
   * @throws IllegalArgumentException when {@code maxRecords} is below 1
   */
  public static Durability grouped(int maxRecords) {
    if (maxRecords < 1) {
      throw new IllegalArgumentException("grouped durability needs maxRecords >= 1, got " + maxRecords);
    }
    return new Durability(maxRecords, maxRecords > 1, null);
  }

  /** Group commit of at most 1000 records a group: the default. */
  public static Durability grouped() {
    return grouped(1000);
  }

  /**
   * Each record written to the operating system before {@code record} returns, and forced to disk by a
   * background force that starts at most {@code maxDelay} later (see the class comment for exactly
   * what an operating system crash or a power loss can then lose).
   *
   * @param maxDelay the longest a written record waits before a force that covers it starts; 1 ms
   *     to 1 minute are sensible, 5 ms loses at most a few milliseconds of records
   * @throws IllegalArgumentException when {@code maxDelay} is zero or negative
   */
  public static Durability written(Duration maxDelay) {
    Objects.requireNonNull(maxDelay, "maxDelay");
    if (maxDelay.isNegative() || maxDelay.isZero()) {
      throw new IllegalArgumentException("written durability needs a positive maxDelay, got " + maxDelay);
    }
    return new Durability(1, false, maxDelay);
  }

  /** The largest group a force holds; 1 for {@link #perRecord()} and for {@link #written}. */
  public int maxGroup() {
    return maxGroup;
  }

  /** Whether the writer gathers the records of recently active callers before each force. */
  public boolean gathers() {
    return gathers;
  }

  /**
   * For {@link #written}, the longest a written record waits before a force that covers it starts;
   * empty when each record is forced before {@code record} returns.
   */
  public Optional<Duration> forceDelay() {
    return Optional.ofNullable(forceDelay);
  }

  /** Whether {@code record} returns before the record is forced ({@link #written}). */
  public boolean defersForce() {
    return forceDelay != null;
  }

  /**
   * The same group bound without gathering: each force takes only what is queued when it starts,
   * and nobody waits for other callers. {@link #written} and {@link #perRecord()} stay as they are.
   */
  public Durability withoutGathering() {
    return maxGroup == 1 ? this : new Durability(maxGroup, false, null);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Durability d && d.maxGroup == maxGroup && d.gathers == gathers
        && Objects.equals(d.forceDelay, forceDelay);
  }

  @Override
  public int hashCode() {
    return (maxGroup * 2 + (gathers ? 1 : 0)) * 31 + Objects.hashCode(forceDelay);
  }

  @Override
  public String toString() {
    if (forceDelay != null) {
      return "written(forced within " + dev.pledge.core.time.Durations.format(forceDelay) + ")";
    }
    return maxGroup == 1 ? "per-record" : "grouped(max " + maxGroup + (gathers ? "" : ", no gathering") + ")";
  }
}
