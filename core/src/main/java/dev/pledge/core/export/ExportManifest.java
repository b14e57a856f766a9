package dev.pledge.core.export;

import java.time.Instant;
import java.util.List;

/**
 * What an export holds, written into it as {@code manifest.json} and returned to the caller.
 *
 * @param client whose data it is
 * @param createdAt when it was made
 * @param datasets each data set's file, record count and SHA-256
 */
public record ExportManifest(String client, Instant createdAt, List<Dataset> datasets) {

  /** Copies the list. */
  public ExportManifest {
    datasets = List.copyOf(datasets);
  }

  /** The number of records across every data set. */
  public long records() {
    return datasets.stream().mapToLong(Dataset::records).sum();
  }

  /**
   * One data set in the export.
   *
   * @param name the data set
   * @param file its file in the archive, JSON Lines
   * @param records how many records it holds
   * @param sha256 the hex SHA-256 of the file
   */
  public record Dataset(String name, String file, long records, String sha256) {}
}
