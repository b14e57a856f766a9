package dev.pledge.backup.internal;

import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.KeyTemplates;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.StreamingAead;
import com.google.crypto.tink.TinkProtoKeysetFormat;
import com.google.crypto.tink.streamingaead.StreamingAeadConfig;
import java.security.GeneralSecurityException;

/**
 * The fresh data key of one backup: a Tink AES-256-GCM-HKDF streaming AEAD keyset with 1 MiB
 * segments, each segment authenticated. Serialised bytes are secret and only ever leave through a
 * {@link dev.pledge.backup.crypto.KeyWrapper}.
 */
public final class DataKey {
  /** The Tink template name, recorded in manifests. */
  public static final String ALGORITHM = "AES256_GCM_HKDF_1MB";

  static {
    try {
      StreamingAeadConfig.register();
    } catch (GeneralSecurityException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final KeysetHandle handle;

  private DataKey(KeysetHandle handle) {
    this.handle = handle;
  }

  /** A new random data key. */
  public static DataKey generate() {
    try {
      return new DataKey(KeysetHandle.generateNew(KeyTemplates.get(ALGORITHM)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot generate a data key: " + e.getMessage(), e);
    }
  }

  /** The key read back from {@link #serialize()}; throws GeneralSecurityException when not a keyset. */
  public static DataKey parse(byte[] bytes) throws GeneralSecurityException {
    return new DataKey(TinkProtoKeysetFormat.parseKeyset(bytes, InsecureSecretKeyAccess.get()));
  }

  /** The secret keyset bytes, to be wrapped. */
  public byte[] serialize() {
    try {
      return TinkProtoKeysetFormat.serializeKeyset(handle, InsecureSecretKeyAccess.get());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot serialise a data key", e);
    }
  }

  /** The streaming AEAD primitive of this key. */
  public StreamingAead streamingAead() {
    try {
      return handle.getPrimitive(RegistryConfiguration.get(), StreamingAead.class);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("data key has no streaming AEAD primitive", e);
    }
  }

  @Override
  public String toString() {
    return "DataKey[" + ALGORITHM + ", redacted]";
  }
}
