package dev.pledge.security.password;

/**
 * What happens to a password longer than the 72 UTF-8 bytes bcrypt reads. Pledge never truncates
 * silently.
 */
public enum LongPasswordMode {
  /**
   * The validator reports {@link ViolationCode#TOO_LONG_FOR_HASH} and the hasher refuses such a
   * password with an {@link IllegalArgumentException}.
   */
  REJECT,
  /**
   * Passwords over 72 bytes are first reduced to base64(HMAC-SHA-384(pepper, password)), 64 ASCII
   * bytes, then hashed; passwords of at most 72 bytes are hashed as they are, so switching from
   * {@link #REJECT} keeps every existing hash valid. Needs a pepper.
   */
  PREHASH
}
