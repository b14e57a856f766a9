package dev.pledge.security.password;

/** The password hashing algorithms Pledge produces (P23). */
public enum HashAlgorithm {
  /** bcrypt, {@code $2b$} modular-crypt strings (the default; P23 names it). */
  BCRYPT,
  /** Argon2id, PHC strings {@code $argon2id$v=19$m=...,t=...,p=...$salt$hash}. */
  ARGON2ID
}
