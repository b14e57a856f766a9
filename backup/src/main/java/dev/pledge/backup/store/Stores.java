package dev.pledge.backup.store;

import dev.pledge.core.internal.Redaction;
import java.nio.file.Path;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * Builds stores from their location strings ({@code file:/path}, {@code s3://bucket/prefix?region=...}).
 * {@code file:} is built in; other schemes come from a {@link BackupStoreProvider} on the class path or
 * module path ({@code s3://} from {@code pledge-backup-s3}).
 */
public final class Stores {
  private Stores() {}

  /**
   * The store at {@code location}.
   *
   * @param location {@code file:/path}, or a location of an installed provider's scheme
   * @return the store
   * @throws IllegalArgumentException naming the location when it is malformed or of an unknown scheme
   * @throws IllegalStateException naming the artifact to add when the scheme's provider is missing
   */
  public static BackupStore parse(String location) {
    validate(location);
    if (location.startsWith("file:")) {
      return FileStore.at(Path.of(location.substring("file:".length())));
    }
    String scheme = scheme(location);
    return provider(scheme).orElseThrow(() -> new IllegalStateException("store '"
            + Redaction.location(location) + "' needs the " + scheme + ":// store: add the pledge-backup-" + scheme + " artifact"))
        .open(location);
  }

  /**
   * Checks the syntax of {@code location} without opening anything. An {@code s3://} location is
   * checked even when {@code pledge-backup-s3} is absent, so a policy naming S3 loads anywhere.
   *
   * @param location the location to check
   * @throws IllegalArgumentException naming the location and what is wrong with it
   */
  public static void validate(String location) {
    if (location == null) {
      throw new IllegalArgumentException("store location must not be empty");
    }
    if (location.startsWith("file:")) {
      String path = location.substring("file:".length());
      if (path.isBlank()) {
        throw new IllegalArgumentException("store 'file:' needs a path, such as file:/var/backups/pledge");
      }
      return;
    }
    String scheme = scheme(location);
    Optional<BackupStoreProvider> provider = scheme == null ? Optional.empty() : provider(scheme);
    if (provider.isPresent()) {
      provider.get().validate(location);
    } else if ("s3".equals(scheme)) {
      S3Location.parse(location);
    } else {
      throw new IllegalArgumentException("store '" + Redaction.location(location) + "' must start with file: or s3://");
    }
  }

  private static String scheme(String location) {
    int end = location.indexOf("://");
    return end <= 0 ? null : location.substring(0, end);
  }

  private static Optional<BackupStoreProvider> provider(String scheme) {
    for (BackupStoreProvider p : ServiceLoader.load(BackupStoreProvider.class, Stores.class.getClassLoader())) {
      if (p.scheme().equals(scheme)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }
}
