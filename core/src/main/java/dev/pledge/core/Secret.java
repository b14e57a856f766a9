package dev.pledge.core;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Objects;

/**
 * Bytes that must never be printed: a key, a TOTP secret, a webhook URL, a token. {@link #toString()}
 * is always {@code Secret[redacted]}, so a secret that reaches a log line or an exception message by
 * accident still reveals nothing. Equality is constant-time. The bytes can be wiped with
 * {@link #destroy()}.
 *
 * <p>Thread-safe for reads; {@code destroy()} is meant for the end of the secret's life.
 */
public final class Secret {
  private final byte[] bytes;
  private volatile boolean destroyed;

  private Secret(byte[] bytes) {
    this.bytes = bytes;
  }

  /** A secret holding a copy of {@code bytes}. */
  public static Secret of(byte[] bytes) {
    Objects.requireNonNull(bytes, "secret bytes");
    return new Secret(bytes.clone());
  }

  /** A secret holding the UTF-8 bytes of {@code text}. */
  public static Secret ofUtf8(CharSequence text) {
    Objects.requireNonNull(text, "secret text");
    return new Secret(text.toString().getBytes(StandardCharsets.UTF_8));
  }

  /** A copy of the secret's bytes; the caller should wipe it after use. */
  public byte[] bytes() {
    if (destroyed) {
      throw new IllegalStateException("secret was destroyed");
    }
    return bytes.clone();
  }

  /** The secret as UTF-8 text, for secrets that are text (a webhook URL, a token). */
  public String utf8() {
    return new String(bytes(), StandardCharsets.UTF_8);
  }

  /** The number of bytes. */
  public int length() {
    return bytes.length;
  }

  /** Overwrites the bytes with zeros; later reads throw {@link IllegalStateException}. */
  public void destroy() {
    destroyed = true;
    Arrays.fill(bytes, (byte) 0);
  }

  /** Constant-time comparison of the bytes. */
  @Override
  public boolean equals(Object o) {
    return o instanceof Secret other && MessageDigest.isEqual(bytes, other.bytes);
  }

  @Override
  public int hashCode() {
    return bytes.length;
  }

  /** Always {@code Secret[redacted]}. */
  @Override
  public String toString() {
    return "Secret[redacted]";
  }
}
