package dev.pledge.spring.password;

import dev.pledge.security.password.HashAlgorithm;
import dev.pledge.security.password.PasswordHasher;
import java.util.Map;
import java.util.Objects;
import org.springframework.security.crypto.password.DelegatingPasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;

/**
 * A Spring Security {@link PasswordEncoder} backed by Pledge's {@link PasswordHasher} (P23): bcrypt
 * ({@code $2b$12$...}) or Argon2id as the policy's {@code passwords.hashing} says, with Pledge's rules
 * (NFKC normalisation, no silent truncation past bcrypt's 72 bytes). It writes and reads bare
 * modular-crypt hashes, the form Spring's {@code BCryptPasswordEncoder} and {@code Argon2PasswordEncoder}
 * use, so hashes move between the two in both directions; register it in a
 * {@link DelegatingPasswordEncoder} under the ids {@code bcrypt} and {@code argon2}, which strips and
 * adds the {@code {bcrypt}} prefix ({@link #delegating}). {@link #upgradeEncoding(String)} is the hasher's
 * {@link PasswordHasher#needsRehash(String) needsRehash}: a hash of another family or below the policy's
 * cost is replaced at the next successful login.
 *
 * <p>Thread-safe. A malformed hash never matches and is never echoed in a message or a log line.
 */
public final class PledgePasswordEncoder implements PasswordEncoder {
  private final PasswordHasher hasher;

  private PledgePasswordEncoder(PasswordHasher hasher) {
    this.hasher = hasher;
  }

  /** An encoder that hashes and verifies with {@code hasher}. */
  public static PledgePasswordEncoder of(PasswordHasher hasher) {
    return new PledgePasswordEncoder(Objects.requireNonNull(hasher, "hasher"));
  }

  /**
   * A {@link DelegatingPasswordEncoder} that encodes with {@code hasher} under the id of {@code algorithm}
   * ({@code {bcrypt}} or {@code {argon2}}, Spring Security's ids), verifies both ids with it, and verifies
   * hashes stored without an id (as a host that used a bare {@code BCryptPasswordEncoder} has them), which
   * {@code upgradeEncoding} then reports for re-encoding with the id.
   */
  public static DelegatingPasswordEncoder delegating(PasswordHasher hasher, HashAlgorithm algorithm) {
    PledgePasswordEncoder pledge = of(hasher);
    String id = algorithm == HashAlgorithm.ARGON2ID ? "argon2" : "bcrypt";
    DelegatingPasswordEncoder d = new DelegatingPasswordEncoder(id, Map.of("bcrypt", pledge, "argon2", pledge));
    d.setDefaultPasswordEncoderForMatches(pledge);
    return d;
  }

  /**
   * Hashes {@code rawPassword} with a fresh salt.
   *
   * @throws IllegalArgumentException when the password is null, over the hasher's limits or (with
   *     {@code longPasswords: REJECT}) over bcrypt's 72 bytes; the message never contains the password
   */
  @Override
  public String encode(CharSequence rawPassword) {
    if (rawPassword == null) {
      throw new IllegalArgumentException("rawPassword cannot be null");
    }
    return hasher.hash(rawPassword);
  }

  /** Whether {@code rawPassword} matches {@code encodedPassword}; {@code false} for a missing or malformed hash. */
  @Override
  public boolean matches(CharSequence rawPassword, String encodedPassword) {
    if (rawPassword == null) {
      throw new IllegalArgumentException("rawPassword cannot be null");
    }
    if (encodedPassword == null || encodedPassword.isEmpty()) {
      return false;
    }
    try {
      return hasher.verify(rawPassword, encodedPassword);
    } catch (IllegalArgumentException malformed) {
      return false;
    }
  }

  /** Whether {@code encodedPassword} is below the policy: another family, or a lower cost. */
  @Override
  public boolean upgradeEncoding(String encodedPassword) {
    if (encodedPassword == null || encodedPassword.isEmpty()) {
      return false;
    }
    try {
      return hasher.needsRehash(encodedPassword);
    } catch (IllegalArgumentException malformed) {
      return false;
    }
  }

  @Override
  public String toString() {
    return "PledgePasswordEncoder[" + hasher + "]";
  }
}
