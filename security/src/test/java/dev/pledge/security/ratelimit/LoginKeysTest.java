package dev.pledge.security.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pledge.core.time.ManualTicker;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import java.util.SplittableRandom;

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

  @Test
  void theAsciiFastPathAgreesWithTheWholeNormalisation() {
    // every ASCII string of up to two characters, then random ones rich in white space and capitals
    StringBuilder b = new StringBuilder();
    for (int x = -1; x < 128; x++) {
      for (int y = -1; y < 128; y++) {
        b.setLength(0);
        if (x >= 0) {
          b.append((char) x);
        }
        if (y >= 0) {
          b.append((char) y);
        }
        String s = b.toString();
        agree(s);
      }
    }
    String alphabet = " \t\n\u000b\f\r\u001c\u001f\u0000\u007faAzZ09.-_@+iIsS";
    SplittableRandom random = new SplittableRandom(15);
    for (int i = 0; i < 200_000; i++) {
      b.setLength(0);
      int len = random.nextInt(12);
      for (int j = 0; j < len; j++) {
        b.append(alphabet.charAt(random.nextInt(alphabet.length())));
      }
      String s = b.toString();
      agree(s);
    }
  }

  private static void agree(String s) {
    String fast = LoginKeys.normalizeAccount(s);
    String full = LoginKeys.normalizeFully(s);
    if (!fast.equals(full)) {
      assertThat(fast).as("code points %s", s.chars().boxed().toList()).isEqualTo(full);
    }
  }

  @Test
  void aNameAlreadyInNormalFormIsReturnedAsItIs() {
    String name = new String("alice.smith@example.com");
    assertThat(keys.account(name)).isSameAs(name);
    String wide = new String("stra\u00dfe-\u00e9");
    assertThat(keys.account(wide)).isEqualTo(LoginKeys.normalizeFully(wide));
    String address = new String("203.0.113.7");
    assertThat(keys.source(address)).isSameAs(address);
  }

  private void sameSource(String s) {
    String fast = keys.source(s);
    String full = keys.sourceFully(s);
    if (!fast.equals(full)) {
      assertThat(fast).as(s).isEqualTo(full);
    }
  }

  @Test
  void theCanonicalIpv4ShortcutAgreesWithTheWholeProcedure() {
    String alphabet = "0123456789...  x";
    SplittableRandom random = new SplittableRandom(4);
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < 100_000; i++) {
      b.setLength(0);
      int len = random.nextInt(18);
      for (int j = 0; j < len; j++) {
        b.append(alphabet.charAt(random.nextInt(alphabet.length())));
      }
      String s = b.toString();
      sameSource(s);
      // and near-addresses: 3 to 5 octets up to 300, some with a leading zero
      b.setLength(0);
      int parts = 3 + random.nextInt(3);
      for (int p = 0; p < parts; p++) {
        b.append(p > 0 ? "." : "").append(random.nextInt(8) == 0 ? "0" : "").append(random.nextInt(301));
      }
      String near = b.toString();
      sameSource(near);
    }
    for (String s : new String[] {"0.0.0.0", "255.255.255.255", "256.1.1.1", "01.2.3.4", "1.2.3.04", "1.2.3", "1.2.3.4.",
        "1.2.3.4.5", "1..3.4", "10.0.0.1 ", "1.2.3.400"}) {
      assertThat(keys.source(s)).as(s).isEqualTo(keys.sourceFully(s));
    }
  }
}
