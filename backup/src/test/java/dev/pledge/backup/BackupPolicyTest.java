package dev.pledge.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pledge.core.policy.PolicyDocument;
import dev.pledge.core.policy.PolicyException;
import dev.pledge.core.policy.PolicyLoader;
import java.io.InputStream;
import java.time.Duration;
import java.time.LocalTime;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class BackupPolicyTest {
  private final PolicyLoader loader = PolicyLoader.create();

  private PolicyDocument load(String name) throws Exception {
    try (InputStream in = getClass().getResourceAsStream("/policies/" + name)) {
      return loader.load(name, in);
    }
  }

  @Test
  void aFullSectionBindsWithDefaultsFilledIn() throws Exception {
    BackupPolicy p = load("good.yaml").require(BackupPolicy.class);

    assertThat(p.locations()).hasSize(2);
    assertThat(p.minimumLocations()).isEqualTo(2);
    assertThat(p.key().kind()).isEqualTo(BackupPolicy.KeyKind.KMS);
    assertThat(p.compressionLevel()).isEqualTo(3);
    assertThat(p.maskProductionRestores()).isTrue();
    assertThat(p.posture().versioning()).isTrue();
    assertThat(p.sources()).singleElement().satisfies(s -> assertThat(s.site().value()).isEqualTo("shop"));
    assertThat(p.schedules()).hasSize(3);
    assertThat(p.schedules().get(0).daily().time()).isEqualTo(LocalTime.of(2, 0));
    assertThat(p.schedules().get(0).missedRun()).isEqualTo(dev.pledge.backup.schedule.MissedRun.RUN_ONCE);
    assertThat(p.schedules().get(1).every()).isEqualTo(Duration.ofMinutes(5));
    assertThat(p.schedules().get(1).missedRun()).isEqualTo(dev.pledge.backup.schedule.MissedRun.SKIP);
    assertThat(p.schedules().get(2).cron()).isEqualTo("30 3 * * 1");
  }

  @Test
  void aSingleLocalLocationLoadsWithWarnings() {
    PolicyDocument doc = loader.load("p.yaml", "backups:\n  locations: [\"file:/var/backups\"]\n");
    assertThat(doc.warnings()).extracting(w -> w.rule()).contains("p10/locations", "p8/s3");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "bad-location.yaml|2|backups|locations[1]: store 'ftp://example.com/backups'",
      "bad-schedule.yaml|3|backups.schedules|exactly one of every, daily, cron",
      "bad-zone.yaml|6|backups.schedules|Europe/Lundun",
      "bad-unknown-key.yaml|3|backups|encryptionKey",
      "bad-compression.yaml|2|backups|42",
      "bad-password-in-source.yaml|3|backups.sources|must not hold a password",
  })
  void malformedSectionsFailNamingLineAndKey(String file, int line, String path, String text) {
    assertThatThrownBy(() -> load(file))
        .isInstanceOfSatisfying(PolicyException.class, e -> {
          assertThat(e.line()).as(e.getMessage()).isBetween(line - 1, line + 3);
          assertThat(e.path()).as(e.getMessage()).startsWith(path);
          assertThat(e.getMessage()).contains(text).doesNotContain("hunter2");
        });
  }
}
