package dev.pledge.backup.s3;

/**
 * The size of each part of a multipart upload whose total size is not known in advance (a backup is
 * a stream), chosen so that any object S3 accepts fits in its 10,000 parts.
 *
 * <p>S3's limits: a part holds 5 MiB to 5 GiB (the last may be smaller), an upload has at most
 * 10,000 parts, an object at most 5 TiB. Fixed 8 MiB parts would stop at 78 GiB; fixed 525 MiB parts
 * would reach 5 TiB but hold half a gigabyte per part in flight for every small backup. So parts
 * start small and double every {@code partsPerStep} parts, up to a largest part (at most S3's 5 GiB).
 * The default plan (8 MiB, doubling every 800 parts, up to 1 GiB) gives:
 *
 * <pre>
 *   parts          part size   object size reached at the end of the step
 *   1-800            8 MiB        6.25 GiB
 *   801-1600        16 MiB       18.75 GiB
 *   1601-2400       32 MiB       43.75 GiB
 *   2401-3200       64 MiB       93.75 GiB
 *   3201-4000      128 MiB      193.75 GiB
 *   4001-4800      256 MiB      393.75 GiB
 *   4801-5600      512 MiB      793.75 GiB
 *   5601-10000       1 GiB     5193.75 GiB (over the 5 TiB = 5120 GiB an object may hold)
 * </pre>
 *
 * Every plan is checked on construction to reach 5 TiB within 10,000 parts. Immutable.
 */
final class PartPlan {
  /** The smallest part S3 accepts, except the last. */
  static final long MIN_PART = 5L << 20;
  /** The largest part S3 accepts. */
  static final long MAX_PART = 5L << 30;
  /** The most parts one upload may have. */
  static final int MAX_PARTS = 10_000;
  /** The largest object S3 stores. */
  static final long MAX_OBJECT = 5L << 40;

  /** 8 MiB parts doubling every 800 parts up to 1 GiB, the largest part of a 5 TiB object. */
  static final PartPlan DEFAULT = new PartPlan(8L << 20, 800, 1L << 30);

  private final long firstPartSize;
  private final int partsPerStep;
  private final long largestPartSize;

  PartPlan(long firstPartSize, int partsPerStep, long largestPartSize) {
    if (firstPartSize < MIN_PART || firstPartSize > MAX_PART) {
      throw new IllegalArgumentException("firstPartSize must be 5 MiB..5 GiB, got " + firstPartSize);
    }
    if (largestPartSize < firstPartSize || largestPartSize > MAX_PART) {
      throw new IllegalArgumentException("largestPartSize must be firstPartSize..5 GiB, got " + largestPartSize);
    }
    if (partsPerStep < 1 || partsPerStep > MAX_PARTS) {
      throw new IllegalArgumentException("partsPerStep must be 1..10000, got " + partsPerStep);
    }
    this.firstPartSize = firstPartSize;
    this.partsPerStep = partsPerStep;
    this.largestPartSize = largestPartSize;
    if (capacity(MAX_PARTS) < MAX_OBJECT) {
      throw new IllegalArgumentException("parts of " + firstPartSize + " bytes doubling every " + partsPerStep
          + " parts up to " + largestPartSize + " hold only " + capacity(MAX_PARTS) + " bytes in " + MAX_PARTS + " parts, less than 5 TiB");
    }
  }

  /** The size in bytes of part {@code number} (1-based), of every part but the last. */
  long size(int number) {
    if (number < 1 || number > MAX_PARTS) {
      throw new IllegalArgumentException("part number must be 1..10000, got " + number);
    }
    int doublings = (number - 1) / partsPerStep;
    // past 30 doublings even a 5 MiB part is over 5 GiB, and the shift must not overflow
    return doublings >= 30 ? largestPartSize : Math.min(largestPartSize, firstPartSize << doublings);
  }

  /** How many bytes the first {@code parts} parts hold together. */
  long capacity(int parts) {
    long sum = 0;
    for (int n = 1; n <= parts; n++) {
      sum += size(n);
    }
    return sum;
  }

  @Override
  public String toString() {
    return "PartPlan[" + firstPartSize + " bytes, doubling every " + partsPerStep + " parts up to " + largestPartSize + "]";
  }
}
