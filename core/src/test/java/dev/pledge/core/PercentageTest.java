package dev.pledge.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class PercentageTest {

  @Test
  void parsesWithAndWithoutTheSign() {
    assertThat(Percentage.parse("99.9%")).isEqualTo(Percentage.parse("99.9"));
    assertThat(Percentage.parse("99.90 %").toString()).isEqualTo("99.9%");
    assertThat(Percentage.parse("100%").fraction()).isEqualByComparingTo("1");
  }

  @Test
  void theErrorBudgetOfThreeNinesIsExact() {
    assertThat(Percentage.parse("99.9%").complementFraction()).isEqualByComparingTo(new BigDecimal("0.001"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"0", "0%", "-1%", "100.01%", "150", "abc", ""})
  void rejectsOutsideZeroToHundred(String text) {
    assertThatThrownBy(() -> Percentage.parse(text)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void secretsNeverPrint() {
    Secret s = Secret.ofUtf8("hunter2");
    assertThat(s.toString()).doesNotContain("hunter2").isEqualTo("Secret[redacted]");
    assertThat(s).isEqualTo(Secret.ofUtf8("hunter2"));
    s.destroy();
    assertThatThrownBy(s::bytes).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void siteIdsAreValidated() {
    assertThat(SiteId.of("shop").toString()).isEqualTo("shop");
    assertThatThrownBy(() -> SiteId.of("Shop Front")).hasMessageContaining("'Shop Front'");
    assertThat(Scope.of("shop", "production").toString()).isEqualTo("shop/production");
    assertThat(Environment.of("production").isProduction()).isTrue();
    assertThat(Environment.STAGING.isProduction()).isFalse();
  }
}
