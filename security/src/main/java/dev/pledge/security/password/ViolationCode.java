package dev.pledge.security.password;

/**
 * The stable codes of password violations (P24). Codes never change meaning; new checks get new
 * codes. Each code's parameters are listed with it; messages come from the resource bundle
 * {@code dev.pledge.security.password.Messages}, keyed by the code's name.
 */
public enum ViolationCode {
  /** Longer than the hard cap; nothing else was checked. Parameters: {@code cap}, {@code actual} (UTF-16 units). */
  EXCEEDS_HARD_CAP,
  /** Contains an unpaired surrogate or a control character. Parameters: {@code kind}, {@code count}. */
  ILLEGAL_CHARACTER,
  /** Fewer code points than the minimum. Parameters: {@code min}, {@code actual}. */
  TOO_SHORT,
  /** More code points than the maximum. Parameters: {@code max}, {@code actual}. */
  TOO_LONG,
  /** Over bcrypt's 72 UTF-8 bytes while long passwords are rejected. Parameters: {@code maxBytes}, {@code actual}. */
  TOO_LONG_FOR_HASH,
  /** No upper-case letter. Parameters: {@code min}. */
  MISSING_UPPERCASE,
  /** No lower-case letter. Parameters: {@code min}. */
  MISSING_LOWERCASE,
  /** No digit. Parameters: {@code min}. */
  MISSING_DIGIT,
  /** No symbol. Parameters: {@code min}. */
  MISSING_SYMBOL,
  /** A character repeated more times in a row than allowed. Parameters: {@code max}, {@code actual}. */
  REPEATED_CHARACTERS,
  /** An alphabetical, numerical or keyboard run longer than allowed. Parameters: {@code max}, {@code actual}. */
  SEQUENCE,
  /** A common password, or one with only digits and symbols added at its end. Parameters: none. */
  COMMON_PASSWORD,
  /** Contains one of the policy's blocked words. Parameters: none. */
  BLOCKED_WORD,
  /** Contains a word from the account's context. Parameters: {@code field} (username, email, site, word). */
  CONTAINS_CONTEXT_WORD,
  /** Matches one of the last passwords of the account. Parameters: {@code depth}. */
  REUSED,
  /** Seen in a data breach. Parameters: {@code count}. */
  BREACHED,
  /** The breach check could not answer and the policy fails closed. Parameters: none. */
  BREACH_CHECK_UNAVAILABLE
}
