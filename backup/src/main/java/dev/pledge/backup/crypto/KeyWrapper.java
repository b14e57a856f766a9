package dev.pledge.backup.crypto;

/**
 * Wraps and unwraps the fresh data key of each backup (envelope encryption, P8). The master key never
 * leaves the wrapper: a local key file ({@link LocalKeyWrapper}, the default) or a key in AWS KMS
 * ({@code KmsKeyWrapper} in pledge-backup-s3). Integrators plug in another key service by implementing this interface.
 *
 * <p>Implementations must be thread-safe and must never put key material in an exception message,
 * a log line or {@code toString()}.
 */
public interface KeyWrapper {

  /** A stable, non-secret identifier of the master key, recorded in each manifest ({@code local:1a2b...}). */
  String keyId();

  /**
   * Encrypts {@code dataKey}, binding it to {@code context} (the backup id and scope), so a wrapped
   * key cannot be moved to another backup.
   *
   * @throws KeyWrapException when the key service refuses or is unreachable
   */
  byte[] wrap(byte[] dataKey, String context);

  /**
   * Decrypts a key made by {@link #wrap} with the same {@code context}.
   *
   * @throws KeyWrapException when this is the wrong master key, the wrapped key was altered, or the
   *     key service is unreachable
   */
  byte[] unwrap(byte[] wrappedKey, String context);
}
