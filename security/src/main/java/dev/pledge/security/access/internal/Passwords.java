package dev.pledge.security.access.internal;

import dev.pledge.core.Secret;
import java.security.SecureRandom;
import java.util.regex.Pattern;

/** Random passwords and safe identifiers for the logins targets make. Thread-safe. */
final class Passwords {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final char[] ALPHABET =
      "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789".toCharArray();
  private static final Pattern IDENT = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

  private Passwords() {}

  /**
   * A new password of 32 characters from an alphabet of 57 (about 187 bits), with no character that
   * needs quoting in SQL, so it can stand in DDL where no parameter may.
   */
  static Secret random() {
    char[] c = new char[32];
    for (int i = 0; i < c.length; i++) {
      c[i] = ALPHABET[RANDOM.nextInt(ALPHABET.length)];
    }
    Secret s = Secret.ofUtf8(new String(c));
    java.util.Arrays.fill(c, '\0');
    return s;
  }

  /** {@code name} when it is a lower-case SQL identifier, which needs no quoting; else an error. */
  static String ident(String what, String name) {
    if (name == null || !IDENT.matcher(name).matches()) {
      throw new IllegalArgumentException(what + " must be lower-case letters, digits and _ (at most 63), got '"
          + name + "'");
    }
    return name;
  }
}
