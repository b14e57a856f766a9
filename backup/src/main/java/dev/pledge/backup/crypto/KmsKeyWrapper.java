package dev.pledge.backup.crypto;

import java.util.Map;
import java.util.Objects;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.DecryptResponse;
import software.amazon.awssdk.services.kms.model.EncryptResponse;
import software.amazon.awssdk.services.kms.model.KmsException;

/**
 * A {@link KeyWrapper} backed by a key in AWS KMS: data keys are sent to KMS {@code Encrypt} and
 * {@code Decrypt} with the backup as encryption context, so the master key never leaves KMS (P8).
 * The caller owns the {@link KmsClient} (region, endpoint, credentials). Thread-safe.
 */
public final class KmsKeyWrapper implements KeyWrapper {
  private static final String CONTEXT_KEY = "pledge-backup";
  private final KmsClient kms;
  private final String kmsKeyId;

  private KmsKeyWrapper(KmsClient kms, String kmsKeyId) {
    this.kms = Objects.requireNonNull(kms, "kms");
    if (kmsKeyId == null || kmsKeyId.isBlank()) {
      throw new IllegalArgumentException("kmsKeyId must name a KMS key (id, ARN or alias/...), got '" + kmsKeyId + "'");
    }
    this.kmsKeyId = kmsKeyId;
  }

  /** A wrapper using KMS key {@code kmsKeyId} (key id, key ARN or {@code alias/name}) through {@code kms}. */
  public static KmsKeyWrapper create(KmsClient kms, String kmsKeyId) {
    return new KmsKeyWrapper(kms, kmsKeyId);
  }

  @Override
  public String keyId() {
    return "kms:" + kmsKeyId;
  }

  @Override
  public byte[] wrap(byte[] dataKey, String context) {
    try {
      EncryptResponse r = kms.encrypt(b -> b.keyId(kmsKeyId).plaintext(SdkBytes.fromByteArray(dataKey))
          .encryptionContext(Map.of(CONTEXT_KEY, context)));
      return r.ciphertextBlob().asByteArray();
    } catch (SdkException e) {
      throw new KeyWrapException("KMS refused to wrap a data key with " + keyId() + ": " + describe(e), null);
    }
  }

  @Override
  public byte[] unwrap(byte[] wrappedKey, String context) {
    try {
      DecryptResponse r = kms.decrypt(b -> b.keyId(kmsKeyId).ciphertextBlob(SdkBytes.fromByteArray(wrappedKey))
          .encryptionContext(Map.of(CONTEXT_KEY, context)));
      return r.plaintext().asByteArray();
    } catch (SdkException e) {
      throw new KeyWrapException("the data key does not unwrap with " + keyId() + ": " + describe(e), null);
    }
  }

  private static String describe(SdkException e) {
    if (e instanceof KmsException k && k.awsErrorDetails() != null) {
      return k.awsErrorDetails().errorCode();
    }
    return e.getClass().getSimpleName();
  }

  @Override
  public String toString() {
    return "KmsKeyWrapper[" + keyId() + "]";
  }
}
