package dev.pledge.security.totp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pledge.core.time.MutableClock;
import dev.pledge.security.password.PasswordHasher;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class TotpTest {
  // RFC 6238 Appendix B: the seeds are ASCII "12345678901234567890" repeated to the hash's size
  private static final TotpSecret SHA1 = TotpSecret.of("12345678901234567890".getBytes(StandardCharsets.US_ASCII));
  private static final TotpSecret SHA256 = TotpSecret.of("12345678901234567890123456789012".getBytes(StandardCharsets.US_ASCII));
  private static final TotpSecret SHA512 = TotpSecret.of(
      "1234567890123456789012345678901234567890123456789012345678901234".getBytes(StandardCharsets.US_ASCII));

  private final MutableClock clock = MutableClock.at(Instant.parse("2026-11-01T06:30:00Z"));

  @ParameterizedTest(name = "{0} at {1}")
  @CsvSource({
      "SHA1, 59, 94287082", "SHA256, 59, 46119246", "SHA512, 59, 90693936",
      "SHA1, 1111111109, 07081804", "SHA256, 1111111109, 68084774", "SHA512, 1111111109, 25091201",
      "SHA1, 1111111111, 14050471", "SHA256, 1111111111, 67062674", "SHA512, 1111111111, 99943326",
      "SHA1, 1234567890, 89005924", "SHA256, 1234567890, 91819424", "SHA512, 1234567890, 93441116",
      "SHA1, 2000000000, 69279037", "SHA256, 2000000000, 90698825", "SHA512, 2000000000, 38618901",
      "SHA1, 20000000000, 65353130", "SHA256, 20000000000, 77737706", "SHA512, 20000000000, 47863826",
  })
  void everyRfc6238AppendixBVector(TotpAlgorithm algorithm, long seconds, String expected) {
    TotpSecret secret = switch (algorithm) {
      case SHA1 -> SHA1;
      case SHA256 -> SHA256;
      case SHA512 -> SHA512;
    };
    Totp totp = Totp.builder(TotpConfig.defaults().withAlgorithm(algorithm).withDigits(8)).replayGuard(ReplayGuard.inMemory())
        .clock(clock).build();
    Instant at = Instant.ofEpochSecond(seconds);
    assertThat(totp.code(secret, at)).isEqualTo(expected);
    assertThat(totp.verify("ada", secret, expected, at)).isTrue();
  }

  @Test
  void sixDigitCodesAreTheLastSixOfTheDynamicTruncation() {
    Totp totp = Totp.builder(TotpConfig.defaults()).replayGuard(ReplayGuard.inMemory()).clock(clock).build();
    assertThat(totp.code(SHA1, Instant.ofEpochSecond(59))).isEqualTo("287082");
  }

  @Test
  void acceptsOneStepOfSkewEitherSideAndNoMore() {
    Totp totp = Totp.builder(TotpConfig.defaults()).replayGuard(ReplayGuard.inMemory()).clock(clock).build();
    Instant now = clock.instant();
    String previous = totp.code(SHA1, now.minusSeconds(30));
    String next = totp.code(SHA1, now.plusSeconds(30));
    String tooOld = totp.code(SHA1, now.minusSeconds(60));
    assertThat(totp.verify("a", SHA1, tooOld)).isFalse();
    assertThat(totp.verify("b", SHA1, previous)).isTrue();
    assertThat(totp.verify("c", SHA1, next)).isTrue();
  }

  @Test
  void aCodeIsNeverAcceptedTwiceForTheSameAccount() {
    Totp totp = Totp.builder(TotpConfig.defaults()).replayGuard(ReplayGuard.inMemory()).clock(clock).build();
    String code = totp.code(SHA1);
    assertThat(totp.verify("ada", SHA1, code)).isTrue();
    assertThat(totp.verify("ada", SHA1, code)).isFalse();
    clock.advance(Duration.ofSeconds(20)); // still inside the skew window
    assertThat(totp.verify("ada", SHA1, code)).isFalse();
    // another account with the same secret is not affected
    assertThat(totp.verify("bob", SHA1, code)).isTrue();
    clock.advance(Duration.ofSeconds(30));
    assertThat(totp.verify("ada", SHA1, totp.code(SHA1))).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"12345", "1234567", "12a456", "12ab56", "", "\u0661\u0662\u0663\u0664\u0665\u0666"})
  void malformedCodesAreNotAcceptedAndTheProblemIsNamed(String code) {
    Totp totp = Totp.builder(TotpConfig.defaults()).replayGuard(ReplayGuard.inMemory()).clock(clock).build();
    // codes are user input: a malformed one is a refusal, never an exception (issue 19)
    assertThat(totp.verify("ada", SHA1, code)).isFalse();
    assertThat(totp.problemWith(code)).get().asString().startsWith("code must be exactly 6 digits");
    assertThat(totp.verify("ada", SHA1, null)).isFalse();
    assertThat(totp.problemWith(totp.code(SHA1))).isEmpty();
  }

  @Test
  void generatedSecretsAre160BitsOfBase32AndRoundTrip() {
    TotpSecret s = TotpSecret.generate(new SecureRandom());
    assertThat(s.base32()).hasSize(32).matches("[A-Z2-7]+");
    assertThat(TotpSecret.fromBase32(s.base32().toLowerCase())).isEqualTo(s);
    assertThat(s.toString()).doesNotContain(s.base32()).contains("redacted");
    assertThat(TotpSecret.fromBase32("GEZD GNBV GY3T QOJQ GEZD GNBV GY3T QOJQ")).isEqualTo(SHA1);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "GEZDGNBVGY3TQOJ1GEZDGNBV|the character at position 16 is not one of A-Z and 2-7",
      "GEZDGNBVG|9 characters cannot encode whole bytes",
      "GEZDGNBV|needs at least 10 bytes",
      "GE=ZDGNBVGY3TQOJQ|padding '=' may only come at the end",
  })
  void invalidBase32SecretsAreIllegalArgumentsThatDoNotEchoTheSecret(String text, String problem) {
    assertThatThrownBy(() -> TotpSecret.fromBase32(text)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(problem).hasMessageNotContaining(text);
  }

  @Test
  void otpauthUrisCarryIssuerAccountAndParameters() {
    String uri = OtpAuthUri.of(SHA1, "Zaltek Shop", "ada@example.com", TotpConfig.defaults());
    assertThat(uri).isEqualTo("otpauth://totp/Zaltek%20Shop:ada%40example.com?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
        + "&issuer=Zaltek%20Shop&algorithm=SHA1&digits=6&period=30");
    assertThatThrownBy(() -> OtpAuthUri.of(SHA1, "a:b", "x", TotpConfig.defaults())).hasMessageContaining("issuer");
  }

  @Test
  void recoveryCodesAreStoredHashedAndSingleUse() {
    PasswordHasher hasher = PasswordHasher.bcrypt(4);
    RecoveryCodes.Issued issued = RecoveryCodes.generate(3, hasher, new SecureRandom());
    assertThat(issued.codes()).hasSize(3).allMatch(c -> c.matches("[a-z2-9]{5}-[a-z2-9]{5}"));
    assertThat(issued.stored().hashes()).allMatch(h -> h.startsWith("$2b$04$"))
        .noneMatch(h -> issued.codes().stream().anyMatch(h::contains));
    Optional<RecoveryCodes> after = issued.stored().redeem(issued.codes().get(1).toUpperCase(), hasher);
    assertThat(after).isPresent();
    assertThat(after.get().remaining()).isEqualTo(2);
    assertThat(after.get().redeem(issued.codes().get(1), hasher)).isEmpty();
    assertThat(after.get().redeem("nonsense", hasher)).isEmpty();
    assertThat(issued.toString()).doesNotContain(issued.codes().get(0));
  }

  @Test
  void aRequiredSecondFactorCannotBeSkipped() {
    LoginGate gate = LoginGate.from(new TwoFactorPolicy(null, null, null, null, null, null, null));
    assertThat(gate.decide(true, false, false)).isEqualTo(LoginGate.Decision.ENROLMENT_REQUIRED);
    assertThat(gate.decide(true, true, false)).isEqualTo(LoginGate.Decision.SECOND_FACTOR_REQUIRED);
    assertThat(gate.decide(false, true, true)).isEqualTo(LoginGate.Decision.DENIED);
    assertThat(gate.decide(true, true, true)).isEqualTo(LoginGate.Decision.ALLOWED);
    LoginGate optional = LoginGate.requiring(false);
    assertThat(optional.decide(true, false, false)).isEqualTo(LoginGate.Decision.ALLOWED);
    assertThat(optional.decide(true, true, false)).isEqualTo(LoginGate.Decision.SECOND_FACTOR_REQUIRED);
  }

  @Test
  void configValuesAreValidatedNamingTheField() {
    assertThatThrownBy(() -> TotpConfig.defaults().withDigits(5)).hasMessage("digits must be 6, 7 or 8, got 5");
    assertThatThrownBy(() -> TotpConfig.defaults().withPeriod(Duration.ofMillis(1500))).hasMessageStartingWith("period must be whole seconds");
    assertThatThrownBy(() -> TotpConfig.defaults().withSkew(-1)).hasMessage("skew must be between 0 and 10 steps, got -1");
  }
}
