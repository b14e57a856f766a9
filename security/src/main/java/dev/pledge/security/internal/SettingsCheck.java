package dev.pledge.security.internal;

import dev.pledge.core.evidence.CheckContext;
import dev.pledge.core.evidence.Evidence;
import dev.pledge.core.evidence.Judgement;
import dev.pledge.core.evidence.PromiseCheck;
import dev.pledge.core.time.Durations;
import dev.pledge.core.time.ManualTicker;
import dev.pledge.security.password.PasswordContext;
import dev.pledge.security.password.PasswordHasher;
import dev.pledge.security.password.PasswordRules;
import dev.pledge.security.password.PasswordValidator;
import dev.pledge.security.password.PasswordsPolicy;
import dev.pledge.security.password.ValidationResult;
import dev.pledge.security.ratelimit.KeyedRateLimiter;
import dev.pledge.security.ratelimit.RateLimitsPolicy;
import dev.pledge.security.totp.TwoFactorPolicy;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Judges the password, two-factor and rate-limit settings in force (P13, P23-P26) by binding the
 * components exactly as a host application does ({@code Component.from(section)}) and exercising
 * them: a weak password must be refused and a strong one accepted, a stored hash must be bcrypt and
 * verify, rotation must be 30 days or less, two-factor must be required, and the API limiter must
 * refuse a burst. Stateless and thread-safe.
 */
public final class SettingsCheck implements PromiseCheck {
  private static final String WEAK = "monkey123";
  private static final String STRONG = "Copper-Kettle-7-Sings";

  @Override
  public String name() {
    return "security.settings";
  }

  @Override
  public List<Integer> promises() {
    return List.of(13, 23, 24, 25, 26);
  }

  @Override
  public List<Judgement> judge(CheckContext ctx) {
    Optional<PasswordsPolicy> passwords = ctx.policy().section(PasswordsPolicy.class);
    Judgement p23;
    Judgement p24;
    Judgement p25;
    if (passwords.isEmpty()) {
      p23 = Judgement.noEvidence(23, "the policy has no passwords section");
      p24 = Judgement.noEvidence(24, "the policy has no passwords section");
      p25 = Judgement.noEvidence(25, "the policy has no passwords section");
    } else {
      PasswordRules policy = PasswordRules.from(passwords.get());
      PasswordValidator validator = PasswordValidator.create(policy);
      ValidationResult weak = validator.validate(WEAK, PasswordContext.of("auditor"));
      ValidationResult strong = validator.validate(STRONG, PasswordContext.of("auditor"));
      p24 = Judgement.judged(24, !weak.valid() && strong.valid() && policy.minLength() >= 12 && policy.required().size() >= 4,
          "passwords need " + policy.minLength() + "+ characters and " + policy.required().size() + " character classes",
          "the password rules in force are weaker than 12 characters with 4 classes",
          List.of(Evidence.of("minimum length", policy.minLength()),
              Evidence.of("required classes", policy.required().stream().map(c -> c.name().toLowerCase(java.util.Locale.ROOT))
                  .collect(Collectors.joining(", "))),
              Evidence.of("'" + WEAK + "'", weak.valid() ? "accepted" : "refused: " + weak.violations().stream()
                  .map(v -> v.code().name()).collect(Collectors.joining(", "))),
              Evidence.of("a 21-character four-class passphrase", strong.valid() ? "accepted" : "refused")));
      PasswordHasher hasher = PasswordHasher.from(policy.hashing(), null);
      String hash = hasher.hash(STRONG);
      boolean bcrypt = hash.startsWith("$2") && hasher.verify(STRONG, hash) && !hasher.verify(STRONG + "!", hash);
      p23 = Judgement.judged(23, bcrypt, "the hasher in force stores bcrypt hashes (" + hash.substring(0, 7) + "...)",
          "the hasher in force does not store bcrypt hashes", List.of(Evidence.of("algorithm", policy.hashing().algorithm()),
              Evidence.of("hash prefix", hash.substring(0, Math.min(7, hash.length())))));
      boolean rotates = !policy.rotation().isZero() && policy.rotation().compareTo(java.time.Duration.ofDays(30)) <= 0;
      p25 = Judgement.judged(25, rotates, "passwords expire after " + Durations.format(policy.rotation()),
          "no rotation of 30 days or less is in force", List.of(Evidence.of("rotation",
              policy.rotation().isZero() ? "none" : Durations.format(policy.rotation()))));
    }
    Optional<TwoFactorPolicy> twoFactor = ctx.policy().section(TwoFactorPolicy.class);
    Judgement p26 = twoFactor.isEmpty() ? Judgement.noEvidence(26, "the policy has no twoFactor section")
        : Judgement.judged(26, Boolean.TRUE.equals(twoFactor.get().required()),
            "two-factor authentication is required with the password",
            "two-factor authentication is not required", List.of(Evidence.of("required", twoFactor.get().required()),
                Evidence.of("codes", twoFactor.get().totpConfig().digits() + " digits every "
                    + Durations.format(twoFactor.get().totpConfig().period()))));
    Optional<RateLimitsPolicy> limits = ctx.policy().section(RateLimitsPolicy.class);
    Judgement p13;
    if (limits.isEmpty() || !limits.get().limits().containsKey("api")) {
      p13 = Judgement.noEvidence(13, "the policy has no rate limit named api");
    } else {
      KeyedRateLimiter<String> api = KeyedRateLimiter.<String>builder("api").limits(limits.get().limit("api"))
          .ticker(ManualTicker.create()).clock(ctx.clock()).build();
      int allowed = 0;
      for (int i = 0; i < 10_000 && api.tryAcquire("one-client"); i++) {
        allowed++;
      }
      boolean other = api.tryAcquire("another-client");
      p13 = Judgement.judged(13, allowed < 10_000 && other,
          "the API limiter in force serves a burst of " + allowed + " calls from one client, then refuses",
          "the API limiter in force did not refuse a burst of 10000 calls",
          List.of(Evidence.of("limits", limits.get().limit("api").stream()
                  .map(l -> l.permits() + " per " + Durations.format(l.per()) + ", bursts of " + l.burst())
                  .collect(Collectors.joining("; "))),
              Evidence.of("calls allowed at once from one client", allowed),
              Evidence.of("another client served", other)));
    }
    return List.of(p13, p23, p24, p25, p26);
  }
}
