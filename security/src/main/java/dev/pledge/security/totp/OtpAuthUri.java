package dev.pledge.security.totp;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Builds {@code otpauth://totp/...} URIs (the Key Uri Format authenticator apps read from QR codes),
 * with issuer and account (P26). Stateless. The URI holds the secret: treat it as one.
 */
public final class OtpAuthUri {
  private OtpAuthUri() {}

  /**
   * {@code otpauth://totp/ISSUER:ACCOUNT?secret=...&issuer=ISSUER&algorithm=SHA1&digits=6&period=30}.
   *
   * @throws IllegalArgumentException when the issuer or account is blank or the issuer holds a colon
   */
  public static String of(TotpSecret secret, String issuer, String account, TotpConfig config) {
    Objects.requireNonNull(secret, "secret");
    Objects.requireNonNull(config, "config");
    if (issuer == null || issuer.isBlank() || issuer.contains(":")) {
      throw new IllegalArgumentException("issuer must be non-blank text without ':', got '" + issuer + "'");
    }
    if (account == null || account.isBlank()) {
      throw new IllegalArgumentException("account must be non-blank, got '" + account + "'");
    }
    return "otpauth://totp/" + enc(issuer) + ":" + enc(account) + "?secret=" + secret.base32() + "&issuer=" + enc(issuer)
        + "&algorithm=" + config.algorithm().name() + "&digits=" + config.digits() + "&period="
        + config.period().getSeconds();
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
