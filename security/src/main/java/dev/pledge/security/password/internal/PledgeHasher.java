package dev.pledge.security.password.internal;

import at.favre.lib.crypto.bcrypt.BCrypt;
import at.favre.lib.crypto.bcrypt.LongPasswordStrategies;
import dev.pledge.core.Secret;
import dev.pledge.security.password.HashAlgorithm;
import dev.pledge.security.password.LongPasswordMode;
import dev.pledge.security.password.PasswordHasher;
import dev.pledge.security.password.PasswordRules;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.text.Normalizer;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/** The {@link PasswordHasher} behind the public factories. Thread-safe. */
public final class PledgeHasher implements PasswordHasher {
  private static final Pattern BCRYPT = Pattern.compile("\\$2([aby])\\$(\\d\\d)\\$[./A-Za-z0-9]{53}");
  private static final Pattern ARGON2ID = Pattern.compile(
      "\\$argon2id\\$v=19\\$m=(\\d{1,8}),t=(\\d{1,4}),p=(\\d{1,3})\\$([A-Za-z0-9+/]{11,64})\\$([A-Za-z0-9+/]{22,128})");
  private static final int SALT_BYTES = 16;
  /** The highest bcrypt cost a stored hash may ask for (about a second per attempt today), or this hasher's own. */
  public static final int MAX_STORED_BCRYPT_COST = 16;
  /** The most memory, in KiB, a stored Argon2id hash may ask for (256 MiB), or this hasher's own. */
  public static final int MAX_STORED_ARGON2_MEMORY_KIB = 256 * 1024;
  /** The most iterations a stored Argon2id hash may ask for, or this hasher's own. */
  public static final int MAX_STORED_ARGON2_ITERATIONS = 10;
  /** The most lanes a stored Argon2id hash may ask for, or this hasher's own. */
  public static final int MAX_STORED_ARGON2_PARALLELISM = 16;
  private static final int ARGON_OUT = 32;

  private final HashAlgorithm algorithm;
  private final int cost;
  private final LongPasswordMode longPasswords;
  private final byte[] pepper;
  private final int memoryKib;
  private final int iterations;
  private final int parallelism;
  private final SecureRandom random = new SecureRandom();
  private final BCrypt.Hasher bcryptHasher;
  private final BCrypt.Verifyer bcryptVerifyer;
  private volatile String dummyHash;

  private PledgeHasher(HashAlgorithm algorithm, int cost, LongPasswordMode longPasswords, byte[] pepper,
      int memoryKib, int iterations, int parallelism) {
    this.algorithm = algorithm;
    this.cost = cost;
    this.longPasswords = longPasswords;
    this.pepper = pepper;
    this.memoryKib = memoryKib;
    this.iterations = iterations;
    this.parallelism = parallelism;
    // our own 72-byte rule runs first, so the library never truncates and never throws on length
    this.bcryptHasher = BCrypt.with(BCrypt.Version.VERSION_2B, random, LongPasswordStrategies.none());
    this.bcryptVerifyer = BCrypt.verifyer(BCrypt.Version.VERSION_2B, LongPasswordStrategies.none());
  }

  /** bcrypt at {@code cost}; {@code pepper} is required for {@link LongPasswordMode#PREHASH}. */
  public static PledgeHasher bcrypt(int cost, LongPasswordMode mode, Secret pepper) {
    if (cost < 4 || cost > 31) {
      throw new IllegalArgumentException("cost must be between 4 and 31, got " + cost);
    }
    java.util.Objects.requireNonNull(mode, "longPasswords");
    byte[] p = null;
    if (mode == LongPasswordMode.PREHASH) {
      if (pepper == null || pepper.length() < 32) {
        throw new IllegalArgumentException("longPasswords PREHASH needs a pepper of at least 32 bytes, got "
            + (pepper == null ? "none" : pepper.length() + " bytes"));
      }
      p = pepper.bytes();
    }
    return new PledgeHasher(HashAlgorithm.BCRYPT, cost, mode, p, 0, 0, 0);
  }

  /** Argon2id with {@code memoryKib} KiB, {@code iterations} passes and {@code parallelism} lanes. */
  public static PledgeHasher argon2id(int memoryKib, int iterations, int parallelism) {
    if (memoryKib < 8 * parallelism || iterations < 1 || parallelism < 1) {
      throw new IllegalArgumentException("argon2id needs memoryKib >= 8*parallelism, iterations >= 1 and parallelism >= 1, got m="
          + memoryKib + ", t=" + iterations + ", p=" + parallelism);
    }
    return new PledgeHasher(HashAlgorithm.ARGON2ID, 0, LongPasswordMode.REJECT, null, memoryKib, iterations, parallelism);
  }

  @Override
  public String hash(CharSequence password) {
    byte[] pw = encode(password);
    if (algorithm == HashAlgorithm.ARGON2ID) {
      byte[] salt = new byte[SALT_BYTES];
      random.nextBytes(salt);
      byte[] out = argon(pw, salt, memoryKib, iterations, parallelism);
      Base64.Encoder b64 = Base64.getEncoder().withoutPadding();
      return "$argon2id$v=19$m=" + memoryKib + ",t=" + iterations + ",p=" + parallelism + "$"
          + b64.encodeToString(salt) + "$" + b64.encodeToString(out);
    }
    byte[] input = forBcrypt(pw);
    if (input == null) {
      throw new IllegalArgumentException("the password takes " + pw.length + " UTF-8 bytes; bcrypt reads at most "
          + BCRYPT_MAX_BYTES + " and long passwords are rejected by this policy (longPasswords: REJECT)");
    }
    return new String(bcryptHasher.hash(cost, input), StandardCharsets.US_ASCII);
  }

  /**
   * Why {@code hash} cannot be verified by this hasher: not a hash of a known family, malformed, or
   * asking for more work than the stated bounds (a stored hash is data, and its parameters must not
   * let whoever wrote it make every login take minutes or gigabytes); empty when it can be. Never
   * names the hash.
   */
  public java.util.Optional<String> problem(String hash) {
    if (hash == null) {
      return java.util.Optional.of("hash is missing");
    }
    Matcher b = BCRYPT.matcher(hash);
    if (b.matches()) {
      int c = Integer.parseInt(b.group(2));
      int max = Math.max(MAX_STORED_BCRYPT_COST, cost);
      if (c < 4 || c > max) {
        return java.util.Optional.of("bcrypt hash cost must be between 04 and " + max + ", got " + b.group(2));
      }
      return java.util.Optional.empty();
    }
    Matcher a = ARGON2ID.matcher(hash);
    if (a.matches()) {
      long m = Long.parseLong(a.group(1));
      long t = Long.parseLong(a.group(2));
      long p = Long.parseLong(a.group(3));
      long maxM = Math.max(MAX_STORED_ARGON2_MEMORY_KIB, memoryKib);
      long maxT = Math.max(MAX_STORED_ARGON2_ITERATIONS, iterations);
      long maxP = Math.max(MAX_STORED_ARGON2_PARALLELISM, parallelism);
      if (m > maxM || t > maxT || p > maxP || p < 1 || t < 1 || m < 8 * p) {
        return java.util.Optional.of("argon2id hash parameters out of range (m=" + m + ", t=" + t + ", p=" + p
            + "; this verifier accepts m up to " + maxM + " KiB, t up to " + maxT + ", p up to " + maxP + ")");
      }
      return java.util.Optional.empty();
    }
    return java.util.Optional.of(describe(hash));
  }

  @Override
  public boolean verify(CharSequence password, String hash) {
    byte[] pw = encode(password);
    if (problem(hash).isPresent()) {
      return false; // a stored hash is data: a malformed or unbounded one matches nothing
    }
    Matcher b = BCRYPT.matcher(hash);
    if (b.matches()) {
      byte[] input = forBcrypt(pw);
      if (input == null) {
        // never truncate: such a password cannot have produced a hash of ours; still spend the time
        bcryptVerifyer.verify(new byte[] {0}, hash.getBytes(StandardCharsets.US_ASCII));
        return false;
      }
      BCrypt.Result r;
      try {
        r = bcryptVerifyer.verify(input, hash.getBytes(StandardCharsets.US_ASCII));
      } catch (RuntimeException e) {
        return false; // the library refuses some malformed salts with an exception: no match
      }
      return r.validFormat && r.verified;
    }
    Matcher a = ARGON2ID.matcher(hash);
    if (a.matches()) {
      int m = Integer.parseInt(a.group(1));
      int t = Integer.parseInt(a.group(2));
      int p = Integer.parseInt(a.group(3));
      byte[] salt;
      byte[] expected;
      try {
        salt = Base64.getDecoder().decode(a.group(4));
        expected = Base64.getDecoder().decode(a.group(5));
      } catch (IllegalArgumentException e) {
        return false; // salt or digest is not base64: matches nothing
      }
      byte[] actual = argonLen(pw, salt, m, t, p, expected.length);
      return MessageDigest.isEqual(actual, expected);
    }
    throw new IllegalArgumentException(describe(hash));
  }

  @Override
  public boolean needsRehash(String hash) {
    if (hash == null) {
      throw new IllegalArgumentException("hash must not be null");
    }
    Matcher b = BCRYPT.matcher(hash);
    if (b.matches()) {
      return algorithm != HashAlgorithm.BCRYPT || Integer.parseInt(b.group(2)) < cost;
    }
    Matcher a = ARGON2ID.matcher(hash);
    if (a.matches()) {
      return algorithm != HashAlgorithm.ARGON2ID || Integer.parseInt(a.group(1)) < memoryKib
          || Integer.parseInt(a.group(2)) < iterations || Integer.parseInt(a.group(3)) < parallelism;
    }
    throw new IllegalArgumentException(describe(hash));
  }

  @Override
  public boolean verifyDummy(CharSequence password) {
    String h = dummyHash;
    if (h == null) {
      byte[] r = new byte[18];
      random.nextBytes(r);
      h = hash(Base64.getEncoder().encodeToString(r));
      dummyHash = h;
    }
    try {
      verify(password, h);
    } catch (IllegalArgumentException e) {
      // a malformed password costs the same and is still refused
      verify("", h);
    }
    return false;
  }

  private static String describe(String hash) {
    if (hash.isEmpty()) {
      return "hash is empty";
    }
    if (hash.startsWith("$2")) {
      return "malformed bcrypt hash: expected $2a$, $2b$ or $2y$, a two-digit cost and 53 characters of salt and digest ("
          + hash.length() + " characters given)";
    }
    if (hash.startsWith("$argon2")) {
      return "malformed or unsupported argon2 hash: expected $argon2id$v=19$m=..,t=..,p=..$salt$digest";
    }
    return "hash is not a bcrypt ($2a$, $2b$, $2y$) or argon2id ($argon2id$) modular-crypt string";
  }

  private byte[] forBcrypt(byte[] pw) {
    if (pw.length <= BCRYPT_MAX_BYTES) {
      return pw;
    }
    if (longPasswords == LongPasswordMode.REJECT) {
      return null;
    }
    try {
      Mac mac = Mac.getInstance("HmacSHA384");
      mac.init(new SecretKeySpec(pepper, "HmacSHA384"));
      return Base64.getEncoder().encode(mac.doFinal(pw));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HMAC-SHA-384 is not available in this JVM", e);
    }
  }

  /** NFKC-normalized UTF-8 bytes, after the bad-input checks. */
  static byte[] encode(CharSequence password) {
    if (password == null) {
      throw new IllegalArgumentException("password must not be null");
    }
    if (password.length() > PasswordRules.HARD_CAP) {
      throw new IllegalArgumentException("password is longer than " + PasswordRules.HARD_CAP + " characters ("
          + password.length() + ")");
    }
    boolean ascii = true;
    for (int i = 0; i < password.length(); i++) {
      char c = password.charAt(i);
      if (c >= 0x80) {
        ascii = false;
      }
      if (Character.isHighSurrogate(c)) {
        if (i + 1 < password.length() && Character.isLowSurrogate(password.charAt(i + 1))) {
          i++;
          continue;
        }
        throw new IllegalArgumentException("password contains an unpaired surrogate at index " + i);
      }
      if (Character.isLowSurrogate(c)) {
        throw new IllegalArgumentException("password contains an unpaired surrogate at index " + i);
      }
    }
    String s = ascii ? password.toString() : Normalizer.normalize(password, Normalizer.Form.NFKC);
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] argon(byte[] pw, byte[] salt, int m, int t, int p) {
    return argonLen(pw, salt, m, t, p, ARGON_OUT);
  }

  private static byte[] argonLen(byte[] pw, byte[] salt, int m, int t, int p, int len) {
    Argon2Parameters params = new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
        .withVersion(Argon2Parameters.ARGON2_VERSION_13).withMemoryAsKB(m).withIterations(t)
        .withParallelism(p).withSalt(salt).build();
    Argon2BytesGenerator gen = new Argon2BytesGenerator();
    gen.init(params);
    byte[] out = new byte[len];
    gen.generateBytes(pw, out);
    return out;
  }

  @Override
  public String toString() {
    return algorithm == HashAlgorithm.BCRYPT
        ? "PasswordHasher[bcrypt, cost=" + cost + ", longPasswords=" + longPasswords + "]"
        : "PasswordHasher[argon2id, m=" + memoryKib + ", t=" + iterations + ", p=" + parallelism + "]";
  }
}
