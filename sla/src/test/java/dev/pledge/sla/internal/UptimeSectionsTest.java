package dev.pledge.sla.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pledge.core.Percentage;
import dev.pledge.core.policy.PolicyDocument;
import dev.pledge.core.policy.PolicyException;
import dev.pledge.core.policy.PolicyLoader;
import dev.pledge.sla.failover.FailoverPolicy;
import dev.pledge.sla.maintenance.MaintenancePolicy;
import dev.pledge.sla.uptime.UptimePolicy;
import java.io.InputStream;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class UptimeSectionsTest {
  private final PolicyLoader loader = PolicyLoader.create();

  private PolicyDocument load(String name) throws Exception {
    try (InputStream in = getClass().getResourceAsStream("/policies/uptime/" + name)) {
      return loader.load(name, in);
    }
  }

  @Test
  void aGoodDocumentBindsAllThreeSections() throws Exception {
    PolicyDocument doc = load("good.yaml");
    UptimePolicy up = doc.require(UptimePolicy.class);
    assertThat(up.target()).isEqualTo(Percentage.parse("99.95%"));
    assertThat(up.zoneId()).isEqualTo(ZoneId.of("Europe/London"));
    assertThat(up.minimumOutage()).isEqualTo(Duration.ofSeconds(30));
    assertThat(up.probes()).singleElement().satisfies(p -> {
      assertThat(p.interval()).isEqualTo(Duration.ofSeconds(30));
      assertThat(p.expectedStatus()).isEqualTo(200);
      assertThat(p.failuresBeforeDown()).isEqualTo(2);
      assertThat(p.successesBeforeUp()).isEqualTo(1);
    });
    MaintenancePolicy m = doc.require(MaintenancePolicy.class);
    assertThat(m.notice()).isEqualTo(Duration.ofHours(72));
    assertThat(m.reminders()).containsExactly(Duration.ofHours(24));
    assertThat(m.allowEmergency()).isTrue();
    FailoverPolicy f = doc.require(FailoverPolicy.class);
    assertThat(f.group("shop-web")).hasValueSatisfying(g -> {
      assertThat(g.failureRateThreshold()).isEqualTo(Percentage.parse("50%"));
      assertThat(g.minimumCalls()).isEqualTo(10);
      assertThat(g.waitInOpenState()).isEqualTo(Duration.ofSeconds(30));
    });
    assertThat(doc.warnings()).isEmpty();
  }

  @Test
  void aLowTargetAndNoProbesAreWarnedAbout() {
    PolicyDocument doc = loader.load("p.yaml", "uptime:\n  target: 99%\nfailover: {}\n");
    assertThat(doc.warnings()).extracting(w -> w.rule()).containsExactlyInAnyOrder("p2/target", "p4/probes", "p5/spare");
  }

  @Test
  void defaultsApplyWhenKeysAreAbsent() {
    UptimePolicy up = UptimePolicy.defaults();
    assertThat(up.target()).isEqualTo(Percentage.parse("99.9%"));
    assertThat(up.minimumOutage()).isEqualTo(Duration.ofMinutes(1));
    assertThat(up.probes()).isEqualTo(List.of());
    assertThat(MaintenancePolicy.defaults().reminders()).containsExactly(Duration.ofHours(24), Duration.ofHours(1));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "bad-target.yaml|2|uptime.target|at most 100",
      "bad-zone.yaml||uptime|zone: unknown zone 'Europe/Londn'",
      "bad-url.yaml|3|uptime.probes[0]|url must be an absolute http or https URL, got 'ftp://x.example.com/'",
      "timeout-not-below-interval.yaml|3|uptime.probes[0]|timeout must be shorter than interval",
      "probe-without-site.yaml|3|uptime.probes[0].site|missing required key 'site'",
      "zero-failures.yaml|3|uptime.probes[0]|failuresBeforeDown must be at least 1, got 0",
      "reminder-before-notice.yaml||maintenance|reminders: a reminder PT96H",
      "maintenance-typo.yaml|2|maintenance.notise|unknown key 'notise'",
      "spare-same-as-primary.yaml|3|failover.groups[0]|spare must differ from primary",
      "negative-minimum.yaml|2|uptime.minimumOutage|must not be negative",
  })
  void malformedDocumentsFailNamingLineAndPath(String file, Integer line, String path, String problem) {
    assertThatThrownBy(() -> load(file))
        .isInstanceOf(PolicyException.class)
        .satisfies(t -> {
          PolicyException e = (PolicyException) t;
          assertThat(e.getMessage()).startsWith(file + ":");
          if (line != null) {
            assertThat(e.line()).as(e.getMessage()).isEqualTo(line);
          } else {
            assertThat(e.line()).as(e.getMessage()).isPositive();
          }
          assertThat(e.path()).as(e.getMessage()).isEqualTo(path);
          assertThat(e.problem()).as(e.getMessage()).contains(problem);
        });
  }
}
