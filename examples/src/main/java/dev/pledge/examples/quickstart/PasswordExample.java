package dev.pledge.examples.quickstart;

import dev.pledge.security.password.PasswordContext;
import dev.pledge.security.password.PasswordHasher;
import dev.pledge.security.password.PasswordRules;
import dev.pledge.security.password.PasswordValidator;
import dev.pledge.security.password.PasswordsPolicy;
import dev.pledge.security.password.ValidationResult;
import dev.pledge.security.totp.ReplayGuard;
import dev.pledge.security.totp.Totp;
import dev.pledge.security.totp.TotpConfig;
import dev.pledge.security.totp.TotpSecret;
import java.time.Clock;

/** security: check passwords against the policy, hash with bcrypt, and verify a TOTP code once. */
public final class PasswordExample {
  private PasswordExample() {}

  public static void main(String[] args) {
    PasswordRules policy = PasswordRules.from(Bundled.policy().require(PasswordsPolicy.class));
    PasswordValidator validator = PasswordValidator.create(policy);
    for (String candidate : new String[] {"ada1990", "Copper-Kettle-7-Sings"}) {
      ValidationResult r = validator.validate(candidate, PasswordContext.of("ada"));
      System.out.println(candidate.length() + " characters: valid " + r.valid() + " " + r.violations().stream()
          .map(v -> v.code().name()).toList());
    }

    PasswordHasher hasher = PasswordHasher.bcrypt(policy.hashing().cost());
    String hash = hasher.hash("Copper-Kettle-7-Sings");
    System.out.println("bcrypt hash " + hash.substring(0, 7) + "...; verifies " + hasher.verify("Copper-Kettle-7-Sings", hash)
        + ", near miss " + hasher.verify("Copper-Kettle-7-Sing", hash));

    Totp totp = Totp.builder(TotpConfig.defaults()).replayGuard(ReplayGuard.inMemory()).clock(Clock.systemUTC()).build();
    TotpSecret secret = TotpSecret.generate();
    String code = totp.code(secret);
    System.out.println("TOTP code accepted " + totp.verify("ada", secret, code) + ", replay accepted "
        + totp.verify("ada", secret, code));
  }
}
