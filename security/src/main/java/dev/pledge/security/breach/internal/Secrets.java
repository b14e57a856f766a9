package dev.pledge.security.breach.internal;

import dev.pledge.core.Secret;
import java.security.SecureRandom;
import java.sql.SQLException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/** Random secrets and checked names for the built-in breach actions. Internal to Pledge. Thread-safe. */
public final class Secrets {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final char[] ALPHABET =
      "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789".toCharArray();
  private static final Pattern IDENT = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}");
  private static final Pattern QUOTABLE = Pattern.compile("[A-Za-z0-9._~+/=-]{12,256}");

  private Secrets() {}

  /** A new 32-character password (about 187 bits) that needs no quoting in SQL or Redis. */
  public static Secret random() {
    char[] c = new char[32];
    for (int i = 0; i < c.length; i++) {
      c[i] = ALPHABET[RANDOM.nextInt(ALPHABET.length)];
    }
    Secret s = Secret.ofUtf8(new String(c));
    java.util.Arrays.fill(c, '\0');
    return s;
  }

  /** Twelve random hex digits, for probe names. */
  public static String token() {
    byte[] b = new byte[6];
    RANDOM.nextBytes(b);
    return HexFormat.of().formatHex(b);
  }

  static String ident(String what, String name) {
    if (name == null || !IDENT.matcher(name).matches()) {
      throw new IllegalArgumentException(what + " must be letters, digits and _ (at most 63), got '" + name + "'");
    }
    return name;
  }

  /** The password's text when it can stand quoted in DDL (DDL takes no parameters); else an error without it. */
  static String requireQuotable(Secret password) {
    String pw = password.utf8();
    if (!QUOTABLE.matcher(pw).matches()) {
      throw new IllegalArgumentException("a rotated password must be 12-256 characters of letters, digits and ._~+/=-");
    }
    return pw;
  }

  /** The server's message with any statement text that could hold a password cut off. */
  static String clean(SQLException e) {
    String m = String.valueOf(e.getMessage());
    for (String marker : new String[] {"PASSWORD", "IDENTIFIED", "password"}) {
      int cut = m.indexOf(marker);
      if (cut >= 0) {
        m = m.substring(0, cut) + "...";
      }
    }
    return m;
  }
}
