package dev.pledge.security.password;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pledge.core.time.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class PasswordRotationTest {
  private final Instant setAt = Instant.parse("2026-11-01T09:00:00Z");
  private final MutableClock clock = MutableClock.at(setAt);
  private final PasswordRotation rotation = PasswordRotation.builder(PasswordRules.document()).resets(ForcedResets.inMemory()).clock(clock).build();

  @Test
  void thirtyDayRotationGoesOkExpiringExpired() {
    assertThat(rotation.status("ada", setAt)).isEqualTo(PasswordStatus.OK);
    clock.advance(Duration.ofDays(22));
    assertThat(rotation.status("ada", setAt)).isEqualTo(PasswordStatus.OK);
    clock.advance(Duration.ofDays(1));
    assertThat(rotation.status("ada", setAt)).isEqualTo(PasswordStatus.EXPIRING);
    clock.advance(Duration.ofDays(7).minusSeconds(1));
    assertThat(rotation.status("ada", setAt)).isEqualTo(PasswordStatus.EXPIRING);
    clock.advance(Duration.ofSeconds(1));
    assertThat(rotation.status("ada", setAt)).isEqualTo(PasswordStatus.EXPIRED);
    assertThat(rotation.expiresAt(setAt)).contains(Instant.parse("2026-12-01T09:00:00Z"));
  }

  @Test
  void nistProfileNeverExpiresByAge() {
    PasswordRotation nist = PasswordRotation.builder(PasswordRules.nist80063b()).resets(ForcedResets.inMemory()).clock(clock).build();
    clock.advance(Duration.ofDays(3650));
    assertThat(nist.status("ada", setAt)).isEqualTo(PasswordStatus.OK);
    assertThat(nist.expiresAt(setAt)).isEmpty();
  }

  @Test
  void aForcedResetForSomeAccountsMakesThemMustChangeUntilANewPasswordIsSet() {
    clock.advance(Duration.ofDays(1));
    rotation.resets().force(List.of("ada", "bob"), clock.instant());
    assertThat(rotation.status("ada", setAt)).isEqualTo(PasswordStatus.MUST_CHANGE);
    assertThat(rotation.status("carol", setAt)).isEqualTo(PasswordStatus.OK);
    clock.advance(Duration.ofMinutes(5));
    assertThat(rotation.status("ada", clock.instant())).isEqualTo(PasswordStatus.OK);
  }

  @Test
  void aBulkResetAppliesToEveryAccount() {
    clock.advance(Duration.ofHours(2));
    rotation.resets().forceAll(clock.instant());
    assertThat(rotation.status("anyone", setAt)).isEqualTo(PasswordStatus.MUST_CHANGE);
    assertThat(rotation.status("anyone", clock.instant().plusSeconds(1))).isEqualTo(PasswordStatus.OK);
  }
}
