package dev.pledge.core.audit;

/**
 * How a {@link ChainedAuditTrail} makes records durable (P20). In both modes a record is durable (on
 * disk, or committed) before {@code record} returns; they differ in how many records share one force
 * or one transaction. Immutable.
 *
 * <ul>
 *   <li>{@link #perRecord()}: each record is written and forced alone, one after another.
 *   <li>{@link #grouped(int)}: records that callers hand in while a force is under way are written
 *       together by the next force (group commit), at most {@code maxRecords} at a time. Nobody waits
 *       for a timer: a lone caller is written at once.
 * </ul>
 */
public final class Durability {
  private static final Durability PER_RECORD = new Durability(1);
  private final int maxGroup;

  private Durability(int maxGroup) {
    this.maxGroup = maxGroup;
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
    return new Durability(maxRecords);
  }

  /** Group commit of at most 1000 records a group: the default. */
  public static Durability grouped() {
    return grouped(1000);
  }

  /** The largest group, 1 for {@link #perRecord()}. */
  public int maxGroup() {
    return maxGroup;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Durability d && d.maxGroup == maxGroup;
  }

  @Override
  public int hashCode() {
    return maxGroup;
  }

  @Override
  public String toString() {
    return maxGroup == 1 ? "per-record" : "grouped(max " + maxGroup + ")";
  }
}
