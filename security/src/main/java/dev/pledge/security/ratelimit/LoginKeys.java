package dev.pledge.security.ratelimit;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.text.Normalizer;
import java.util.Locale;
import java.util.Objects;

/**
 * How a login throttle turns what a client sent into the keys it counts failures under (P13), so an
 * attacker cannot reset or dodge a count by spelling the same account or network differently. Every
 * throttle backend (in-process, Redis) uses the same keys. Immutable and thread-safe.
 *
 * <p>Accounts, when {@link #normalizesAccounts()}: Unicode NFKC (full-width and compatibility forms
 * become their plain letters), default-ignorable code points removed (zero-width spaces and joiners,
 * soft hyphens, bidirectional marks, variation selectors, tags), surrounding white space trimmed, case
 * folded (upper then lower case in the root locale, so {@code ß} and {@code SS} agree), and NFKC again.
 * So {@code Alice}, {@code ALICE}, {@code alice }, {@code alice\u200b} and full-width {@code ａｌｉｃｅ}
 * are one account.
 *
 * <p>Sources: an IPv4 address counts by itself (in its canonical dotted form); an IPv6 address counts
 * by its network of {@link #ipv6Prefix()} bits (default /64, the block one subscriber usually holds),
 * written {@code 2001:db8:1:2:0:0:0:0/64}; an IPv4-mapped IPv6 address counts as its IPv4 address.
 * Anything else (a device id) counts as sent, trimmed. No name is ever looked up in DNS.
 *
 * @param normalizesAccounts whether account names are normalised (default true)
 * @param ipv6Prefix how many leading bits of an IPv6 source make its key; 1 to 128 (default 64)
 */
public record LoginKeys(boolean normalizesAccounts, int ipv6Prefix) {
  private static final LoginKeys DEFAULTS = new LoginKeys(true, 64);

  /** Validates the prefix. */
  public LoginKeys {
    if (ipv6Prefix < 1 || ipv6Prefix > 128) {
      throw new IllegalArgumentException("ipv6SourcePrefix must be between 1 and 128, got " + ipv6Prefix);
    }
  }

  /** Accounts normalised, IPv6 sources grouped by /64. */
  public static LoginKeys defaults() {
    return DEFAULTS;
  }

  /** The key an account's failures are counted under. */
  public String account(String account) {
    Objects.requireNonNull(account, "account");
    return normalizesAccounts ? normalizeAccount(account) : account;
  }

  /** The key a source's failures are counted under. */
  public String source(String source) {
    Objects.requireNonNull(source, "source");
    if (isCanonicalIpv4(source)) {
      return source; // the common case: already its own key, nothing to build
    }
    return sourceFully(source);
  }

  /** The source key by the whole procedure (the canonical-IPv4 shortcut above must agree with it). */
  String sourceFully(String source) {
    String s = source.strip();
    byte[] v4 = ipv4(s);
    if (v4 != null) {
      return (v4[0] & 0xff) + "." + (v4[1] & 0xff) + "." + (v4[2] & 0xff) + "." + (v4[3] & 0xff);
    }
    if (s.indexOf(':') >= 0 && isIpv6Text(s)) {
      String literal = s.startsWith("[") && s.endsWith("]") ? s.substring(1, s.length() - 1) : s;
      try {
        // brackets make the JDK parse it as an IPv6 literal or fail, never resolve it as a host name
        InetAddress a = InetAddress.getByName("[" + literal + "]");
        if (a instanceof Inet4Address) {
          return a.getHostAddress();
        }
        if (a instanceof Inet6Address) {
          byte[] b = a.getAddress();
          for (int bit = ipv6Prefix; bit < 128; bit++) {
            b[bit >>> 3] &= (byte) ~(0x80 >>> (bit & 7));
          }
          return InetAddress.getByAddress(b).getHostAddress() + "/" + ipv6Prefix;
        }
      } catch (UnknownHostException notAnAddress) {
        // not an IPv6 literal after all: count it as sent
      }
    }
    return s;
  }

  /** The account-name normalisation, whatever {@link #normalizesAccounts()} says. */
  public static String normalizeAccount(String account) {
    // Fast path for ASCII names (nearly all of them): NFKC leaves ASCII unchanged and no ASCII code
    // point is default-ignorable, so only trimming and lower-casing remain. An ASCII name already in
    // normal form is recognised by one scan, without allocating, and returned as it is.
    int n = account.length();
    boolean upper = false;
    for (int i = 0; i < n; i++) {
      char c = account.charAt(i);
      if (c >= 0x80) {
        return normalizeFully(account);
      }
      if (c >= 'A' && c <= 'Z') {
        upper = true;
      }
    }
    int start = 0;
    int end = n;
    while (start < end && Character.isWhitespace(account.charAt(start))) {
      start++;
    }
    while (end > start && Character.isWhitespace(account.charAt(end - 1))) {
      end--;
    }
    if (!upper && start == 0 && end == n) {
      return account;
    }
    String trimmed = account.substring(start, end);
    return upper ? trimmed.toLowerCase(Locale.ROOT) : trimmed;
  }

  /** The whole normalisation, for any text (the ASCII fast path above must agree with it). */
  static String normalizeFully(String account) {
    String s = Normalizer.normalize(account, Normalizer.Form.NFKC);
    StringBuilder b = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); ) {
      int cp = s.codePointAt(i);
      if (!isDefaultIgnorable(cp)) {
        b.appendCodePoint(cp);
      }
      i += Character.charCount(cp);
    }
    String folded = b.toString().strip().toUpperCase(Locale.ROOT).toLowerCase(Locale.ROOT);
    String n = Normalizer.normalize(folded, Normalizer.Form.NFKC);
    // an account already in normal form keeps the caller's string, so the tables hold no second copy
    return n.equals(account) ? account : n;
  }

  /** Unicode's Default_Ignorable_Code_Point property (DerivedCoreProperties.txt, Unicode 15). */
  static boolean isDefaultIgnorable(int cp) {
    return cp == 0x00AD || cp == 0x034F || cp == 0x061C || (cp >= 0x115F && cp <= 0x1160)
        || (cp >= 0x17B4 && cp <= 0x17B5) || (cp >= 0x180B && cp <= 0x180F) || (cp >= 0x200B && cp <= 0x200F)
        || (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2060 && cp <= 0x206F) || cp == 0x3164
        || (cp >= 0xFE00 && cp <= 0xFE0F) || cp == 0xFEFF || cp == 0xFFA0 || (cp >= 0xFFF0 && cp <= 0xFFF8)
        || (cp >= 0x1BCA0 && cp <= 0x1BCA3) || (cp >= 0x1D173 && cp <= 0x1D17A) || (cp >= 0xE0000 && cp <= 0xE0FFF);
  }

  private static boolean isIpv6Text(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean ok = Character.digit(c, 16) >= 0 || c == ':' || c == '.' || c == '[' || c == ']' || c == '%'
          || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
      if (!ok || s.length() > 64) {
        return false;
      }
    }
    return true;
  }

  /**
   * Whether {@code s} is an IPv4 address written exactly as {@link #source} writes it (four decimal
   * octets 0-255 without leading zeros, nothing around them). Scans without allocating.
   */
  private static boolean isCanonicalIpv4(String s) {
    int n = s.length();
    if (n < 7 || n > 15) {
      return false;
    }
    int parts = 0;
    int i = 0;
    while (true) {
      int start = i;
      int value = 0;
      while (i < n && i - start < 3) {
        char c = s.charAt(i);
        if (c < '0' || c > '9') {
          break;
        }
        value = value * 10 + (c - '0');
        i++;
      }
      int digits = i - start;
      if (digits == 0 || value > 255 || (digits > 1 && s.charAt(start) == '0')) {
        return false;
      }
      parts++;
      if (parts == 4) {
        return i == n;
      }
      if (i >= n || s.charAt(i) != '.') {
        return false;
      }
      i++;
    }
  }

  /** Four decimal octets, or null. */
  private static byte[] ipv4(String s) {
    byte[] out = new byte[4];
    int part = 0;
    int value = -1;
    for (int i = 0; i <= s.length(); i++) {
      char c = i < s.length() ? s.charAt(i) : '.';
      if (c >= '0' && c <= '9') {
        value = (value < 0 ? 0 : value * 10) + (c - '0');
        if (value > 255) {
          return null;
        }
      } else if (c == '.' && value >= 0 && part < 4) {
        out[part++] = (byte) value;
        value = -1;
      } else {
        return null;
      }
    }
    return part == 4 ? out : null;
  }
}
