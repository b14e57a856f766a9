package dev.pledge.core.audit;

/**
 * How a {@link ChainedAuditTrail} makes records durable (P20). In both modes a record is durable (on
 * disk, or committed) before {@code record} returns; they differ in how many records share one force
 * or one transaction. Immutable.
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
 *       turns this off.
 * </ul>
 */
public final class Durability {
  private static final Durability PER_RECORD = new Durability(1, false);
  private final int maxGroup;
  private final boolean gathers;

  private Durability(int maxGroup, boolean gathers) {
    this.maxGroup = maxGroup;
    this.gathers = gathers;
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
    return new Durability(maxRecords, maxRecords > 1);
  }

  /** Group commit of at most 1000 records a group: the default. */
  public static Durability grouped() {
    return grouped(1000);
  }

  /** The largest group, 1 for {@link #perRecord()}. */
  public int maxGroup() {
    return maxGroup;
  }

  /** Whether the writer gathers the records of recently active callers before each force. */
  public boolean gathers() {
    return gathers;
  }

  /**
   * The same group bound without gathering: each force takes only what is queued when it starts,
   * and nobody waits for other callers.
   */
  public Durability withoutGathering() {
    return maxGroup == 1 ? this : new Durability(maxGroup, false);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Durability d && d.maxGroup == maxGroup && d.gathers == gathers;
  }

  @Override
  public int hashCode() {
    return maxGroup * 2 + (gathers ? 1 : 0);
  }

  @Override
  public String toString() {
    return maxGroup == 1 ? "per-record" : "grouped(max " + maxGroup + (gathers ? "" : ", no gathering") + ")";
  }
}
