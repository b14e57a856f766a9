package dev.pledge.security.breach;

import dev.pledge.core.Secret;
import dev.pledge.security.breach.internal.FileSecretSink;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where a breach action hands a new secret (a rotated password, a regenerated API key) to the
 * people or systems that must use it: a file only its owner reads, a secrets manager. Secrets are
 * named so that a resumed action finds the secret it already made instead of making another (P29,
 * P31). Implementations must be thread-safe and must never log a secret.
 */
public interface SecretSink {

  /** Stores {@code secret} under {@code name}, replacing any earlier one, durably before returning. */
  void put(String name, Secret secret);

  /** The secret stored under {@code name}, if any. */
  Optional<Secret> get(String name);

  /**
   * A folder of files, one per secret ({@code NAME.secret}), each readable and writable by its owner
   * only (0600), written atomically.
   */
  static SecretSink folder(Path dir) {
    return FileSecretSink.open(dir);
  }
}
