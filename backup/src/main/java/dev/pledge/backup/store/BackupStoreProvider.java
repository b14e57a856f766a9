package dev.pledge.backup.store;

/**
 * Opens the stores of one location scheme that pledge-backup does not carry itself, such as
 * {@code s3://} from {@code pledge-backup-s3}. Found with {@link java.util.ServiceLoader} on the class
 * path or module path, so an outside system's client is only on a host that adds its artifact.
 * Implementations are stateless and thread-safe.
 */
public interface BackupStoreProvider {
  /**
   * The scheme this provider opens, without {@code ://}: {@code "s3"} for {@code s3://bucket/prefix}.
   *
   * @return the scheme, lower case
   */
  String scheme();

  /**
   * Checks the syntax of {@code location} without opening anything.
   *
   * @param location a location of this provider's scheme
   * @throws IllegalArgumentException naming the location and what is wrong with it
   */
  void validate(String location);

  /**
   * Opens the store at {@code location}. Nothing outside the process is contacted until the store
   * is used.
   *
   * @param location a location of this provider's scheme
   * @return the store, which the caller closes when it is {@link AutoCloseable}
   * @throws IllegalArgumentException naming the location when it is malformed
   */
  BackupStore open(String location);
}
