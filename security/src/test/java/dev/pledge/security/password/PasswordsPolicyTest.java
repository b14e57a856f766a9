package dev.pledge.security.password;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pledge.core.policy.PolicyDocument;
import dev.pledge.core.policy.PolicyException;
import dev.pledge.core.policy.PolicyLoader;
import dev.pledge.core.policy.PolicyWarning;
import dev.pledge.security.totp.TotpAlgorithm;
import dev.pledge.security.totp.TwoFactorPolicy;
import java.io.InputStream;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PasswordsPolicyTest {
  private final PolicyLoader loader = PolicyLoader.create();

  private PolicyDocument load(String name) throws Exception {
    try (InputStream in = getClass().getResourceAsStream("/policies/passwords/" + name)) {
      return loader.load(name, in);
    }
  }

  @Test
  void theDocumentProfileBindsWithNistWarningsNotErrors() throws Exception {
    PolicyDocument doc = load("good-document.yaml");
    PasswordsPolicy s = doc.require(PasswordsPolicy.class);
    PasswordRules p = PasswordRules.from(s);
    assertThat(p.minLength()).isEqualTo(12);
    assertThat(p.required()).containsExactlyInAnyOrder(CharacterClass.values());
    assertThat(p.rotation()).isEqualTo(Duration.ofDays(30));
    assertThat(s.hashing().cost()).isEqualTo(12);
    assertThat(doc.warnings()).extracting(PolicyWarning::rule)
        .containsExactly("nist-800-63b/composition", "nist-800-63b/rotation");
    assertThat(doc.warnings()).extracting(PolicyWarning::path).containsExactly("passwords.require", "passwords.rotation");
    TwoFactorPolicy tf = doc.require(TwoFactorPolicy.class);
    assertThat(tf.required()).isTrue();
    assertThat(tf.algorithm()).isEqualTo(TotpAlgorithm.SHA1);
    assertThat(tf.totpConfig().period()).isEqualTo(Duration.ofSeconds(30));
    assertThat(tf.issuer()).isEqualTo("Zaltek");
  }

  @Test
  void theNistProfileFillsLengthFirstDefaultsAndLoadsWithoutWarnings() throws Exception {
    PolicyDocument doc = load("good-nist.yaml");
    PasswordsPolicy s = doc.require(PasswordsPolicy.class);
    assertThat(s.minLength()).isEqualTo(15);
    assertThat(s.require()).isEmpty();
    assertThat(s.rotation()).isZero();
    assertThat(s.blocklist()).isTrue();
    assertThat(s.breachCheck().enabled()).isTrue();
    assertThat(s.breachCheck().failOpen()).isTrue();
    assertThat(s.breachCheck().timeout()).isEqualTo(Duration.ofMillis(500));
    assertThat(doc.warnings()).isEmpty();
  }

  @Test
  void theEffectivePolicyPrintsAndLoadsAgain() throws Exception {
    PolicyDocument doc = load("good-document.yaml");
    String yaml = doc.toYaml();
    assertThat(yaml).contains("profile: document").contains("rotation: 30d").contains("maxLength: 128");
    assertThat(loader.load("effective.yaml", yaml).require(PasswordsPolicy.class))
        .isEqualTo(doc.require(PasswordsPolicy.class));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "bad-profile.yaml|passwords|profile 'nist' is unknown; use one of document, nist-800-63b",
      "bad-max-below-min.yaml|passwords|maxLength (8) must be at least minLength (12)",
      "bad-cost.yaml|passwords.hashing|cost must be between 4 and 31, got 3",
      "bad-class.yaml|passwords.require[1]|UPPER, LOWER, DIGIT, SYMBOL",
      "bad-rotation.yaml|passwords.rotation|needs a unit",
      "bad-unknown-key.yaml|passwords.minLenght|did you mean 'minLength'?",
      "bad-digits.yaml|twoFactor|digits must be 6, 7 or 8, got 5",
      "bad-algorithm.yaml|twoFactor.algorithm|SHA1, SHA256, SHA512",
  })
  void malformedSectionsFailNamingLineAndKeyPath(String file, String path, String problem) {
    assertThatThrownBy(() -> load(file)).isInstanceOf(PolicyException.class).satisfies(t -> {
      PolicyException e = (PolicyException) t;
      assertThat(e.line()).as(e.getMessage()).isGreaterThanOrEqualTo(2);
      assertThat(e.path()).as(e.getMessage()).isEqualTo(path);
      assertThat(e.problem()).as(e.getMessage()).contains(problem);
      assertThat(e.getMessage()).startsWith(file + ":");
    });
  }
}
