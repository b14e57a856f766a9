package dev.pledge.security.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pledge.core.time.ManualTicker;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class LoginKeysTest {
  private final LoginKeys keys = LoginKeys.defaults();

  @ParameterizedTest
  @ValueSource(strings = {"alice", "Alice", "ALICE", "alice ", " alice", "alice\u200b", "al\u00adice", "\uff41\uff4c\uff49\uff43\uff45",
      "\u200da\u2060lice\ufeff", "aLiCe\u200e"})
  void spellingsOfOneAccountAreOneKey(String spelling) {
    assertThat(keys.account(spelling)).isEqualTo("alice");
  }

  @Test
  void caseFoldingAgreesOnSharpS() {
    assertThat(keys.account("STRASSE")).isEqualTo(keys.account("stra\u00dfe"));
    assertThat(new LoginKeys(false, 64).account("Alice ")).as("off: counted as sent").isEqualTo("Alice ");
  }

  @ParameterizedTest
  @CsvSource({
      "203.0.113.7, 203.0.113.7",
      "' 203.0.113.7 ', 203.0.113.7",
      "2001:db8:1:2:aaaa:bbbb:cccc:dddd, 2001:db8:1:2:0:0:0:0/64",
      "2001:DB8:1:2::1, 2001:db8:1:2:0:0:0:0/64",
      "[2001:db8:1:2::ffff], 2001:db8:1:2:0:0:0:0/64",
      "::ffff:198.51.100.9, 198.51.100.9",
      "device-42, device-42",
      "999.1.1.1, 999.1.1.1",
      "dead:beef:zz, dead:beef:zz"})
  void ipv4CountsByAddressIpv6ByItsSlash64(String source, String key) {
    assertThat(keys.source(source)).isEqualTo(key);
  }

  @Test
  void theIpv6PrefixIsConfigurable() {
    assertThat(new LoginKeys(true, 48).source("2001:db8:1:2::1")).isEqualTo("2001:db8:1:0:0:0:0:0/48");
    assertThat(new LoginKeys(true, 128).source("2001:db8:1:2::1")).isEqualTo("2001:db8:1:2:0:0:0:1/128");
    assertThatThrownBy(() -> new LoginKeys(true, 0)).hasMessage("ipv6SourcePrefix must be between 1 and 128, got 0");
  }

  @Test
  void aLockedAccountIsLockedUnderEverySpellingAndEveryAddressOfItsNetwork() {
    LoginThrottle throttle = LoginThrottle.builder().ticker(ManualTicker.create()).maxFailures(3).freeFailures(0).build();
    for (int i = 0; i < 3; i++) {
      throttle.recordFailure("alice", "198.51.100." + i);
    }
    for (String spelling : new String[] {"Alice", "ALICE", "alice ", "alice\u200b", "\uff41\uff4c\uff49\uff43\uff45"}) {
      assertThat(throttle.check(spelling, "192.0.2.1").allowed()).as(spelling).isFalse();
    }
    throttle.reset("ALICE ");
    assertThat(throttle.check("alice", "192.0.2.1").allowed()).as("the reset is normalised too").isTrue();
    for (int i = 0; i < 3; i++) {
      throttle.recordFailure("user" + i, "2001:db8:7:7::" + Integer.toHexString(i + 1));
    }
    assertThat(throttle.check("bob", "2001:db8:7:7:ffff::9").allowed()).as("another address of the same /64").isFalse();
    assertThat(throttle.check("bob", "2001:db8:7:8::1").allowed()).as("the next /64").isTrue();
  }
}
