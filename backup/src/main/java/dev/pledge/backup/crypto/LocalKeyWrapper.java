package dev.pledge.backup.crypto;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.KeyTemplates;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.TinkJsonProtoKeysetFormat;
import com.google.crypto.tink.aead.AeadConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.util.Objects;

/**
 * The default {@link KeyWrapper}: a master key (Tink AES-256-GCM keyset, JSON) kept in a local file
 * readable by its owner only. Create one with {@link #generate(Path)} ({@code pledge backup keygen}).
 * Immutable and thread-safe. P8.
 */
public final class LocalKeyWrapper implements KeyWrapper {
  private final Aead aead;
  private final String keyId;

  private LocalKeyWrapper(KeysetHandle handle) throws GeneralSecurityException {
    this.aead = handle.getPrimitive(RegistryConfiguration.get(), Aead.class);
    this.keyId = "local:" + Integer.toUnsignedString(handle.getPrimary().getId(), 16);
  }

  static {
    try {
      AeadConfig.register();
    } catch (GeneralSecurityException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /**
   * Writes a new random master key to {@code file} (which must not exist), with owner-only
   * permissions where the file system supports them, and returns its wrapper.
   *
   * @throws KeyWrapException when the file exists or cannot be written
   */
  public static LocalKeyWrapper generate(Path file) {
    Objects.requireNonNull(file, "file");
    try {
      KeysetHandle handle = KeysetHandle.generateNew(KeyTemplates.get("AES256_GCM"));
      String json = TinkJsonProtoKeysetFormat.serializeKeyset(handle, InsecureSecretKeyAccess.get());
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      Files.write(file, new byte[0], StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
      try {
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
      } catch (UnsupportedOperationException ignored) {
        // not a POSIX file system: the directory's permissions have to protect the key
      }
      Files.writeString(file, json, StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
      return new LocalKeyWrapper(handle);
    } catch (java.nio.file.FileAlreadyExistsException e) {
      throw new KeyWrapException("key file " + file + " already exists; refusing to overwrite a master key", null);
    } catch (IOException e) {
      throw new KeyWrapException("cannot write key file " + file + ": " + e.getMessage(), null);
    } catch (GeneralSecurityException e) {
      throw new KeyWrapException("cannot generate a master key", e);
    }
  }

  /**
   * Reads the master key in {@code file}.
   *
   * @throws KeyWrapException when the file is missing or is not a Pledge master key
   */
  public static LocalKeyWrapper load(Path file) {
    Objects.requireNonNull(file, "file");
    String json;
    try {
      json = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new KeyWrapException("cannot read key file " + file + ": " + e.getClass().getSimpleName(), null);
    }
    try {
      return new LocalKeyWrapper(TinkJsonProtoKeysetFormat.parseKeyset(json, InsecureSecretKeyAccess.get()));
    } catch (GeneralSecurityException | RuntimeException e) {
      // the parser's message may quote the file's content, which is key material: do not chain it
      throw new KeyWrapException("key file " + file + " is not a Pledge master key (make one with 'pledge backup keygen')", null);
    }
  }

  @Override
  public String keyId() {
    return keyId;
  }

  @Override
  public byte[] wrap(byte[] dataKey, String context) {
    try {
      return aead.encrypt(dataKey, context.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new KeyWrapException("cannot wrap a data key with " + keyId, e);
    }
  }

  @Override
  public byte[] unwrap(byte[] wrappedKey, String context) {
    try {
      return aead.decrypt(wrappedKey, context.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new KeyWrapException("the data key does not unwrap with master key " + keyId
          + " (wrong key file, or the wrapped key was altered)", null);
    }
  }

  @Override
  public String toString() {
    return "LocalKeyWrapper[" + keyId + "]";
  }
}
