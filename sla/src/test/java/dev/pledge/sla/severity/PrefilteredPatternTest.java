package dev.pledge.sla.severity;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The literal prefilters in front of RE2/J only skip texts no match could be found in: the literals
 * read off an expression are ones every match contains, and {@code find} answers as RE2/J alone does.
 */
class PrefilteredPatternTest {
  @Test
  void requiredLiteralsAreReadOffTheTopLevelOnly() {
    assertThat(PrefilteredPattern.requiredLiterals("err(or)?-5\\d{3}\\b")).containsExactly("err", "-5");
    assertThat(PrefilteredPattern.requiredLiterals("timeouts? on db\\d+")).containsExactly("timeout", "on", "db");
    assertThat(PrefilteredPattern.requiredLiterals("disk (full|quota) at [0-9]{2,3}%")).containsExactly("di", "at");
    assertThat(PrefilteredPattern.requiredLiterals("ab{2}cd")).containsExactly("cd");
    assertThat(PrefilteredPattern.requiredLiterals("abc+de*f")).containsExactly("abc");
    assertThat(PrefilteredPattern.requiredLiterals("Payment.*Failed")).containsExactly("payment", "failed");
    // where reading it simply could be wrong: nothing
    assertThat(PrefilteredPattern.requiredLiterals("outage|down")).isEmpty();
    assertThat(PrefilteredPattern.requiredLiterals("(?i)outage")).isEmpty();
    assertThat(PrefilteredPattern.requiredLiterals("\\Qa.b\\E")).isEmpty();
    // k and s fold to the Kelvin sign and the long s, which lower-casing leaves alone
    assertThat(PrefilteredPattern.requiredLiterals("disk")).containsExactly("di");
  }

  @Test
  void findAgreesWithTheEngineAloneOnRandomTexts() {
    List<String> regexes = List.of("err(or)?-5\\d{3}\\b", "timeouts? on db\\d+", "disk (full|quota) at [0-9]{2,3}%",
        "ab{2}cd", "abc+de*f", "payment.*failed", "\\bcannot\\W+reach\\b", "x[ab]{0,2}yz", "(?:gold|silver) tier",
        "a.c", "\\d\\d-ab");
    String alphabet = "abcdefgxyz0123456789-. %\u212a\u017fKS";
    String[] words = {"error-5123", "err-5001", "timeout on db7", "timeouts on db", "disk full at 95%",
        "abbcd", "abccdeef", "Payment has FAILED", "cannot  reach", "xabyz", "gold tier", "abc", "12-ab"};
    Random random = new Random(20261203L);
    for (String regex : regexes) {
      com.google.re2j.Pattern compiled = Rule.compile("r", regex);
      PrefilteredPattern prefiltered = new PrefilteredPattern(compiled);
      for (int t = 0; t < 3_000; t++) {
        StringBuilder text = new StringBuilder();
        int parts = random.nextInt(6);
        for (int p = 0; p < parts; p++) {
          if (random.nextBoolean()) {
            text.append(words[random.nextInt(words.length)]);
          } else {
            for (int c = random.nextInt(8); c > 0; c--) {
              text.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
          }
        }
        String s = text.toString();
        String lower = s.toLowerCase(Locale.ROOT);
        boolean expected = compiled.matcher(s).find();
        assertThat(prefiltered.find(s, lower.length() == s.length() ? lower : null))
            .as("/%s/ on \"%s\"", regex, s).isEqualTo(expected);
      }
    }
  }
}
