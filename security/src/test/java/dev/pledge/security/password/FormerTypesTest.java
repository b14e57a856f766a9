package dev.pledge.security.password;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pledge.core.policy.PolicyDocument;
import dev.pledge.core.policy.PolicyLoader;
import dev.pledge.security.totp.LoginGate;
import dev.pledge.security.totp.Totp;
import dev.pledge.security.totp.TwoFactorPolicy;
import dev.pledge.security.totp.TwoFactorSection;
import java.io.InputStream;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The types of 0.1.x ({@code PasswordsSection}, {@code TwoFactorSection}, {@code PasswordPolicy}) are
 * deprecated, not broken: a loaded document still answers them, they convert to and from the types
 * that replace them, and the components' overloads that take them bind the same way.
 */
@SuppressWarnings("removal") // exercises the deprecated types on purpose
class FormerTypesTest {

  private static PolicyDocument load(String name) throws Exception {
    try (InputStream in = FormerTypesTest.class.getResourceAsStream("/policies/passwords/" + name)) {
      return PolicyLoader.create().load(name, in);
    }
  }

  @Test
  void aLoadedDocumentStillAnswersTheFormerSectionTypes() throws Exception {
    PolicyDocument doc = load("good-nist.yaml");
    PasswordsPolicy passwords = doc.require(PasswordsPolicy.class);
    TwoFactorPolicy twoFactor = load("good-document.yaml").require(TwoFactorPolicy.class);

    PasswordsSection former = doc.require(PasswordsSection.class);
    assertThat(former.toPolicy()).isEqualTo(passwords);
    assertThat(former).isEqualTo(PasswordsSection.of(passwords));
    assertThat(former.breachCheck().timeout()).isEqualTo(Duration.ofMillis(500));
    assertThat(former.hashing().toPolicy()).isEqualTo(passwords.hashing());
    TwoFactorSection formerTwoFactor = load("good-document.yaml").require(TwoFactorSection.class);
    assertThat(formerTwoFactor.toPolicy()).isEqualTo(twoFactor);
    assertThat(formerTwoFactor.issuer()).isEqualTo("Zaltek");
    assertThat(doc.section("passwords")).containsInstanceOf(PasswordsPolicy.class);
  }

  @Test
  void theFormerTypesFillTheSameDefaultsAndRefuseTheSameValues() {
    PasswordsSection defaults = new PasswordsSection(null, null, null, null, null, null, null, null, null, null,
        null, null, null, null, null);
    assertThat(defaults.toPolicy()).isEqualTo(new PasswordsPolicy(null, null, null, null, null, null, null, null,
        null, null, null, null, null, null, null));
    assertThat(defaults.minLength()).isEqualTo(12);
    assertThat(defaults.hashing().cost()).isEqualTo(12);
    assertThatThrownBy(() -> new PasswordsSection.Hashing(null, 3, null))
        .hasMessage("cost must be between 4 and 31, got 3");
    assertThatThrownBy(() -> new PasswordsSection(null, 20, 16, null, null, null, null, null, null, null, null, null,
        null, null, null)).hasMessage("maxLength (16) must be at least minLength (20)");
    assertThatThrownBy(() -> new TwoFactorSection(null, null, 5, null, null, null, null))
        .hasMessageContaining("digits must be 6, 7 or 8, got 5");
    TwoFactorSection twoFactor = new TwoFactorSection(null, null, null, null, null, null, "Zaltek",
        "redis://:hunter2@10.0.0.5:6379");
    assertThat(twoFactor.digits()).isEqualTo(6);
    assertThat(twoFactor.toString()).startsWith("TwoFactorSection[").doesNotContain("hunter2");
  }

  @Test
  void theFormerRulesTypeWrapsPasswordRules() {
    PasswordPolicy former = PasswordPolicy.builder(PasswordProfile.NIST_800_63B).minLength(16)
        .hashing(new PasswordsSection.Hashing(null, 10, null)).build();
    PasswordRules rules = PasswordRules.builder(PasswordProfile.NIST_800_63B).minLength(16)
        .hashing(new PasswordsPolicy.Hashing(null, 10, null)).build();

    assertThat(former.toRules()).isEqualTo(rules);
    assertThat(former.toBuilder().build()).isEqualTo(former);
    assertThat(former.hashing().cost()).isEqualTo(10);
    assertThat(former.toString()).isEqualTo("PasswordPolicy" + rules.toString().substring("PasswordRules".length()));
    assertThat(PasswordPolicy.document().toRules()).isEqualTo(PasswordRules.document());
    assertThat(PasswordPolicy.document().nistWarnings("passwords")).isEqualTo(PasswordRules.document().nistWarnings("passwords"));
    assertThat(PasswordPolicy.HARD_CAP).isEqualTo(PasswordRules.HARD_CAP);
    assertThatThrownBy(() -> PasswordPolicy.builder(PasswordProfile.DOCUMENT).maxRepeat(1))
        .hasMessageContaining("maxRepeat");
  }

  @Test
  void theComponentsStillBindFromTheFormerTypes() throws Exception {
    PolicyDocument doc = load("good-document.yaml");
    PasswordsSection passwords = doc.require(PasswordsSection.class);

    PasswordValidator validator = PasswordValidator.from(passwords);
    assertThat(validator.rules()).isEqualTo(PasswordRules.from(doc.require(PasswordsPolicy.class)));
    assertThat(validator.policy().toRules()).isEqualTo(validator.rules());
    assertThat(validator.validate("monkey123", PasswordContext.of("ada")).valid()).isFalse();
    assertThat(PasswordValidator.create(PasswordPolicy.from(passwords)).validate("Copper-Kettle-7-Sings",
        PasswordContext.of("ada")).valid()).isTrue();
    assertThat(PasswordValidator.builder(PasswordPolicy.document()).build().rules()).isEqualTo(PasswordRules.document());
    assertThat(PasswordHasher.from(passwords.hashing(), null).hash("Copper-Kettle-7-Sings")).startsWith("$2b$12$");
    assertThat(PasswordRotation.from(passwords).toBuilder()).isNotNull();
    assertThat(PwnedPasswords.builder(passwords.breachCheck()).build().circuitState()).isEqualTo("CLOSED");
    TwoFactorSection twoFactor = doc.require(TwoFactorSection.class);
    assertThat(LoginGate.from(twoFactor).decide(true, false, false)).isEqualTo(LoginGate.Decision.ENROLMENT_REQUIRED);
    assertThat(Totp.builder(twoFactor).build()).isNotNull();
  }
}
