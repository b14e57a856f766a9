package dev.pledge.examples.tour;

import dev.pledge.security.password.PasswordContext;
import dev.pledge.security.password.PasswordHasher;
import dev.pledge.security.password.PasswordRules;
import dev.pledge.security.password.PasswordValidator;
import dev.pledge.security.password.PasswordsPolicy;
import dev.pledge.security.password.ValidationResult;
import dev.pledge.security.password.Violation;
import dev.pledge.security.totp.ReplayGuard;
import dev.pledge.security.totp.Totp;
import dev.pledge.security.totp.TotpConfig;
import dev.pledge.security.totp.TotpSecret;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Passwords against the policy, a bcrypt hash, and a TOTP enrolment with replay refused (P23-P26). */
final class PasswordStep implements TourStep {

  @Override
  public List<Integer> promises() {
    return List.of(23, 24, 25, 26);
  }

  @Override
  public String tag() {
    return "passwords";
  }

  @Override
  public void run(TourContext ctx) {
    PasswordRules policy = PasswordRules.from(ctx.policy().require(PasswordsPolicy.class));
    PasswordValidator validator = PasswordValidator.create(policy);
    ValidationResult weak = validator.validate("monkey123", PasswordContext.of("ada"));
    ValidationResult strong = validator.validate("Copper-Kettle-7-Sings", PasswordContext.of("ada"));
    ctx.say(tag(), "'monkey123' refused: " + weak.violations().stream().map(v -> v.code().name())
        .collect(Collectors.joining(", ")) + "; a 21-character four-class passphrase accepted: " + strong.valid()
        + " (P24)");

    PasswordHasher hasher = PasswordHasher.bcrypt(policy.hashing().cost());
    String hash = hasher.hash("Copper-Kettle-7-Sings");
    boolean verifies = hasher.verify("Copper-Kettle-7-Sings", hash) && !hasher.verify("Copper-Kettle-7-Sing", hash);
    ctx.say(tag(), "stored as " + hash.substring(0, 7) + "... (bcrypt, cost " + policy.hashing().cost()
        + "); the right password verifies, a near miss does not: " + verifies + " (P23)");

    Totp totp = Totp.builder(TotpConfig.defaults()).replayGuard(ReplayGuard.inMemory()).clock(ctx.clock()).build();
    TotpSecret secret = TotpSecret.generate();
    String code = totp.code(secret);
    boolean accepted = totp.verify("ada", secret, code);
    boolean replayRefused = !totp.verify("ada", secret, code);
    ctx.say(tag(), "TOTP enrolment: code accepted " + accepted + ", the same code refused on replay "
        + replayRefused + "; passwords rotate every " + policy.rotation().toDays() + " days (P25, P26)");

    Map<String, String> ev24 = new LinkedHashMap<>();
    ev24.put("minLength", String.valueOf(policy.minLength()));
    ev24.put("required classes", String.valueOf(policy.required()));
    ev24.put("weak password violations", weak.violations().stream().map(Violation::code).map(Enum::name)
        .collect(Collectors.joining(", ")));
    ctx.report().judged(24, !weak.valid() && strong.valid() && policy.minLength() >= 12 && policy.required().size() >= 4,
        "12+ characters and four classes enforced", "the policy in force is weaker than P24", ev24);
    ctx.report().judged(23, verifies && hash.startsWith("$2"), "passwords stored as bcrypt hashes",
        "passwords are not stored as bcrypt", Map.of("hash prefix", hash.substring(0, 7)));
    ctx.report().judged(25, !policy.rotation().isZero() && policy.rotation().toDays() <= 30,
        "rotation every " + policy.rotation().toDays() + " days", "no 30-day rotation in force",
        Map.of("rotation", policy.rotation().toString()));
    ctx.report().judged(26, accepted && replayRefused, "TOTP second factor; a replayed code is refused",
        "the second factor did not hold", Map.of("algorithm", TotpConfig.defaults().algorithm().name(),
            "replay", replayRefused ? "refused" : "accepted"));
  }
}
