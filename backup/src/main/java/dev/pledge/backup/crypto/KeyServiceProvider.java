package dev.pledge.backup.crypto;

/**
 * Builds key wrappers backed by an outside key service, such as AWS KMS from
 * {@code pledge-backup-s3}. Found with {@link java.util.ServiceLoader}, so a host that keeps its master
 * key in a local file carries no cloud SDK. Implementations are stateless and thread-safe (P8).
 */
public interface KeyServiceProvider {
  /**
   * The key kind of the policy's {@code backups.key.kind} this provider serves, such as {@code "KMS"}.
   *
   * @return the kind, upper case
   */
  String kind();

  /**
   * A wrapper for the key {@code keyId} in {@code region}, using the service's default credentials.
   * Nothing is sent to the service until a key is wrapped.
   *
   * @param region the service region, such as {@code eu-west-2}
   * @param keyId the key id, ARN or alias
   * @return the wrapper
   */
  KeyWrapper create(String region, String keyId);
}
