package dev.pledge.security.password;

/** A class of characters a policy may require at least one of (P24). */
public enum CharacterClass {
  /** An upper-case (or title-case) letter: {@code A}, {@code É}. */
  UPPER,
  /** A lower-case letter: {@code a}, {@code é}. */
  LOWER,
  /** A decimal digit: {@code 7}, {@code ٣}. */
  DIGIT,
  /** Anything that is neither a letter nor a digit, space included: {@code !}, {@code €}. */
  SYMBOL
}
