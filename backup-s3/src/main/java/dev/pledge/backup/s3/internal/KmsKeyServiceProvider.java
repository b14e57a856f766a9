package dev.pledge.backup.s3.internal;

import dev.pledge.backup.crypto.KeyServiceProvider;
import dev.pledge.backup.crypto.KeyWrapper;
import dev.pledge.backup.s3.KmsKeyWrapper;

/** Serves the policy's {@code backups.key.kind: KMS}. Not an API. */
public final class KmsKeyServiceProvider implements KeyServiceProvider {
  /** Used by {@link java.util.ServiceLoader}. */
  public KmsKeyServiceProvider() {}

  @Override
  public String kind() {
    return "KMS";
  }

  @Override
  public KeyWrapper create(String region, String keyId) {
    return KmsKeyWrapper.create(region, keyId);
  }
}
