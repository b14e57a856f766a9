package dev.pledge.backup.store;

import java.nio.file.Path;

/** Builds stores from their location strings ({@code file:/path}, {@code s3://bucket/prefix?region=...}). */
public final class Stores {
  private Stores() {}

  /**
   * The store at {@code location}.
   *
   * @throws IllegalArgumentException naming the location when it is neither {@code file:} nor {@code s3://}
   */
  public static BackupStore parse(String location) {
    validate(location);
    if (location.startsWith("s3://")) {
      return S3Store.create(S3Location.parse(location));
    }
    return FileStore.at(Path.of(location.substring("file:".length())));
  }

  /** Checks the syntax of {@code location} without opening anything. */
  public static void validate(String location) {
    if (location == null) {
      throw new IllegalArgumentException("store location must not be empty");
    }
    if (location.startsWith("s3://")) {
      S3Location.parse(location);
    } else if (location.startsWith("file:")) {
      String path = location.substring("file:".length());
      if (path.isBlank()) {
        throw new IllegalArgumentException("store 'file:' needs a path, such as file:/var/backups/pledge");
      }
    } else {
      throw new IllegalArgumentException("store '" + location + "' must start with file: or s3://");
    }
  }
}
