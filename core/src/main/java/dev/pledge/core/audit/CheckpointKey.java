package dev.pledge.core.audit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The key that signs and checks a trail's checkpoints (P14, P20): Ed25519 (the JDK's own
 * implementation; a verifier needs only the public key) or HMAC-SHA256 (one secret the writer and the
 * verifier share). Immutable and thread-safe. The key material never appears in {@link #toString()}.
 *
 * <p>Key files are text. An Ed25519 key file written by {@link #writeTo} holds a PKCS#8
 * {@code PRIVATE KEY} PEM block followed by an X.509 {@code PUBLIC KEY} block; a file with only the
 * public block gives a key that verifies but cannot sign ({@link #writePublicTo}). An HMAC key file
 * holds one line {@code hmac-sha256:BASE64} of at least 32 bytes.
 */
public final class CheckpointKey {
  /** The algorithm name of Ed25519 checkpoints. */
  public static final String ED25519 = "Ed25519";
  /** The algorithm name of HMAC-SHA256 checkpoints. */
  public static final String HMAC_SHA256 = "HmacSHA256";

  private final String algorithm;
  private final String keyId;
  private final PrivateKey privateKey;
  private final PublicKey publicKey;
  private final byte[] hmacKey;

  private CheckpointKey(String algorithm, PrivateKey privateKey, PublicKey publicKey, byte[] hmacKey) {
    this.algorithm = algorithm;
    this.privateKey = privateKey;
    this.publicKey = publicKey;
    this.hmacKey = hmacKey;
    byte[] idSource = hmacKey != null ? concat("pledge-audit-hmac-key-id/1".getBytes(StandardCharsets.UTF_8), hmacKey)
        : publicKey.getEncoded();
    this.keyId = HexFormat.of().formatHex(sha256(idSource), 0, 8);
  }

  /** A new random Ed25519 key pair. */
  public static CheckpointKey generateEd25519() {
    try {
      KeyPair kp = KeyPairGenerator.getInstance(ED25519).generateKeyPair();
      return new CheckpointKey(ED25519, kp.getPrivate(), kp.getPublic(), null);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK has no Ed25519", e);
    }
  }

  /** An Ed25519 key; {@code privateKey} may be null for a key that only verifies. */
  public static CheckpointKey ed25519(PrivateKey privateKey, PublicKey publicKey) {
    Objects.requireNonNull(publicKey, "publicKey");
    return new CheckpointKey(ED25519, privateKey, publicKey, null);
  }

  /**
   * An HMAC-SHA256 key of at least 32 bytes; the array is copied.
   *
   * @throws IllegalArgumentException when the key is shorter than 32 bytes
   */
  public static CheckpointKey hmacSha256(byte[] key) {
    if (key == null || key.length < 32) {
      throw new IllegalArgumentException("an HMAC-SHA256 checkpoint key needs at least 32 bytes, got "
          + (key == null ? 0 : key.length));
    }
    return new CheckpointKey(HMAC_SHA256, null, null, key.clone());
  }

  /**
   * Reads a key file in one of the forms above.
   *
   * @throws IllegalArgumentException naming the file when it holds no key Pledge can use
   * @throws java.io.UncheckedIOException when it cannot be read
   */
  public static CheckpointKey load(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("cannot read checkpoint key file " + file + ": " + e.getMessage(), e);
    }
    String trimmed = text.strip();
    if (trimmed.startsWith("hmac-sha256:")) {
      byte[] key;
      try {
        key = Base64.getDecoder().decode(trimmed.substring("hmac-sha256:".length()).strip());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(file + ": the hmac-sha256 key is not valid base64");
      }
      if (key.length < 32) {
        throw new IllegalArgumentException(file + ": an HMAC-SHA256 checkpoint key needs at least 32 bytes, got "
            + key.length);
      }
      return new CheckpointKey(HMAC_SHA256, null, null, key);
    }
    byte[] priv = pem(text, "PRIVATE KEY");
    byte[] pub = pem(text, "PUBLIC KEY");
    if (pub == null) {
      throw new IllegalArgumentException(file + ": no checkpoint key found; expected a PUBLIC KEY PEM block"
          + " (Ed25519, optionally after its PRIVATE KEY block) or a line 'hmac-sha256:BASE64'");
    }
    try {
      KeyFactory kf = KeyFactory.getInstance(ED25519);
      PublicKey publicKey = kf.generatePublic(new X509EncodedKeySpec(pub));
      PrivateKey privateKey = priv == null ? null : kf.generatePrivate(new PKCS8EncodedKeySpec(priv));
      return new CheckpointKey(ED25519, privateKey, publicKey, null);
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException(file + ": the PEM blocks are not an Ed25519 key");
    }
  }

  private static byte[] pem(String text, String type) {
    String begin = "-----BEGIN " + type + "-----";
    String end = "-----END " + type + "-----";
    int b = text.indexOf(begin);
    int e = b < 0 ? -1 : text.indexOf(end, b);
    if (b < 0 || e < 0) {
      return null;
    }
    try {
      return Base64.getMimeDecoder().decode(text.substring(b + begin.length(), e));
    } catch (IllegalArgumentException bad) {
      return null;
    }
  }

  /**
   * Writes this key (both halves of an Ed25519 pair, or the HMAC secret) to {@code file}, readable by
   * its owner only where the file system allows.
   */
  public void writeTo(Path file) {
    String text;
    if (hmacKey != null) {
      text = "hmac-sha256:" + Base64.getEncoder().encodeToString(hmacKey) + "\n";
    } else {
      if (privateKey == null) {
        throw new IllegalStateException("this key can only verify; write it with writePublicTo");
      }
      text = pemBlock("PRIVATE KEY", privateKey.getEncoded()) + pemBlock("PUBLIC KEY", publicKey.getEncoded());
    }
    write(file, text);
  }

  /** Writes the public half of an Ed25519 key, which verifies checkpoints but cannot sign them. */
  public void writePublicTo(Path file) {
    if (publicKey == null) {
      throw new IllegalStateException("an HMAC key has no public half; a verifier needs the secret itself");
    }
    write(file, pemBlock("PUBLIC KEY", publicKey.getEncoded()));
  }

  private static void write(Path file, String text) {
    try {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      Files.writeString(file, text, StandardCharsets.US_ASCII, StandardOpenOption.CREATE,
          StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
      try {
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
      } catch (UnsupportedOperationException notPosix) {
        // nothing more can be done on such a file system
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("cannot write checkpoint key file " + file + ": " + e.getMessage(), e);
    }
  }

  private static String pemBlock(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
        + "\n-----END " + type + "-----\n";
  }

  /** {@link #ED25519} or {@link #HMAC_SHA256}. */
  public String algorithm() {
    return algorithm;
  }

  /** A short public identifier of this key (16 hex digits), recorded in each checkpoint. */
  public String keyId() {
    return keyId;
  }

  /** Whether this key can sign (an HMAC key, or an Ed25519 key with its private half). */
  public boolean canSign() {
    return hmacKey != null || privateKey != null;
  }

  /**
   * Signs a checkpoint over the chain's state.
   *
   * @throws IllegalStateException when this key only verifies
   */
  public AuditCheckpoint sign(long seq, String hash, long previous, Instant at) {
    if (!canSign()) {
      throw new IllegalStateException("checkpoint key " + keyId + " is a public key; it cannot sign");
    }
    byte[] data = AuditCheckpoint.signedBytes(seq, hash, previous, at, algorithm, keyId);
    return new AuditCheckpoint(seq, hash, previous, at, algorithm, keyId, Base64.getEncoder().encodeToString(
        rawSign(data)));
  }

  /** Whether {@code checkpoint} was signed by this key and is unchanged since. */
  public boolean verifies(AuditCheckpoint checkpoint) {
    if (!checkpoint.algorithm().equals(algorithm) || !checkpoint.keyId().equals(keyId)) {
      return false;
    }
    byte[] sig;
    try {
      sig = Base64.getDecoder().decode(checkpoint.signature());
    } catch (IllegalArgumentException e) {
      return false;
    }
    byte[] data = checkpoint.signedBytes();
    try {
      if (hmacKey != null) {
        return MessageDigest.isEqual(hmac(data), sig);
      }
      Signature s = Signature.getInstance(ED25519);
      s.initVerify(publicKey);
      s.update(data);
      return s.verify(sig);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  private byte[] rawSign(byte[] data) {
    try {
      if (hmacKey != null) {
        return hmac(data);
      }
      Signature s = Signature.getInstance(ED25519);
      s.initSign(privateKey);
      s.update(data);
      return s.sign();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot sign a checkpoint with " + algorithm + ": " + e.getMessage(), e);
    }
  }

  private byte[] hmac(byte[] data) throws GeneralSecurityException {
    Mac mac = Mac.getInstance(HMAC_SHA256);
    mac.init(new SecretKeySpec(hmacKey, HMAC_SHA256));
    return mac.doFinal(data);
  }

  private static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  @Override
  public String toString() {
    return "CheckpointKey[" + algorithm + ", id " + keyId + (canSign() ? ", signs" : ", verifies only") + "]";
  }
}
