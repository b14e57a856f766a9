package dev.pledge.security.totp;

/** The HMAC functions of RFC 6238 (P26). */
public enum TotpAlgorithm {
  /** HMAC-SHA-1, what most authenticator apps use. */
  SHA1("HmacSHA1"),
  /** HMAC-SHA-256. */
  SHA256("HmacSHA256"),
  /** HMAC-SHA-512. */
  SHA512("HmacSHA512");

  private final String jcaName;

  TotpAlgorithm(String jcaName) {
    this.jcaName = jcaName;
  }

  /** The JCA name of the MAC, such as {@code HmacSHA1}. */
  public String jcaName() {
    return jcaName;
  }
}
