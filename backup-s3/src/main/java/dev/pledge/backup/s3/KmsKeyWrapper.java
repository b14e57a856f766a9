package dev.pledge.backup.s3;

import dev.pledge.backup.crypto.KeyWrapException;
import dev.pledge.backup.crypto.KeyWrapper;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.DecryptResponse;
import software.amazon.awssdk.services.kms.model.EncryptResponse;
import software.amazon.awssdk.services.kms.model.KmsException;

/**
 * A {@link KeyWrapper} backed by a key in AWS KMS: data keys are sent to KMS {@code Encrypt} and
 * {@code Decrypt} with the backup as encryption context, so the master key never leaves KMS (P8).
 * With {@link #create(KmsClient, String)} the caller owns the client (region, endpoint,
 * credentials); {@link #create(String, String)} builds one. Error messages carry KMS's error code and
 * message, never key material. Thread-safe.
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

  /**
   * A wrapper using KMS key {@code kmsKeyId} in {@code region}, through a client of its own with the
   * default AWS credential chain (environment, profile, instance role), 10 s connect and 30 s socket
   * timeouts. The client lives as long as the wrapper.
   */
  public static KmsKeyWrapper create(String region, String kmsKeyId) {
    if (region == null || !region.matches("[a-z]{2}(-[a-z]+)+-\\d")) {
      throw new IllegalArgumentException("KMS region must be a region code such as eu-west-2, got '" + region + "'");
    }
    KmsClient client = KmsClient.builder().region(Region.of(region))
        .httpClientBuilder(UrlConnectionHttpClient.builder()
            .connectionTimeout(Duration.ofSeconds(10)).socketTimeout(Duration.ofSeconds(30)))
        .build();
    return new KmsKeyWrapper(client, kmsKeyId);
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
      String message = k.awsErrorDetails().errorMessage();
      return k.awsErrorDetails().errorCode() + (message == null || message.isBlank() ? "" : " (" + message + ")");
    }
    // client-side failures (unreachable endpoint, timeout) describe the connection, never the request body
    return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
  }

  @Override
  public String toString() {
    return "KmsKeyWrapper[" + keyId() + "]";
  }
}
