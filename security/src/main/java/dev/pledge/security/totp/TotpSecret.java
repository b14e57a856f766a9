package dev.pledge.security.totp;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import org.bouncycastle.util.encoders.Base32;

/**
 * A TOTP shared secret (P26). Immutable and thread-safe; {@code toString()} never shows it.
 */
public final class TotpSecret {
  /** Bytes of a generated secret: 160 bits, as RFC 4226 recommends. */
  public static final int GENERATED_BYTES = 20;
  /** The fewest bytes accepted from outside: 80 bits. */
  public static final int MIN_BYTES = 10;

  private final byte[] bytes;

  private TotpSecret(byte[] bytes) {
    this.bytes = bytes;
  }

  /** A new 160-bit secret from a {@link SecureRandom}. */
  public static TotpSecret generate() {
    return generate(new SecureRandom());
  }

  /** A new 160-bit secret from {@code random}. */
  public static TotpSecret generate(SecureRandom random) {
    byte[] b = new byte[GENERATED_BYTES];
    random.nextBytes(b);
    return new TotpSecret(b);
  }

  /**
   * The secret made of {@code bytes} (copied); at least {@value #MIN_BYTES} bytes.
   *
   * @throws IllegalArgumentException when shorter
   */
  public static TotpSecret of(byte[] bytes) {
    Objects.requireNonNull(bytes, "bytes");
    if (bytes.length < MIN_BYTES) {
      throw new IllegalArgumentException("a TOTP secret needs at least " + MIN_BYTES + " bytes (80 bits), got " + bytes.length);
    }
    return new TotpSecret(bytes.clone());
  }

  /**
   * The secret written in RFC 4648 base32 ({@code A-Z}, {@code 2-7}); case, spaces, dashes and
   * trailing {@code =} padding are ignored, as authenticator apps show secrets in groups.
   *
   * @throws IllegalArgumentException naming the problem (position of a bad character, length), never
   *     the secret
   */
  public static TotpSecret fromBase32(String text) {
    if (text == null) {
      throw new IllegalArgumentException("secret must not be null");
    }
    if (text.length() > 1024) {
      throw new IllegalArgumentException("secret is too long for a TOTP secret (" + text.length() + " characters)");
    }
    StringBuilder clean = new StringBuilder(text.length());
    int padding = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == ' ' || c == '-') {
        continue;
      }
      if (c == '=') {
        padding++;
        continue;
      }
      if (padding > 0) {
        throw new IllegalArgumentException("secret is not base32: padding '=' may only come at the end");
      }
      char u = Character.toUpperCase(c);
      if (!((u >= 'A' && u <= 'Z') || (u >= '2' && u <= '7'))) {
        throw new IllegalArgumentException("secret is not base32: the character at position " + (i + 1)
            + " is not one of A-Z and 2-7");
      }
      clean.append(u);
    }
    int len = clean.length();
    int rem = len % 8;
    if (rem == 1 || rem == 3 || rem == 6) {
      throw new IllegalArgumentException("secret is not base32: " + len + " characters cannot encode whole bytes");
    }
    while (clean.length() % 8 != 0) {
      clean.append('=');
    }
    byte[] b = Base32.decode(clean.toString().toUpperCase(Locale.ROOT));
    if (b.length < MIN_BYTES) {
      throw new IllegalArgumentException("a TOTP secret needs at least " + MIN_BYTES + " bytes (80 bits, 16 base32 characters), got "
          + b.length + " bytes");
    }
    return new TotpSecret(b);
  }

  /** The secret in unpadded upper-case base32, as {@code otpauth://} URIs carry it. */
  public String base32() {
    String s = Base32.toBase32String(bytes);
    int end = s.length();
    while (end > 0 && s.charAt(end - 1) == '=') {
      end--;
    }
    return s.substring(0, end);
  }

  /** A copy of the secret's bytes. */
  public byte[] bytes() {
    return bytes.clone();
  }

  byte[] raw() {
    return bytes;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TotpSecret s && MessageDigest.isEqual(s.bytes, bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  @Override
  public String toString() {
    return "TotpSecret[" + (bytes.length * 8) + " bits, redacted]";
  }
}
