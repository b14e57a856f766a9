package dev.pledge.spring.password;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pledge.security.password.HashAlgorithm;
import dev.pledge.security.password.PasswordHasher;
import org.junit.jupiter.api.Test;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.crypto.password.DelegatingPasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;

class PledgePasswordEncoderTest {
  private static final String PASSWORD = "Correct-Horse-7-Battery";
  private final PasswordHasher hasher = PasswordHasher.bcrypt(5);
  private final PledgePasswordEncoder pledge = PledgePasswordEncoder.of(hasher);
  private final BCryptPasswordEncoder spring = new BCryptPasswordEncoder(4);

  @Test
  void springsBcryptVerifiesPledgesHashesAndPledgeVerifiesSprings() {
    String byPledge = pledge.encode(PASSWORD);
    String bySpring = spring.encode(PASSWORD);

    assertThat(byPledge).startsWith("$2b$05$");
    assertThat(bySpring).startsWith("$2a$04$");
    assertThat(spring.matches(PASSWORD, byPledge)).isTrue();
    assertThat(spring.matches(PASSWORD + "!", byPledge)).isFalse();
    assertThat(pledge.matches(PASSWORD, bySpring)).isTrue();
    assertThat(pledge.matches(PASSWORD + "!", bySpring)).isFalse();
  }

  @Test
  void inADelegatingEncoderHashesCarryTheBcryptIdAndSpringsDelegatingEncoderReadsThem() {
    DelegatingPasswordEncoder ours = PledgePasswordEncoder.delegating(hasher, HashAlgorithm.BCRYPT);
    PasswordEncoder springs = new DelegatingPasswordEncoder("bcrypt", java.util.Map.of("bcrypt", spring));

    String stored = ours.encode(PASSWORD);

    assertThat(stored).startsWith("{bcrypt}$2b$05$");
    assertThat(ours.matches(PASSWORD, stored)).isTrue();
    assertThat(springs.matches(PASSWORD, stored)).isTrue();
    assertThat(ours.matches(PASSWORD, springs.encode(PASSWORD))).isTrue();
    assertThat(ours.matches("wrong", stored)).isFalse();
  }

  @Test
  void upgradeEncodingFollowsNeedsRehashAndTheEncodingId() {
    DelegatingPasswordEncoder ours = PledgePasswordEncoder.delegating(hasher, HashAlgorithm.BCRYPT);
    String weaker = "{bcrypt}" + spring.encode(PASSWORD);          // cost 4 < the policy's 5
    String sameCost = ours.encode(PASSWORD);
    String bare = pledge.encode(PASSWORD);                         // stored before the ids were used

    assertThat(ours.upgradeEncoding(weaker)).isTrue();
    assertThat(ours.upgradeEncoding(sameCost)).isFalse();
    assertThat(ours.matches(PASSWORD, bare)).isTrue();
    assertThat(ours.upgradeEncoding(bare)).isTrue();
    assertThat(pledge.upgradeEncoding(new BCryptPasswordEncoder(6).encode(PASSWORD))).isFalse();
  }

  @Test
  void aMalformedOrMissingHashNeverMatchesAndIsNotEchoed() {
    assertThat(pledge.matches(PASSWORD, "$2b$05$tooShort")).isFalse();
    assertThat(pledge.matches(PASSWORD, null)).isFalse();
    assertThat(pledge.matches(PASSWORD, "")).isFalse();
    assertThat(pledge.upgradeEncoding("not a hash")).isFalse();
  }

  @Test
  void anArgon2PolicyEncodesUnderTheArgon2IdAndStillReadsBcrypt() {
    DelegatingPasswordEncoder argon = PledgePasswordEncoder.delegating(PasswordHasher.argon2id(), HashAlgorithm.ARGON2ID);
    String bcryptStored = "{bcrypt}" + spring.encode(PASSWORD);

    String stored = argon.encode(PASSWORD);

    assertThat(stored).startsWith("{argon2}$argon2id$v=19$");
    assertThat(argon.matches(PASSWORD, stored)).isTrue();
    assertThat(argon.matches(PASSWORD, bcryptStored)).isTrue();
    assertThat(argon.upgradeEncoding(bcryptStored)).isTrue();
    assertThat(argon.upgradeEncoding(stored)).isFalse();
  }
}
