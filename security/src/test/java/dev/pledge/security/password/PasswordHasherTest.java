package dev.pledge.security.password;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import at.favre.lib.crypto.bcrypt.BCrypt;
import dev.pledge.core.Secret;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PasswordHasherTest {
  private final PasswordHasher bcrypt = PasswordHasher.bcrypt(4);
  private final Secret pepper = Secret.ofUtf8("0123456789abcdef0123456789abcdef-pepper");

  @Test
  void hashesAreModularCryptBcryptThatVerify() {
    String h = bcrypt.hash("correct horse");
    assertThat(h).startsWith("$2b$04$").hasSize(60);
    assertThat(bcrypt.verify("correct horse", h)).isTrue();
    assertThat(bcrypt.verify("correct horsf", h)).isFalse();
    assertThat(bcrypt.hash("correct horse")).isNotEqualTo(h);
  }

  @ParameterizedTest
  @ValueSource(strings = {"2A", "2Y", "2B"})
  void acceptsHashesMadeByOtherToolsInEveryBcryptVariant(String version) {
    BCrypt.Version v = switch (version) {
      case "2A" -> BCrypt.Version.VERSION_2A;
      case "2Y" -> BCrypt.Version.VERSION_2Y;
      default -> BCrypt.Version.VERSION_2B;
    };
    String h = new String(BCrypt.with(v).hash(5, "s3cret".getBytes(StandardCharsets.UTF_8)), StandardCharsets.US_ASCII);
    assertThat(h).startsWith("$" + version.toLowerCase() + "$05$");
    assertThat(bcrypt.verify("s3cret", h)).isTrue();
    assertThat(bcrypt.verify("s3cre", h)).isFalse();
  }

  @Test
  void verifiesAPhpPasswordHashVector() {
    // PHP's password_hash documentation example: "rasmuslerdorf" at cost 10
    assertThat(PasswordHasher.bcrypt(10).verify("rasmuslerdorf",
        "$2y$10$.vGA1O9wmRjrwAVXD98HNOgsNpDczlqm3Jq7KnEd1rVAGv3Fykk1a")).isTrue();
  }

  @Test
  void neverTruncatesPasswordsLongerThan72Bytes() {
    String shared = "x".repeat(72);
    String a = shared + "A";
    String b = shared + "B";
    assertThatThrownBy(() -> bcrypt.hash(a)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("73 UTF-8 bytes").hasMessageNotContaining("xxxx");
    // a hash of the 72-byte prefix does not verify a longer password sharing it
    assertThat(bcrypt.verify(a, bcrypt.hash(shared))).isFalse();

    PasswordHasher prehash = PasswordHasher.bcryptWithPrehash(4, pepper);
    String ha = prehash.hash(a);
    String hb = prehash.hash(b);
    assertThat(prehash.verify(a, ha)).isTrue();
    assertThat(prehash.verify(b, hb)).isTrue();
    assertThat(prehash.verify(b, ha)).isFalse();
    assertThat(prehash.verify(a, hb)).isFalse();
    assertThat(prehash.verify(shared, ha)).isFalse();
    // passwords of at most 72 bytes hash as they are: a plain bcrypt hash still verifies
    assertThat(prehash.verify(shared, bcrypt.hash(shared))).isTrue();
  }

  @Test
  void prehashNeedsAPepper() {
    assertThatThrownBy(() -> PasswordHasher.bcryptWithPrehash(4, Secret.ofUtf8("short")))
        .hasMessage("longPasswords PREHASH needs a pepper of at least 32 bytes, got 5 bytes");
  }

  @Test
  void needsRehashWhenCostOrAlgorithmIsBelowPolicy() {
    String low = bcrypt.hash("pw");
    assertThat(PasswordHasher.bcrypt(5).needsRehash(low)).isTrue();
    assertThat(bcrypt.needsRehash(low)).isFalse();
    assertThat(PasswordHasher.argon2id().needsRehash(low)).isTrue();
  }

  @Test
  void argon2idHashesInPhcFormatAndVerifiesAcrossHashers() {
    PasswordHasher argon = PasswordHasher.argon2id();
    String h = argon.hash("correct horse");
    assertThat(h).startsWith("$argon2id$v=19$m=19456,t=2,p=1$");
    assertThat(argon.verify("correct horse", h)).isTrue();
    assertThat(argon.verify("correct horsf", h)).isFalse();
    assertThat(bcrypt.verify("correct horse", h)).isTrue();
    assertThat(bcrypt.needsRehash(h)).isTrue();
    assertThat(argon.needsRehash(h)).isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "plain", "$2b$04$short", "$2b$99$abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ01234",
      "$2c$04$abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ01234", "$argon2i$v=19$m=16,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA",
      "$argon2id$v=19$m=999999999,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaGhhc2g",
      "{bcrypt}$2a$04$abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ01234",
      // stored parameters past the bounds: a forged hash must not make a login take minutes or GiBs
      "$2b$31$abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ01234",
      "$2b$17$abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ01234",
      "$argon2id$v=19$m=4194304,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaGhhc2g",
      "$argon2id$v=19$m=19456,t=100,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaGhhc2g",
      "$argon2id$v=19$m=19456,t=2,p=64$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaGhhc2g"})
  void malformedOrUnboundedHashesMatchNothingAndTheProblemIsNamed(String hash) {
    // a stored hash is data: verify answers false, never throws (issue 19)
    assertThat(bcrypt.verify("pw", hash)).isFalse();
    assertThat(PasswordHasher.argon2id().verify("pw", hash)).isFalse();
    assertThat(PasswordHasher.problemWith(hash)).get().asString()
        .containsAnyOf("hash", "argon2id").doesNotContain("abcdefghij").doesNotContain("c2FsdHNhbHQ");
  }

  @Test
  void aBcryptHashWithABadSaltAlphabetMatchesNothing() {
    String good = bcrypt.hash("pw");
    assertThat(PasswordHasher.problemWith(good)).isEmpty();
    // same shape, but a salt the bcrypt base64 alphabet decodes to bits it cannot hold
    String odd = good.substring(0, 7) + "zzzzzzzzzzzzzzzzzzzzzz" + good.substring(29);
    assertThat(bcrypt.verify("pw", odd)).isFalse();
  }

  @Test
  void badPasswordsAreIllegalArguments() {
    assertThatThrownBy(() -> bcrypt.hash(null)).hasMessage("password must not be null");
    assertThatThrownBy(() -> bcrypt.hash("ab\uDC00")).hasMessage("password contains an unpaired surrogate at index 2");
    assertThatThrownBy(() -> bcrypt.hash("a".repeat(1 << 20))).hasMessage("password is longer than 4096 characters (1048576)");
  }

  @Test
  void dummyVerificationAlwaysFailsAndNeverThrows() {
    assertThat(bcrypt.verifyDummy("anything")).isFalse();
    assertThat(bcrypt.verifyDummy("ab\uDC00")).isFalse();
    assertThat(bcrypt.toString()).doesNotContain("pepper");
  }

  @Test
  void hashingFollowsThePolicySection() {
    PasswordHasher h = PasswordHasher.from(new PasswordsPolicy.Hashing(HashAlgorithm.BCRYPT, 5, null), null);
    assertThat(h.hash("pw")).startsWith("$2b$05$");
  }
}
