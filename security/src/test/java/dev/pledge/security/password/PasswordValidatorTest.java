package dev.pledge.security.password;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PasswordValidatorTest {
  private final PasswordValidator document = PasswordValidator.create(PasswordRules.document());
  private final PasswordValidator nist = PasswordValidator.create(PasswordRules.nist80063b());

  private static List<ViolationCode> codes(ValidationResult r) {
    return r.violations().stream().map(Violation::code).toList();
  }

  @Test
  void aStrongPasswordPassesTheDocumentPolicy() {
    ValidationResult r = document.validate("Vx9!kTq#r2Lm");
    assertThat(r.valid()).as(r.toString()).isTrue();
  }

  @Test
  void everyViolationIsReportedNotOnlyTheFirst() {
    ValidationResult r = document.validate("aaaaaaa");
    assertThat(codes(r)).containsExactly(ViolationCode.TOO_SHORT, ViolationCode.MISSING_UPPERCASE,
        ViolationCode.MISSING_DIGIT, ViolationCode.MISSING_SYMBOL, ViolationCode.REPEATED_CHARACTERS);
    assertThat(r.violations().get(0)).hasToString("TOO_SHORT{min=12, actual=7}");
    assertThat(r.violations().get(0).parameters()).isEqualTo(Map.of("min", 12, "actual", 7));
  }

  @Test
  void messagesComeFromTheBundleWithParametersAndNeverThePassword() {
    String secret = "hunter2";
    ValidationResult r = document.validate(secret, PasswordContext.of("ada"));
    assertThat(r.violations()).isNotEmpty().allSatisfy(v -> {
      assertThat(v.message()).doesNotContain(secret).doesNotContain("hunter").doesNotStartWith(v.code().name());
      assertThat(v.toString()).doesNotContain(secret);
    });
    assertThat(r.violations().get(0).message(Locale.ENGLISH))
        .isEqualTo("The password must have at least 12 characters; it has 7.");
    assertThat(r.toString()).doesNotContain(secret);
  }

  @Test
  void lengthCountsCodePointsAfterNfkc() {
    // 12 emoji are 24 UTF-16 units but 12 characters
    String emoji = "\uD83D\uDE00".repeat(6) + "\uD83D\uDE01".repeat(6);
    ValidationResult r = PasswordValidator.create(PasswordRules.builder(PasswordProfile.NIST_800_63B)
        .minLength(12).maxLength(12).maxRepeat(0).build()).validate(emoji);
    assertThat(codes(r)).doesNotContain(ViolationCode.TOO_SHORT, ViolationCode.TOO_LONG);
    // the ligature U+FB01 becomes "fi" under NFKC: 11 code points typed, 12 after normalization
    String lig = "Aﬁ9!kTq#r2L";
    assertThat(lig.codePointCount(0, lig.length())).isEqualTo(11);
    assertThat(codes(document.validate(lig))).doesNotContain(ViolationCode.TOO_SHORT);
  }

  @Test
  void characterClassesFollowUnicodeUnlessAsciiOnly() {
    String p = "Éxyz٣wqmkp!r"; // É upper-case, Arabic-Indic digit three
    assertThat(document.validate(p).valid()).as(document.validate(p).toString()).isTrue();
    PasswordValidator ascii = PasswordValidator.create(PasswordRules.document().toBuilder()
        .characterSet(CharacterSet.ASCII).build());
    assertThat(codes(ascii.validate(p))).containsExactly(ViolationCode.MISSING_UPPERCASE, ViolationCode.MISSING_DIGIT);
  }

  @Test
  void inputBeyondTheHardCapIsRejectedAloneAndCheaply() {
    String huge = "a".repeat(1024 * 1024);
    ValidationResult r = document.validate(huge);
    assertThat(r.violations()).singleElement().hasToString("EXCEEDS_HARD_CAP{cap=4096, actual=1048576}");
  }

  @Test
  void nullIsAnIllegalArgumentAndEmptyIsTooShort() {
    assertThatThrownBy(() -> document.validate(null)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("password must not be null");
    assertThat(codes(document.validate(""))).startsWith(ViolationCode.TOO_SHORT);
  }

  @Test
  void loneSurrogatesAndControlCharactersAreIllegal() {
    ValidationResult r = document.validate("Vx9!kTq#r2Lm\uD800\u0007\n");
    assertThat(r.violations()).filteredOn(v -> v.code() == ViolationCode.ILLEGAL_CHARACTER)
        .extracting(Violation::toString)
        .containsExactly("ILLEGAL_CHARACTER{kind=unpaired surrogate, count=1}",
            "ILLEGAL_CHARACTER{kind=control character, count=2}");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
      "password, COMMON_PASSWORD",
      "Password1!, COMMON_PASSWORD",
      "!!Dragon2024, COMMON_PASSWORD",
      "trustno1, COMMON_PASSWORD",
      "xaaaax, REPEATED_CHARACTERS",
      "x1234x, SEQUENCE",
      "xqwertyx, SEQUENCE",
      "xdcbax, SEQUENCE",
      "x7890x, SEQUENCE",
  })
  void commonPasswordsRepeatsAndSequencesAreCaught(String password, ViolationCode code) {
    assertThat(codes(nist.validate(password))).contains(code);
  }

  @Test
  void theBundledBlocklistHasAtLeastTenThousandEntries() {
    assertThat(Blocklist.common().size()).isGreaterThanOrEqualTo(10_000);
    assertThat(Blocklist.common().contains("123456")).isTrue();
    assertThat(Blocklist.common().contains("correct horse battery staple")).isFalse();
  }

  @Test
  void contextWordsMatchCaseInsensitively() {
    PasswordContext ctx = PasswordContext.of("AdaLovelace").withEmail("ada.byron@Analytical.org").withSiteName("Zaltek Shop");
    assertThat(nist.validate("my-adalovelace-is-long", ctx).violations())
        .extracting(Violation::toString).contains("CONTAINS_CONTEXT_WORD{field=username}");
    assertThat(nist.validate("BYRON rules the waves", ctx).violations())
        .extracting(Violation::toString).contains("CONTAINS_CONTEXT_WORD{field=email}");
    assertThat(nist.validate("analytical engines hum", ctx).violations())
        .extracting(Violation::toString).contains("CONTAINS_CONTEXT_WORD{field=email}");
    assertThat(nist.validate("i shop at ZALTEK daily", ctx).violations())
        .extracting(Violation::toString).contains("CONTAINS_CONTEXT_WORD{field=site name}");
    assertThat(nist.validate("purple giraffes dance slowly", ctx).valid()).isTrue();
  }

  @Test
  void blockedWordsOfThePolicyAreRefused() {
    PasswordValidator v = PasswordValidator.create(PasswordRules.nist80063b().toBuilder().blockedWords(List.of("Zaltek")).build());
    assertThat(codes(v.validate("welcome to zaltek 2026"))).contains(ViolationCode.BLOCKED_WORD);
  }

  @Test
  void reuseOfAnyOfTheLastPasswordsIsRejected() {
    PasswordHasher hasher = PasswordHasher.bcrypt(4);
    PasswordHistory history = PasswordHistory.empty(3);
    for (String old : List.of("first Pass 1!x of many", "second Pass 2!y of many", "third Pass 3!z of many", "fourth Pass 4!w of many")) {
      history = history.add(hasher.hash(old));
    }
    PasswordValidator v = nist.withHistoryHasher(hasher);
    PasswordContext ctx = PasswordContext.NONE.withPreviousHashes(history.hashes());
    assertThat(v.validate("second Pass 2!y of many", ctx).violations()).extracting(Violation::toString).containsExactly("REUSED{depth=5}");
    // the first fell off a history of three
    assertThat(v.validate("first Pass 1!x of many", ctx).valid()).isTrue();
    assertThatThrownBy(() -> nist.validate("second Pass 2!y of many", ctx)).hasMessageContaining("withHistoryHasher");
  }

  @Test
  void tooLongForBcryptIsAViolationWhenLongPasswordsAreRejected() {
    String p = "é".repeat(40); // 40 characters, 80 UTF-8 bytes
    assertThat(nist.validate(p).violations()).extracting(Violation::toString).contains("TOO_LONG_FOR_HASH{maxBytes=72, actual=80}");
    PasswordValidator prehash = PasswordValidator.create(PasswordRules.nist80063b().toBuilder()
        .hashing(new PasswordsPolicy.Hashing(null, null, LongPasswordMode.PREHASH)).build());
    assertThat(codes(prehash.validate(p))).doesNotContain(ViolationCode.TOO_LONG_FOR_HASH);
  }

  @Test
  void theBreachCheckerFailsOpenOrClosedAsConfigured() {
    BreachChecker down = p -> {
      throw new PasswordPolicyException("range service unavailable");
    };
    assertThat(codes(nist.withBreachChecker(down, false).validate("purple giraffes dance slowly")))
        .containsExactly(ViolationCode.BREACH_CHECK_UNAVAILABLE);
    assertThat(nist.withBreachChecker(down, true).validate("purple giraffes dance slowly").valid()).isTrue();
    assertThat(nist.withBreachChecker(p -> 42, false).validate("purple giraffes dance slowly").violations())
        .extracting(Violation::toString).containsExactly("BREACHED{count=42}");
  }

  @Test
  void policyBuilderMessagesNameTheRuleAndValue() {
    assertThatThrownBy(() -> PasswordRules.builder(PasswordProfile.DOCUMENT).minLength(0))
        .hasMessage("minLength must be between 1 and 4096, got 0");
    assertThatThrownBy(() -> PasswordRules.builder(PasswordProfile.DOCUMENT).minLength(20).maxLength(16).build())
        .hasMessage("maxLength (16) must be at least minLength (20)");
    assertThatThrownBy(() -> PasswordRules.builder(PasswordProfile.DOCUMENT).maxRepeat(1))
        .hasMessageContaining("maxRepeat");
  }

  @Test
  void nistWarningsNameTheRulesTheDocumentProfileBreaks() {
    assertThat(PasswordRules.document().nistWarnings("passwords")).extracting(w -> w.rule())
        .containsExactly("nist-800-63b/composition", "nist-800-63b/rotation");
    assertThat(PasswordRules.nist80063b().nistWarnings("passwords")).isEmpty();
    assertThat(PasswordRules.nist80063b().toBuilder().maxLength(32).minLength(6).commonPasswordBlocklist(false).build()
        .nistWarnings("passwords")).extracting(w -> w.rule())
        .containsExactly("nist-800-63b/blocklist", "nist-800-63b/max-length", "nist-800-63b/min-length");
  }
}
