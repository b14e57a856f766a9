package dev.pledge.security.password;

import dev.pledge.core.Secret;
import dev.pledge.security.password.internal.PledgeHasher;

/**
 * Produces and verifies password hashes in modular-crypt form (P23): bcrypt ({@code $2b$12$...}) by
 * default, Argon2id ({@code $argon2id$v=19$...}) as an alternative. Every hasher verifies both
 * families, so a policy can move from one to the other; {@link #needsRehash(String)} says when a
 * stored hash is below the policy. Implementations are thread-safe.
 *
 * <p>Passwords are NFKC-normalized and encoded as UTF-8 before hashing. bcrypt reads at most 72
 * bytes: a longer password is never truncated silently but refused or pre-hashed, per
 * {@link LongPasswordMode}. {@code null}, input over {@link PasswordRules#HARD_CAP} characters and
 * unpaired surrogates are refused with an {@link IllegalArgumentException} naming the problem.
 *
 * <pre>{@code
 * PasswordHasher hasher = PasswordHasher.bcrypt(12);
 * String stored = hasher.hash(password);               // $2b$12$...
 * boolean ok = user == null ? hasher.verifyDummy(password) : hasher.verify(password, user.hash());
 * if (ok && hasher.needsRehash(user.hash())) { user.setHash(hasher.hash(password)); }
 * }</pre>
 */
public interface PasswordHasher {

  /** The most UTF-8 bytes bcrypt reads. */
  int BCRYPT_MAX_BYTES = 72;

  /**
   * Hashes {@code password} with a fresh random salt.
   *
   * @throws IllegalArgumentException when the password is null, over the hard cap, has an unpaired
   *     surrogate, or is over 72 bytes while long passwords are rejected
   */
  String hash(CharSequence password);

  /**
   * Whether {@code password} matches {@code hash} (bcrypt {@code $2a$}, {@code $2b$}, {@code $2y$} or
   * Argon2id), compared in constant time. A stored hash is data: one that is malformed, of an
   * unknown family ({@code {bcrypt}$2a$...}) or whose parameters ask for more work than the bounds
   * of {@link #problemWith(String)} matches nothing, so the answer is {@code false}, never an
   * exception.
   *
   * @throws IllegalArgumentException when the password itself is unusable (null, over the hard
   *     cap, an unpaired surrogate)
   */
  boolean verify(CharSequence password, String hash);

  /**
   * Why {@code hash} cannot be verified by Pledge's hashers, or empty when it can: not a bcrypt or
   * Argon2id modular-crypt string, malformed, or with stored parameters past the bounds (bcrypt
   * cost above 16, Argon2id memory above 256 MiB, more than 10 iterations or 16 lanes; a hasher
   * configured higher accepts its own). The message never holds the hash.
   */
  static java.util.Optional<String> problemWith(String hash) {
    return PledgeHasher.argon2id(8, 1, 1).problem(hash);
  }

  /**
   * Whether {@code hash} should be replaced at the next successful login: another algorithm, or a
   * bcrypt cost or Argon2id parameters below this hasher's.
   *
   * @throws IllegalArgumentException when {@code hash} is not a well-formed hash of a known family
   */
  boolean needsRehash(String hash);

  /**
   * Runs a verification that costs what {@link #verify} costs and always answers {@code false}: call
   * it for unknown accounts so that response times do not reveal which accounts exist.
   */
  boolean verifyDummy(CharSequence password);

  /** bcrypt at {@code cost} (4-31), refusing passwords over 72 bytes. */
  static PasswordHasher bcrypt(int cost) {
    return PledgeHasher.bcrypt(cost, LongPasswordMode.REJECT, null);
  }

  /**
   * bcrypt at {@code cost} that pre-hashes passwords over 72 bytes with HMAC-SHA-384 keyed by
   * {@code pepper} (at least 32 bytes; keep it outside the database).
   */
  static PasswordHasher bcryptWithPrehash(int cost, Secret pepper) {
    return PledgeHasher.bcrypt(cost, LongPasswordMode.PREHASH, pepper);
  }

  /** Argon2id with the OWASP parameters: 19 MiB of memory, 2 iterations, 1 lane. */
  static PasswordHasher argon2id() {
    return PledgeHasher.argon2id(19_456, 2, 1);
  }

  /**
   * The hasher the policy's {@code hashing} settings describe; {@code pepper} is needed only when
   * long passwords are pre-hashed and may otherwise be {@code null}.
   */
  static PasswordHasher from(PasswordsPolicy.Hashing hashing, Secret pepper) {
    if (hashing.algorithm() == HashAlgorithm.ARGON2ID) {
      return argon2id();
    }
    return PledgeHasher.bcrypt(hashing.cost(), hashing.longPasswords(), pepper);
  }

  /**
   * The hasher the policy's {@code hashing} settings describe, from the settings' former type.
   *
   * @param hashing the {@code passwords.hashing} settings
   * @param pepper the pepper for pre-hashed long passwords, or {@code null}
   * @return the hasher
   * @deprecated use {@link #from(PasswordsPolicy.Hashing, Secret)}
   */
  @Deprecated(since = "0.2.0", forRemoval = true)
  @SuppressWarnings("removal")
  static PasswordHasher from(PasswordsSection.Hashing hashing, Secret pepper) {
    return from(hashing.toPolicy(), pepper);
  }
}
