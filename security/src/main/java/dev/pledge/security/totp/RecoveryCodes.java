package dev.pledge.security.totp;

import dev.pledge.security.password.PasswordHasher;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Single-use recovery codes for accounts that lost their second factor (P26), kept only as hashes.
 * Immutable and thread-safe: redeeming answers the remaining set, which the caller stores in place of
 * the old one.
 *
 * @param hashes the hashes of the codes not used yet
 */
public record RecoveryCodes(List<String> hashes) {
  private static final char[] ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789".toCharArray();

  /** Copies the hashes. */
  public RecoveryCodes {
    hashes = List.copyOf(Objects.requireNonNull(hashes, "hashes"));
  }

  /** Codes shown to the user once, and the hashes to store. */
  public record Issued(List<String> codes, RecoveryCodes stored) {
    /** Copies the codes. */
    public Issued {
      codes = List.copyOf(codes);
    }

    @Override
    public String toString() {
      return "RecoveryCodes.Issued[" + codes.size() + " codes, redacted]";
    }
  }

  /**
   * {@code count} (1-20) new codes of 10 characters ({@code xxxxx-xxxxx}, about 49 bits each), hashed
   * with {@code hasher}.
   */
  public static Issued generate(int count, PasswordHasher hasher, SecureRandom random) {
    if (count < 1 || count > 20) {
      throw new IllegalArgumentException("count must be between 1 and 20, got " + count);
    }
    List<String> codes = new ArrayList<>(count);
    List<String> hashes = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      StringBuilder b = new StringBuilder(11);
      for (int j = 0; j < 10; j++) {
        if (j == 5) {
          b.append('-');
        }
        b.append(ALPHABET[random.nextInt(ALPHABET.length)]);
      }
      codes.add(b.toString());
      hashes.add(hasher.hash(normalize(b.toString())));
    }
    return new Issued(codes, new RecoveryCodes(hashes));
  }

  /** How many codes are left. */
  public int remaining() {
    return hashes.size();
  }

  /**
   * Redeems {@code code} (case, spaces and dashes ignored): the remaining codes without it when it
   * matched one, empty when it matched none (so it can never be used twice).
   */
  public Optional<RecoveryCodes> redeem(String code, PasswordHasher hasher) {
    if (code == null) {
      return Optional.empty();
    }
    String n = normalize(code);
    if (n.length() != 10) {
      return Optional.empty();
    }
    for (int i = 0; i < hashes.size(); i++) {
      if (hasher.verify(n, hashes.get(i))) {
        List<String> rest = new ArrayList<>(hashes);
        rest.remove(i);
        return Optional.of(new RecoveryCodes(rest));
      }
    }
    return Optional.empty();
  }

  /**
   * Redeems {@code code} for {@code account} in a shared {@code store}: true when it matched one of the
   * account's unused codes and this call was the one that removed it, so a code is accepted once even
   * when two nodes redeem it at the same moment. Unlike {@link #redeem(String, PasswordHasher)}, there
   * is nothing for the caller to save.
   */
  public static boolean redeem(String account, String code, PasswordHasher hasher, RecoveryCodeStore store) {
    Objects.requireNonNull(account, "account");
    Objects.requireNonNull(store, "store");
    if (code == null) {
      return false;
    }
    String n = normalize(code);
    if (n.length() != 10) {
      return false;
    }
    for (String hash : store.load(account).hashes()) {
      if (hasher.verify(n, hash)) {
        return store.consume(account, hash);
      }
    }
    return false;
  }

  private static String normalize(String code) {
    return code.replace("-", "").replace(" ", "").toLowerCase(Locale.ROOT);
  }

  @Override
  public String toString() {
    return "RecoveryCodes[" + hashes.size() + " remaining]";
  }
}
