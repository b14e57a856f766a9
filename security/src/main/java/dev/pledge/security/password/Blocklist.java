package dev.pledge.security.password;

import dev.pledge.security.password.internal.CommonPasswords;
import java.util.Collection;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * A set of refused passwords, matched case-insensitively on the NFKC-normalized password (P24).
 * Implementations must be thread-safe.
 */
public interface Blocklist {

  /** Whether {@code lowerCased}, a normalized and lower-cased password, is refused. */
  boolean contains(String lowerCased);

  /** How many entries the list holds. */
  int size();

  /**
   * The bundled list: the 30,000 most common passwords of the frequency list that ships in the
   * Maven Central artifact {@code com.nulab-inc:zxcvbn} (MIT licence; the list zxcvbn compiled from
   * leaked-password corpora). Loaded once, on first use, and shared.
   */
  static Blocklist common() {
    return CommonPasswords.instance();
  }

  /** A list of {@code passwords}, lower-cased. */
  static Blocklist of(Collection<String> passwords) {
    Set<String> set = new HashSet<>();
    for (String p : passwords) {
      set.add(java.text.Normalizer.normalize(p, java.text.Normalizer.Form.NFKC).toLowerCase(Locale.ROOT));
    }
    Set<String> frozen = Set.copyOf(set);
    return new Blocklist() {
      @Override
      public boolean contains(String lowerCased) {
        return frozen.contains(lowerCased);
      }

      @Override
      public int size() {
        return frozen.size();
      }

      @Override
      public String toString() {
        return "Blocklist[" + frozen.size() + " entries]";
      }
    };
  }
}
