package dev.pledge.backup.retention;

import java.time.Duration;

/**
 * The S3 storage classes old backups move to (P12), with the minimum storage duration S3 bills for:
 * deleting or moving an object out earlier is charged as if it had stayed that long.
 */
public enum ColdStorageClass {
  /** S3 Glacier Flexible Retrieval: minimum 90 days. */
  GLACIER(90),
  /** S3 Glacier Instant Retrieval: minimum 90 days. */
  GLACIER_IR(90),
  /** S3 Glacier Deep Archive: minimum 180 days. */
  DEEP_ARCHIVE(180);

  /** Objects smaller than this (128 KiB) are not transitioned by S3 lifecycle rules by default. */
  public static final long LIFECYCLE_MINIMUM_OBJECT_BYTES = 128 * 1024;

  private final int minimumDays;

  ColdStorageClass(int minimumDays) {
    this.minimumDays = minimumDays;
  }

  /** The minimum storage duration S3 bills for this class. */
  public Duration minimumStorageDuration() {
    return Duration.ofDays(minimumDays);
  }
}
